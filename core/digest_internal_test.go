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

// TestCheckDigestHashesOnce: each algorithm's sum of the body is computed
// at most once per check, however many entries (in however many Digest
// lines) name it, so that an unsigned Digest header repeating one entry
// cannot make the verifier hash a large body thousands of times.
func TestCheckDigestHashesOnce(t *testing.T) {
	body := []byte(strings.Repeat("a", 4096))
	s256, s512 := sha256.Sum256(body), sha512.Sum512(body)
	ok256 := "SHA-256=" + base64.StdEncoding.EncodeToString(s256[:])
	ok512 := "sha-512=" + base64.StdEncoding.EncodeToString(s512[:])
	bad256 := "SHA-256=" + base64.StdEncoding.EncodeToString(make([]byte, sha256.Size))
	repeat := func(entry string, n int) string { return strings.TrimSuffix(strings.Repeat(entry+",", n), ",") }
	tests := []struct {
		name    string
		values  []string
		err     error // nil: accepted
		want256 int   // SHA-256 sums computed
		want512 int
	}{
		{"one entry", []string{ok256}, nil, 1, 0},
		{"2000 entries", []string{repeat(ok256, 2000)}, nil, 1, 0},
		{"2000 entries of each", []string{repeat(ok256+","+ok512, 2000)}, nil, 1, 1},
		{"over 100 lines", strings.Split(strings.Repeat(ok512+"\n", 100)+ok256, "\n"), nil, 1, 1},
		{"a mismatch after 1000 matches", []string{repeat(ok256, 1000) + "," + bad256}, ErrDigestMismatch, 1, 0},
		{"no known algorithm", []string{repeat("MD5=AAAA", 100)}, ErrUnsupportedAlgorithm, 0, 0},
	}
	defer func(f256 func([]byte) [sha256.Size]byte, f512 func([]byte) [sha512.Size]byte) {
		digestSHA256, digestSHA512 = f256, f512
	}(digestSHA256, digestSHA512)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var n256, n512 int
			digestSHA256 = func(b []byte) [sha256.Size]byte { n256++; return sha256.Sum256(b) }
			digestSHA512 = func(b []byte) [sha512.Size]byte { n512++; return sha512.Sum512(b) }
			err := checkDigest(tt.values, body)
			if tt.err == nil && err != nil || tt.err != nil && !errors.Is(err, tt.err) {
				t.Fatalf("err %v, want %v", err, tt.err)
			}
			if n256 != tt.want256 || n512 != tt.want512 {
				t.Errorf("%d SHA-256 and %d SHA-512 sums computed, want %d and %d", n256, n512, tt.want256, tt.want512)
			}
		})
	}
}

// TestCheckDigestAllocatesNothing: the sums stay on the stack.
func TestCheckDigestAllocatesNothing(t *testing.T) {
	body := []byte("{}")
	s256, s512 := sha256.Sum256(body), sha512.Sum512(body)
	values := []string{"SHA-256=" + base64.StdEncoding.EncodeToString(s256[:]) + ",SHA-512=" + base64.StdEncoding.EncodeToString(s512[:])}
	if n := testing.AllocsPerRun(100, func() {
		if err := checkDigest(values, body); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("%v allocations per check", n)
	}
}
