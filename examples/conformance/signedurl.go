package main

import (
	"encoding/json"
	"errors"
	"time"

	signet "github.com/signet-go/signet/core"
)

// signedURLOptions are the signedurl options, named after signet's
// (docs/schemes/signedurl.md). A nil field keeps signet's default; a set
// one is passed on as is, so signet validates it.
type signedURLOptions struct {
	// BindMethod is SignedURLBindMethod (default true).
	BindMethod *bool `json:"bind_method"`
	// BindOrigin true is SignedURLBindOrigin: the request's scheme and Host
	// are signed.
	BindOrigin *bool `json:"bind_origin"`
	// Origin is SignedURLOrigin, the public origin to sign against; it
	// implies bind_origin.
	Origin *string `json:"origin"`
	// IgnoreParams is SignedURLIgnoreParams.
	IgnoreParams []string `json:"ignore_params"`
	// MaxAge is WithMaxAge, the maximum TTL, in seconds (default 7 days).
	MaxAge *float64 `json:"max_age"`
	// ClockSkew is WithClockSkew, in seconds (default 60).
	ClockSkew  *float64 `json:"clock_skew"`
	Algorithms []string `json:"algorithms"`
}

// newSignedURL builds a signet.SignedURL verifier.
func newSignedURL(keys signet.KeyStore, now func() time.Time, raw json.RawMessage) (signet.Verifier, error) {
	var o signedURLOptions
	if err := decodeOptions(raw, &o); err != nil {
		return nil, err
	}
	opts := []signet.SignedURLOption{signet.WithClock(now)}
	if o.BindMethod != nil {
		opts = append(opts, signet.SignedURLBindMethod(*o.BindMethod))
	}
	switch {
	case o.Origin != nil && o.BindOrigin != nil && !*o.BindOrigin:
		return nil, errors.New("options: origin binds the origin; drop bind_origin false")
	case o.Origin != nil:
		opts = append(opts, signet.SignedURLOrigin(*o.Origin))
	case o.BindOrigin != nil && *o.BindOrigin:
		opts = append(opts, signet.SignedURLBindOrigin())
	}
	if o.IgnoreParams != nil {
		opts = append(opts, signet.SignedURLIgnoreParams(o.IgnoreParams...))
	}
	for _, d := range []struct {
		name   string
		value  *float64
		option func(time.Duration) signet.Option
	}{
		{"max_age", o.MaxAge, signet.WithMaxAge},
		{"clock_skew", o.ClockSkew, signet.WithClockSkew},
	} {
		if d.value == nil {
			continue
		}
		v, err := seconds(d.name, *d.value)
		if err != nil {
			return nil, err
		}
		opts = append(opts, d.option(v))
	}
	if o.Algorithms != nil {
		opts = append(opts, signet.WithAlgorithms(o.Algorithms...))
	}
	return signet.NewSignedURL(keys, opts...)
}
