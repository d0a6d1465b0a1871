package vectors

import (
	"encoding/json"
	"fmt"
	"strings"
)

// PysignedKey is a key of the key table of pysigned.json, by key name.
type PysignedKey struct {
	// Type is hmac, ed25519-pair (can sign) or ed25519-public (verify only).
	Type string `json:"type"`
	// SecretHex is the HMAC secret (hmac only).
	SecretHex string `json:"secret_hex"`
	// SeedHex is the 32-byte Ed25519 seed (ed25519-pair only).
	SeedHex string `json:"seed_hex"`
	// PublicHex is the 32-byte Ed25519 public key (both Ed25519 types).
	PublicHex string `json:"public_hex"`
	// JWK is the same key as a JSON Web Key, without kid.
	JWK map[string]any `json:"jwk"`
	// ID025 is pysigned's default key id in 0.1.0 – 0.2.5 (sha512 hex).
	ID025 string `json:"id_pysigned_0_1_0_to_0_2_5"`
	// ID028 is pysigned's default key id in 0.2.6 – 0.2.8 (12 characters
	// of urlsafe base64 of the sha512 digest).
	ID028 string `json:"id_pysigned_0_2_6_to_0_2_8"`
}

// PysignedVector is one vector of pysigned.json: a URL signed by
// URLAuth.sign and the verify cases replayed against URLAuth.verify, all
// confirmed against pysigned v0.2.5 and v0.2.8.
type PysignedVector struct {
	ID          string   `json:"id"`
	Description string   `json:"description"`
	Tags        []string `json:"tags"`
	Status      string   `json:"status"`
	// Sign is what URLAuth(keys=[SigningKey], ttl=TTL,
	// ignore_query_params=IgnoreQueryParams).sign(URL) returned at Now.
	Sign struct {
		URL               string   `json:"url"`
		Now               int64    `json:"now"`
		TTL               int64    `json:"ttl"`
		SigningKey        string   `json:"signing_key"`
		IgnoreQueryParams []string `json:"ignore_query_params"`
		Exp               int64    `json:"exp"`
		Message           string   `json:"message"`
		MessageHex        string   `json:"message_hex"`
		Signature         string   `json:"signature"`
		SignedURL         string   `json:"signed_url"`
	} `json:"sign"`
	Verify []PysignedCase `json:"verify"`
}

// HasTag reports whether the vector carries tag (e.g. quirk,
// version-difference).
func (v PysignedVector) HasTag(tag string) bool {
	for _, t := range v.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

// PysignedCase is one verify case: URLAuth(keys=Keys,
// ignore_query_params=IgnoreQueryParams).verify(URL, skew=Skew) at Now.
type PysignedCase struct {
	// URL is the full URL verified, used as is (raw non-ASCII, raw ';',
	// bad escapes, fragments).
	URL  string `json:"url"`
	Now  int64  `json:"now"`
	Skew int64  `json:"skew"`
	// Keys are key names of the key table, in the order tried; each name is
	// also the key's explicit id.
	Keys              []string `json:"keys"`
	IgnoreQueryParams []string `json:"ignore_query_params"`
	// Message is what the verifier signs; nil when upstream stops before
	// building it (exp unparseable, sig missing, expired).
	Message  *string          `json:"message"`
	Expected PysignedExpected `json:"expected"`
	Reason   string           `json:"reason"`
	Note     string           `json:"note"`
}

// PysignedExpected is a verify case's result: true, false, or an
// exception upstream raises instead of answering.
type PysignedExpected struct {
	// Valid is what verify returned (false when it raised).
	Valid bool
	// Raises names the exception verify raised ("TypeError"), or "".
	Raises string
}

// UnmarshalJSON decodes true, false or "raises <Exception>".
func (e *PysignedExpected) UnmarshalJSON(data []byte) error {
	var valid bool
	if err := json.Unmarshal(data, &valid); err == nil {
		*e = PysignedExpected{Valid: valid}
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("expected: neither a bool nor a string: %s", data)
	}
	exception, ok := strings.CutPrefix(s, "raises ")
	if !ok || exception == "" {
		return fmt.Errorf("expected: unknown value %q", s)
	}
	*e = PysignedExpected{Raises: exception}
	return nil
}

// PysignedVectors returns the vectors of pysigned.json and its key table,
// by key name.
func PysignedVectors() ([]PysignedVector, map[string]PysignedKey, error) {
	var file struct {
		Keys    map[string]PysignedKey `json:"keys"`
		Vectors []PysignedVector       `json:"vectors"`
	}
	err := loadVectors("pysigned.json", &file)
	return file.Vectors, file.Keys, err
}
