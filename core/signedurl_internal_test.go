package signet

import (
	"bytes"
	"encoding/base64"
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
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

// TestSortSignedURLPairs: the sort agrees with slices.SortStableFunc by
// name for every size from 0 to 40 pairs (insertion, two merged halves,
// the standard library), with names that often tie in their first eight
// bytes and repeat, in random, sorted and reversed orders.
func TestSortSignedURLPairs(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	names := []string{"a", "b", "tag", "aaaaaaaa", "aaaaaaaab", "aaaaaaaaa", "z", "", "a%2Fb", "é"}
	for n := range 41 {
		for order := range 3 * 20 {
			var q strings.Builder
			pairs := make([]signedURLPair, n)
			for i := range pairs {
				name := names[rng.IntN(len(names))]
				start := q.Len()
				q.WriteString(name + "=" + strconv.Itoa(i) + "&")
				pairs[i] = signedURLPair{start: uint16(start), name: uint16(start + len(name)), end: uint16(q.Len() - 1)}
			}
			qs := q.String()
			for i := range pairs {
				pairs[i].key = prefixKeyAt(qs, int(pairs[i].start), int(pairs[i].name))
			}
			name := func(p signedURLPair) string { return qs[p.start:p.name] }
			switch order % 3 {
			case 1:
				slices.SortStableFunc(pairs, func(a, b signedURLPair) int { return strings.Compare(name(a), name(b)) })
			case 2:
				slices.SortStableFunc(pairs, func(a, b signedURLPair) int { return strings.Compare(name(b), name(a)) })
			}
			want := slices.Clone(pairs)
			slices.SortStableFunc(want, func(a, b signedURLPair) int { return strings.Compare(name(a), name(b)) })
			sortSignedURLPairs(qs, pairs)
			if !slices.Equal(pairs, want) {
				t.Fatalf("%d pairs of %q: sorted %v, want %v", n, qs, pairs, want)
			}
		}
	}
}
