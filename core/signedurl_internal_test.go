package signet

import (
	"bytes"
	"encoding/base64"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestAppendSignedURLSignature: the signature decoder accepts exactly what
// encoding/base64's strict unpadded base64url accepts, with the same bytes,
// but for line feeds, which encoding/base64 skips and a signature never has.
func TestAppendSignedURLSignature(t *testing.T) {
	strict := base64.RawURLEncoding.Strict()
	rng := rand.New(rand.NewPCG(9, 10))
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=.\n"
	check := func(s string) {
		want, wantErr := strict.DecodeString(s)
		if strings.ContainsAny(s, "\r\n") {
			wantErr = errors.New("a line feed")
		}
		got, ok := appendSignedURLSignature([]byte("prefix"), s)
		if ok != (wantErr == nil) || ok && !bytes.Equal(got[6:], want) {
			t.Fatalf("%q: got %x %v, encoding/base64 %x %v", s, got, ok, want, wantErr)
		}
	}
	for n := range 100 {
		for range 200 {
			b := make([]byte, n)
			for i := range b {
				if rng.IntN(20) == 0 {
					b[i] = alphabet[rng.IntN(len(alphabet))]
				} else {
					b[i] = alphabet[rng.IntN(64)]
				}
			}
			check(string(b))
		}
		raw := make([]byte, n)
		for i := range raw {
			raw[i] = byte(rng.Uint32())
		}
		check(base64.RawURLEncoding.EncodeToString(raw))
	}
}

// TestSignedURLHasControl: the word-at-a-time control check agrees with a
// byte-by-byte one for every byte in every position of paths of 0 to 24
// bytes.
func TestSignedURLHasControl(t *testing.T) {
	for n := range 25 {
		for i := range n {
			for c := range 256 {
				b := []byte(strings.Repeat("a", n))
				b[i] = byte(c)
				want := c < ' ' || c == 0x7f
				if got := signedURLHasControl(string(b)); got != want {
					t.Fatalf("%q: %v, want %v", b, got, want)
				}
			}
		}
	}
}
