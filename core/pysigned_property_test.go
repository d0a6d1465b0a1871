package signet_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// randomURL draws a URL with what pysigned must survive: hosts in any
// case, ports and IPv6 literals, paths with raw UTF-8, %2F, +, ;params and
// empty segments, queries with repeated and blank parameters, bare flags,
// +, raw ; and bad escapes, and, when withFragment, a fragment.
func randomURL(r *rand.Rand, withFragment bool) string {
	pick := func(options ...string) string { return options[r.IntN(len(options))] }
	var b strings.Builder
	b.WriteString(pick("https://", "http://", "HTTPS://"))
	b.WriteString(pick("example.com", "Example.COM:8443", "h:443", "[::1]:8080", "u:p@host", "xn--bcher-kva.example"))
	for range r.IntN(4) {
		b.WriteString("/")
		for range r.IntN(4) {
			b.WriteString(pick("a", "Z", "é", "€", "😀", "%2F", "%2f", "%20", "+", "~", ";v=1", "..", "-", "%zz", "!$'()*,:@"))
		}
	}
	if r.IntN(10) > 0 {
		b.WriteString("?")
		for i := range r.IntN(7) {
			if i > 0 {
				b.WriteString("&")
			}
			b.WriteString(pick("a", "b", "a", "é", "x+y", "%61", "utm", "k", "Z"))
			b.WriteString(pick("=", "=", "=", "", "=="))
			for range r.IntN(4) {
				b.WriteString(pick("1", "v", "é", "a+b", "%2B", "%20", ";", "%3B", "%zz", "%E2%82", "%FF", "/", "~", "*", "😀", ""))
			}
		}
	}
	if withFragment && r.IntN(3) == 0 {
		b.WriteString(pick("#", "#top", "#a?b#c"))
	}
	return b.String()
}

// pysignedSigners are an HMAC and an Ed25519 signer with the same options,
// and a verifier holding both keys.
func pysignedPair(t *testing.T, now int64, opts ...signet.PysignedSetting) ([]*signet.PysignedSigner, *signet.Pysigned) {
	t.Helper()
	hmacKey := signet.NewHMACKey(bytes.Repeat([]byte("k"), 64))
	edKey, err := signet.NewPrivateKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{3}, 32)))
	require.NoError(t, err)
	var signers []*signet.PysignedSigner
	for _, key := range []*signet.Key{hmacKey, edKey} {
		signerOpts := []signet.PysignedSignerOption{clockAt(now)}
		for _, o := range opts {
			signerOpts = append(signerOpts, o)
		}
		s, err := signet.NewPysignedSigner(key, signerOpts...)
		require.NoError(t, err)
		signers = append(signers, s)
	}
	verifierOpts := []signet.PysignedOption{clockAt(now)}
	for _, o := range opts {
		verifierOpts = append(verifierOpts, o)
	}
	v, err := signet.NewPysigned(staticKeys(t, signet.Secret{ID: "hmac", Key: hmacKey}, signet.Secret{ID: "ed", Key: edKey}), verifierOpts...)
	require.NoError(t, err)
	return signers, v
}

// verifyURL verifies a GET of rawURL as a server receives it.
func verifyURL(t *testing.T, v *signet.Pysigned, rawURL string) (*signet.Result, error) {
	t.Helper()
	return v.Verify(context.Background(), signet.FromHTTP(pysignedServerRequest(t, rawURL)))
}

// TestPysignedRoundTrip: every random URL signed by either key verifies as
// it is sent (without its fragment), and keeps its fragment.
func TestPysignedRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	signers, verifier := pysignedPair(t, 1_700_000_000, signet.PysignedIgnoreQueryParams("utm"))
	for range 500 {
		raw := randomURL(r, true)
		for i, signer := range signers {
			signed, err := signer.SignURL(raw)
			require.NoError(t, err, "%q", raw)
			res, err := verifyURL(t, verifier, signed)
			require.NoError(t, err, "%q signed as %q", raw, signed)
			assert.Equal(t, []string{"hmac", "ed"}[i], res.KeyID)
			_, fragment, hasFragment := strings.Cut(signed, "#")
			if _, want, ok := strings.Cut(raw, "#"); ok && want != "" {
				assert.True(t, hasFragment)
				assert.Equal(t, want, fragment)
			}
		}
	}
}

// TestPysignedByteFlips: flipping the low bit of any byte of a signed URL
// after its scheme (the authority, path, params and query, sig and exp
// included) makes verification fail. The scheme is not part of the test: a
// server takes it from the connection, not from the URL.
func TestPysignedByteFlips(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	signers, verifier := pysignedPair(t, 1_700_000_000)
	flips := 0
	for range 60 {
		raw := randomURL(r, false)
		for _, signer := range signers {
			signed, err := signer.SignURL(raw)
			require.NoError(t, err)
			start := strings.Index(signed, "://") + 3
			for i := start; i < len(signed); i++ {
				flipped := []byte(signed)
				flipped[i] ^= 0x01
				_, err := verifyURL(t, verifier, string(flipped))
				require.Error(t, err, "byte %d of %q flipped: %q", i, signed, flipped)
				e := signet.AsError(err)
				require.True(t, e.Status() >= 400 && e.Status() < 500, "%v", err)
				flips++
			}
		}
	}
	t.Logf("%d flipped URLs rejected", flips)
}

// TestPysignedExpiryBoundaries: valid while now < exp + skew, in whole
// seconds of a truncated clock; refused from exp + skew on.
func TestPysignedExpiryBoundaries(t *testing.T) {
	const signedAt, ttl = 1_700_000_000, 600
	const exp = signedAt + ttl
	for _, skew := range []int64{0, 1, 30, -100} {
		signers, _ := pysignedPair(t, signedAt)
		signed, err := signers[0].SignURL("https://example.com/dl?f=1")
		require.NoError(t, err)
		for _, tc := range []struct {
			now   time.Time
			valid bool
		}{
			{time.Unix(exp+skew-1, 0), true},
			{time.Unix(exp+skew-1, 999_999_999), true}, // time() truncates: still exp + skew - 1
			{time.Unix(exp+skew, 0), false},
			{time.Unix(exp+skew, 1), false},
			{time.Unix(exp+skew+1, 0), false},
			{time.Unix(signedAt-86400, 0), true}, // no lower bound
		} {
			t.Run(fmt.Sprintf("skew=%d/now=exp%+.9f", skew, float64(tc.now.UnixNano()-exp*1e9)/1e9), func(t *testing.T) {
				verifier, err := signet.NewPysigned(staticKeys(t, signet.Secret{ID: "hmac", Key: signet.NewHMACKey(bytes.Repeat([]byte("k"), 64))}),
					fixedClock(tc.now), signet.PysignedSkew(time.Duration(skew)*time.Second))
				require.NoError(t, err)
				res, err := verifyURL(t, verifier, signed)
				if tc.valid {
					require.NoError(t, err)
					assert.Equal(t, time.Unix(exp+skew, 0), res.Expires)
					return
				}
				require.ErrorIs(t, err, signet.ErrExpired)
				assert.Contains(t, err.Error(), time.Unix(exp+skew, 0).UTC().Format(time.RFC3339))
			})
		}
	}
}
