package main

import (
	"encoding/json"
	"time"

	signet "github.com/signet-go/signet/core"
)

// signwayOptions are the signway options of CONFORMANCE.md. A nil field
// keeps signet's default; a set one is passed on as is, so signet
// validates it.
type signwayOptions struct {
	// MaxExpiry is the longest X-Sw-Expires accepted, in seconds; nil
	// accepts any, as Signway does.
	MaxExpiry *float64 `json:"max_expiry"`
	bodyOptions
}

// newSignway builds a signet.Signway verifier (Signway-compatible: the
// altered URLs Signway accepts pass).
func newSignway(keys signet.KeyStore, now func() time.Time, raw json.RawMessage) (signet.Verifier, error) {
	var o signwayOptions
	if err := decodeOptions(raw, &o); err != nil {
		return nil, err
	}
	opts := []signet.SignwayOption{signet.WithClock(now)}
	for _, opt := range o.signetOptions() {
		opts = append(opts, opt)
	}
	if o.MaxExpiry != nil {
		d, err := seconds("max_expiry", *o.MaxExpiry)
		if err != nil {
			return nil, err
		}
		opts = append(opts, signet.WithMaxAge(d))
	}
	return signet.NewSignway(keys, opts...)
}
