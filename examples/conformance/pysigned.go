package main

import (
	"encoding/json"
	"time"

	signet "github.com/signet-go/signet/core"
)

// pysignedOptions are the pysigned options. A nil field keeps signet's
// default; a set one is passed on as is, so signet validates it.
type pysignedOptions struct {
	// Version is "0.2.5" (the default) or "0.2.8".
	Version           *string  `json:"version"`
	IgnoreQueryParams []string `json:"ignore_query_params"`
	// Skew is in seconds (default 0) and may be negative.
	Skew       *float64 `json:"skew"`
	RequireKid *bool    `json:"require_kid"`
	// Origin is the public scheme://authority the URLs were signed for.
	Origin *string `json:"origin"`
}

// newPysigned builds a signet.Pysigned verifier.
func newPysigned(keys signet.KeyStore, now func() time.Time, raw json.RawMessage) (signet.Verifier, error) {
	var o pysignedOptions
	if err := decodeOptions(raw, &o); err != nil {
		return nil, err
	}
	opts := []signet.PysignedOption{signet.WithClock(now)}
	if o.Version != nil {
		opts = append(opts, signet.PysignedVersion(*o.Version))
	}
	if o.IgnoreQueryParams != nil {
		opts = append(opts, signet.PysignedIgnoreQueryParams(o.IgnoreQueryParams...))
	}
	if o.Skew != nil {
		skew, err := seconds("skew", *o.Skew)
		if err != nil {
			return nil, err
		}
		opts = append(opts, signet.PysignedSkew(skew))
	}
	if o.RequireKid != nil && *o.RequireKid {
		opts = append(opts, signet.PysignedRequireKid())
	}
	if o.Origin != nil {
		opts = append(opts, signet.PysignedOrigin(*o.Origin))
	}
	return signet.NewPysigned(keys, opts...)
}

// jwksVersion is the pysigned version whose rules load the config's jwks
// keys (default key ids, duplicate ids): the pysigned scheme's version
// option when it names one, else 0.2.5. A bad version, or a bad option
// name, is reported by newPysigned; the member is looked up by its exact
// name, as newPysigned reads it.
func jwksVersion(c *config) signet.PysignedVersion {
	if c.Scheme != "pysigned" || c.Options == nil {
		return signet.Pysigned025
	}
	var o map[string]json.RawMessage
	var version string
	if json.Unmarshal(c.Options, &o) == nil && json.Unmarshal(o["version"], &version) == nil &&
		signet.PysignedVersion(version) == signet.Pysigned028 {
		return signet.Pysigned028
	}
	return signet.Pysigned025
}
