package signettest

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// SignedURLVectorFile is core/testdata/signedurl/vectors.json: the vectors
// of signet's native signed URLs, written by generate.py beside it, an
// independent Python implementation of docs/schemes/signedurl.md.
type SignedURLVectorFile struct {
	Keys       map[string]SignedURLKey `json:"keys"`
	Vectors    []SignedURLVector       `json:"vectors"`
	SignErrors []SignedURLSignError    `json:"sign_errors"`
}

// SignedURLKey is a test key: an HMAC secret or an Ed25519 key pair.
type SignedURLKey struct {
	Type         string `json:"type"` // hmac or ed25519
	Secret       string `json:"secret"`
	SecretHex    string `json:"secret_hex"`
	SeedHex      string `json:"seed_hex"`
	PublicHex    string `json:"public_hex"`
	PublicKeyPEM string `json:"public_key_pem"`
}

// SignedURLConfig is a verifier's (and signer's) configuration, under the
// conformance server's option names.
type SignedURLConfig struct {
	BindMethod   *bool    `json:"bind_method,omitempty"`
	BindOrigin   *bool    `json:"bind_origin,omitempty"`
	Origin       *string  `json:"origin,omitempty"`
	IgnoreParams []string `json:"ignore_params,omitempty"`
	ClockSkew    *float64 `json:"clock_skew,omitempty"`
	MaxAge       *float64 `json:"max_age,omitempty"`
	Algorithms   []string `json:"algorithms,omitempty"`
}

// SignedURLVector is one vector: a configuration, optionally a URL the
// Python signer signed, and requests to verify.
type SignedURLVector struct {
	ID          string          `json:"id"`
	Description string          `json:"description"`
	Tags        []string        `json:"tags"`
	Config      SignedURLConfig `json:"config"`
	// Sign is nil for vectors whose URLs were made by hand.
	Sign *struct {
		Key       string  `json:"key"` // a name of SignedURLVectorFile.Keys
		KeyID     string  `json:"key_id"`
		Method    string  `json:"method"`
		URL       string  `json:"url"`
		Now       int64   `json:"now"`
		TTL       float64 `json:"ttl"` // seconds
		Message   string  `json:"message"`
		Signature string  `json:"signature"`
		SignedURL string  `json:"signed_url"`
	} `json:"sign"`
	Verify []SignedURLCase `json:"verify"`
}

// SignedURLCase is a request to verify and its expected verdict.
type SignedURLCase struct {
	Note   string  `json:"note"`
	Method string  `json:"method"`
	Scheme string  `json:"scheme"` // https: the connection is TLS
	Host   string  `json:"host"`
	Target string  `json:"target"` // the request-target, sent byte for byte
	Now    float64 `json:"now"`    // unix seconds, may be fractional
	// Keys are the key store's entries, in lookup order.
	Keys []struct {
		ID        string `json:"id"`
		Key       string `json:"key"` // a name of SignedURLVectorFile.Keys
		Algorithm string `json:"algorithm"`
	} `json:"keys"`
	// Config overrides fields of the vector's Config, when not nil.
	Config json.RawMessage `json:"config"`
	// Message is what the verifier signs: with the key that matched, or the
	// first that passed the policy; nil when the checks stopped before.
	Message  *string `json:"message"`
	Expected struct {
		Valid bool   `json:"valid"`
		Key   string `json:"key"`   // when valid: the key name that matched
		Error string `json:"error"` // when not: the error code
	} `json:"expected"`
}

// EffectiveConfig is the vector's configuration with the case's overrides.
func (c SignedURLCase) EffectiveConfig(v SignedURLVector) (SignedURLConfig, error) {
	cfg := v.Config
	cfg.IgnoreParams = append([]string(nil), cfg.IgnoreParams...)
	if c.Config != nil {
		if err := json.Unmarshal(c.Config, &cfg); err != nil { // a null unsets a field
			return cfg, err
		}
	}
	if cfg.Origin != nil {
		t := true
		cfg.BindOrigin = &t
	}
	return cfg, nil
}

// SignedURLSignError is an input a signer must refuse.
type SignedURLSignError struct {
	Note   string          `json:"note"`
	Method string          `json:"method"`
	URL    string          `json:"url"`
	TTL    float64         `json:"ttl"`
	Config SignedURLConfig `json:"config"`
}

// SignedURLVectors returns core/testdata/signedurl/vectors.json. The file
// is read from the source tree, beside its generator (so no copy can
// drift), which every test of this repository has; a binary built with
// -trimpath cannot find it.
func SignedURLVectors() (*SignedURLVectorFile, error) {
	_, self, _, ok := runtime.Caller(0)
	if !ok {
		return nil, errors.New("signettest: cannot locate the source tree")
	}
	data, err := os.ReadFile(filepath.Join(filepath.Dir(self), "..", "testdata", "signedurl", "vectors.json"))
	if err != nil {
		return nil, err
	}
	var file SignedURLVectorFile
	if err := json.Unmarshal(data, &file); err != nil {
		return nil, fmt.Errorf("signettest: signedurl/vectors.json: %w", err)
	}
	return &file, nil
}
