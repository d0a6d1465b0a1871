package signet

import (
	"encoding/base64"
	"encoding/json"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// signedURLTailConfig ignores utm_* and ref, as the fuzz targets do.
func signedURLTailConfig(t testing.TB) *signedURLConfig {
	c, err := newSignedURLConfig([]SignedURLOption{SignedURLIgnoreParams("utm_*", "ref")}, false)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkSignedURLTail checks that when scanSignerTail takes q, it finds
// what the general scan (scanParams) finds, and reports whether it took q.
func checkSignedURLTail(t testing.TB, c *signedURLConfig, q string) bool {
	var fast, general signedURLParams
	fa, ga := &attempt{}, &attempt{}
	if !c.scanSignerTail(fa, q, &fast) {
		return false
	}
	if err := c.scanParams(ga, q, &general); err != nil {
		t.Fatalf("%q: the signer's tail was taken, the general scan fails: %v", q, err)
	}
	if fast != general {
		t.Fatalf("%q: parameters\n%+v from the tail,\n%+v from the general scan", q, fast, general)
	}
	if !slices.Equal(fa.pairs, ga.pairs) || string(fa.sig) != string(ga.sig) {
		t.Fatalf("%q: pairs %v sig %x from the tail, %v %x from the general scan", q, fa.pairs, fa.sig, ga.pairs, ga.sig)
	}
	return true
}

// TestSignedURLSignerTail: the tail of a signer's URL is taken, and agrees
// with the general scan, for random queries before it and random
// well-formed values; every one-byte change, deletion and insertion of
// such a query is either refused by the tail or agrees too.
func TestSignedURLSignerTail(t *testing.T) {
	c := signedURLTailConfig(t)
	rng := rand.New(rand.NewPCG(13, 14))
	const alphabet = "ab=&%sn-kid_utm~.0189" // names, sn- names, digits, unreserved
	for range 3000 {
		b := make([]byte, rng.IntN(24))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		kid := strings.Repeat("k", 1+rng.IntN(3)) + []string{"", "-1", ".x", "_~", "0"}[rng.IntN(5)]
		iat := rng.Int64N(1e12)
		exp := iat + rng.Int64N(1e6)
		sig := make([]byte, []int{32, 64}[rng.IntN(2)])
		for i := range sig {
			sig[i] = byte(rng.Uint32())
		}
		tail := "sn-kid=" + kid + "&sn-iat=" + strconv.FormatInt(iat, 10) + "&sn-exp=" + strconv.FormatInt(exp, 10) +
			"&sn-sig=" + base64.RawURLEncoding.EncodeToString(sig)
		q := tail
		if len(b) > 0 {
			q = string(b) + "&" + tail
		}
		if !strings.Contains(string(b), "sn-") && !checkSignedURLTail(t, c, q) {
			t.Fatalf("%q: the signer's tail was not taken", q)
		}
		checkSignedURLTail(t, c, q)
		for range 20 {
			m := []byte(q)
			i := rng.IntN(len(m))
			switch ch := alphabet[rng.IntN(len(alphabet))]; rng.IntN(3) {
			case 0:
				m[i] = ch
			case 1:
				m = slices.Delete(m, i, i+1)
			default:
				m = slices.Insert(m, i, ch)
			}
			checkSignedURLTail(t, c, string(m))
		}
	}
}

// TestSignedURLSignerTailEdges: the shapes around the tail's limits.
func TestSignedURLSignerTailEdges(t *testing.T) {
	c := signedURLTailConfig(t)
	sig43 := strings.Repeat("A", 43)
	sig86 := strings.Repeat("A", 86)
	for _, tc := range []struct {
		q     string
		taken bool
	}{
		{"sn-kid=k&sn-iat=0&sn-exp=0&sn-sig=" + sig43, true},
		{"sn-kid=k&sn-iat=1&sn-exp=999999999999&sn-sig=" + sig86, true},
		{"a=1&&sn-kid=k&sn-iat=1&sn-exp=2&sn-sig=" + sig43, true},
		{"&sn-kid=k&sn-iat=1&sn-exp=2&sn-sig=" + sig43, true},
		{"utm_x=1&b&sn-kid=k&sn-iat=1&sn-exp=2&sn-sig=" + sig43, true},
		{"sn-kid=" + strings.Repeat("k", 128) + "&sn-iat=1&sn-exp=2&sn-sig=" + sig43, true},
		{"sn-kid=" + strings.Repeat("k", 129) + "&sn-iat=1&sn-exp=2&sn-sig=" + sig43, false},
		{"sn-kid=k&sn-iat=1&sn-exp=1000000000000&sn-sig=" + sig43, false}, // 13 digits
		{"sn-kid=k&sn-iat=01&sn-exp=2&sn-sig=" + sig43, false},            // a leading zero
		{"sn-kid=k&sn-iat=&sn-exp=2&sn-sig=" + sig43, false},              // empty
		{"sn-kid=&sn-iat=1&sn-exp=2&sn-sig=" + sig43, false},              // empty
		{"sn-kid=k%41&sn-iat=1&sn-exp=2&sn-sig=" + sig43, false},          // an escape
		{"xsn-kid=k&sn-iat=1&sn-exp=2&sn-sig=" + sig43, false},            // another name
		{"sn-kid=k&sn-iat=1&sn-exp=2&sn-sig=" + sig43 + "A", false},       // 44 characters
		{"sn-kid=k&sn-iat=1&sn-exp=2&sn-sig=" + sig43[:42] + "B", false},  // unused bits set
		{"sn-kid=k&sn-iat=1&sn-exp=2&sn-sig=" + sig43[:42] + "&", false},  // not base64url
		{"sn-kid=k&sn-exp=2&sn-iat=1&sn-sig=" + sig43, false},             // another order
		{"sn-kid=k&sn-iat=1&sn-exp=2&sn-sig=" + sig43 + "&", false},       // not last
		{"sn-kid=j&sn-kid=k&sn-iat=1&sn-exp=2&sn-sig=" + sig43, false},    // repeated
		{"sn-x=1&sn-kid=k&sn-iat=1&sn-exp=2&sn-sig=" + sig43, false},      // reserved
		{"sn-kid=k&sn-iat=1&sn-exp=2&sn-sig=" + sig86[:85] + "&", false},  // short of 86
		{strings.Repeat("a&", 252) + "sn-kid=k&sn-iat=1&sn-exp=2&sn-sig=" + sig43, true},
		{strings.Repeat("a&", 253) + "sn-kid=k&sn-iat=1&sn-exp=2&sn-sig=" + sig43, false}, // 257 segments
	} {
		if got := checkSignedURLTail(t, c, tc.q); got != tc.taken {
			t.Errorf("%.80q: taken %v, want %v", tc.q, got, tc.taken)
		}
	}
}

// FuzzSignedURLSignerTail: whatever query the signer's tail takes, the
// general scan finds the same. Seeded with the queries of the vectors.
func FuzzSignedURLSignerTail(f *testing.F) {
	raw, err := os.ReadFile("testdata/signedurl/vectors.json")
	if err != nil {
		f.Fatal(err)
	}
	var file struct {
		Vectors []struct {
			Verify []struct{ Target string }
		}
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		f.Fatal(err)
	}
	for _, v := range file.Vectors {
		for _, c := range v.Verify {
			if _, q, _ := strings.Cut(c.Target, "?"); len(q) <= 2048 {
				f.Add(q)
			}
		}
	}
	c := signedURLTailConfig(f)
	f.Fuzz(func(t *testing.T, q string) {
		checkSignedURLTail(t, c, q)
	})
}
