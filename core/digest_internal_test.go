package signet

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

// TestCheckDigest: every SHA-256 and SHA-512 entry is checked, SHA-512's
// 88 base64 characters included.
func TestCheckDigest(t *testing.T) {
	body := []byte(`{"hello": "world"}`)
	s256, s512 := sha256.Sum256(body), sha512.Sum512(body)
	ok256 := "SHA-256=" + base64.StdEncoding.EncodeToString(s256[:])
	ok512 := "SHA-512=" + base64.StdEncoding.EncodeToString(s512[:])
	zero512 := "SHA-512=" + base64.StdEncoding.EncodeToString(make([]byte, sha512.Size))
	for _, tt := range []struct {
		name   string
		values []string
		err    error // nil: accepted
	}{
		{"SHA-256", []string{ok256}, nil},
		{"SHA-512", []string{ok512}, nil},
		{"sha-512, lower-case", []string{strings.ToLower(ok512[:8]) + ok512[8:]}, nil},
		{"both, one line", []string{ok256 + ", " + ok512}, nil},
		{"both, two lines, MD5 ignored", []string{"MD5=AAAA," + ok512, ok256}, nil},
		{"SHA-512 mismatch", []string{ok256, zero512}, ErrDigestMismatch},
		{"SHA-512 of 65 bytes", []string{"SHA-512=" + base64.StdEncoding.EncodeToString(make([]byte, 65))}, ErrMalformed},
		{"SHA-512 unpadded", []string{strings.TrimRight(ok512, "=")}, ErrMalformed},
		{"SHA-256 as long as SHA-512", []string{"SHA-256=" + ok512[8:]}, ErrMalformed},
		{"MD5 alone", []string{"MD5=AAAA"}, ErrUnsupportedAlgorithm},
		{"not a pair", []string{"SHA-256"}, ErrMalformed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := checkDigest(tt.values, body)
			if tt.err == nil && err != nil || tt.err != nil && !errors.Is(err, tt.err) {
				t.Fatalf("err %v, want %v", err, tt.err)
			}
		})
	}
}
