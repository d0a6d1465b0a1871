package signet_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
)

// pysignedKey returns the key named name of the vectors' key table: its
// HMAC secret, or its Ed25519 public key (the private key with private).
func pysignedKey(t testing.TB, table map[string]signettest.PysignedKey, name string, private bool) *signet.Key {
	t.Helper()
	k, ok := table[name]
	require.True(t, ok, "no key %q", name)
	if k.Type == "hmac" {
		secret, err := hex.DecodeString(k.SecretHex)
		require.NoError(t, err)
		return signet.NewHMACKey(secret)
	}
	var key *signet.Key
	var err error
	if private {
		require.Equal(t, "ed25519-pair", k.Type, "%s cannot sign", name)
		seed, err := hex.DecodeString(k.SeedHex)
		require.NoError(t, err)
		key, err = signet.NewPrivateKey(ed25519.NewKeyFromSeed(seed))
		require.NoError(t, err)
		return key
	}
	public, err := hex.DecodeString(k.PublicHex)
	require.NoError(t, err)
	key, err = signet.NewPublicKey(ed25519.PublicKey(public))
	require.NoError(t, err)
	return key
}

// pysignedKeys is a verify case's key set: each named key under its name,
// in the order given, as URLAuth(keys=[...]) tries them.
func pysignedKeys(t testing.TB, table map[string]signettest.PysignedKey, names []string) *signet.StaticKeys {
	t.Helper()
	var secrets []signet.Secret
	for _, name := range names {
		secrets = append(secrets, signet.Secret{ID: name, Key: pysignedKey(t, table, name, false), Credentials: "owner of " + name})
	}
	return staticKeys(t, secrets...)
}

// splitURL splits an absolute URL into its scheme, authority and
// request-target (everything after the authority, fragment included).
func splitURL(t testing.TB, rawURL string) (scheme, host, target string) {
	t.Helper()
	scheme, rest, ok := strings.Cut(rawURL, "://")
	require.True(t, ok, "not an absolute URL: %q", rawURL)
	end := len(rest)
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		end = i
	}
	return scheme, rest[:end], rest[end:]
}

// pysignedServerRequest is a server's view of a GET of rawURL: the
// request-target as a client sends it (without its fragment, if any), the
// authority as Host, and TLS for https.
func pysignedServerRequest(t testing.TB, rawURL string) *http.Request {
	t.Helper()
	scheme, host, target := splitURL(t, rawURL)
	target, _, _ = strings.Cut(target, "#")
	r := httptest.NewRequest("GET", "/", nil)
	r.RequestURI, r.Host, r.TLS = target, host, nil
	if strings.EqualFold(scheme, "https") {
		r.TLS = &tls.ConnectionState{}
	}
	return r
}

// pysignedRejections are the codes of the verify cases signet rejects, by
// vector id and case index: every other false case is invalid_signature.
// Upstream answers False (403 under FastAPI) to all of them.
var pysignedRejections = map[string]error{
	"expiry-boundary/1":             signet.ErrExpired, // now == exp
	"expiry-boundary/4":             signet.ErrExpired, // now == exp + skew
	"expired-at-signing/0":          signet.ErrExpired,
	"missing-or-malformed-params/0": signet.ErrMalformed,        // exp missing
	"missing-or-malformed-params/1": signet.ErrMissingSignature, // sig missing
	"missing-or-malformed-params/2": signet.ErrMalformed,        // exp=soon
	"missing-or-malformed-params/3": signet.ErrMalformed,        // exp=0
	"missing-or-malformed-params/4": signet.ErrMissingSignature, // sig= is dropped by parse_qsl
	// Not the hex of 64 bytes: no key can match, so signet rejects it before
	// any key is tried (upstream builds the message and tries every key).
	"missing-or-malformed-params/5": signet.ErrMalformed, // sig=nothex
	"duplicate-sig-exp/1":           signet.ErrMalformed, // the last sig, 00, wins
	// Upstream raises TypeError (a 500 under FastAPI) when a non-ASCII sig
	// meets an HMAC key; signet rejects the sig's shape: a 400, never a 5xx.
	"non-ascii-sig/0": signet.ErrMalformed,
	"non-ascii-sig/1": signet.ErrMalformed,
}

// pysignedQuirks says, for every vector tagged quirk or
// version-difference, whether signet matches upstream or deliberately
// differs, and why.
var pysignedQuirks = map[string]string{
	"blank-values-invisible":  "match: blank values are dropped as parse_qsl drops them, so adding one later still verifies",
	"semicolon-not-separator": "match: ; is data in the query (Python 3.10+ splits on & only)",
	"bad-escapes":             "match: bad escapes stay literal; invalid UTF-8 is one U+FFFD per maximal subpart",
	"exp-python-int-quirks":   "match: exp is read with Python's int() (sign, spaces, leading zeros, underscores) and signed normalised",
	"duplicate-sig-exp":       "match: the last sig and exp win; a junk last sig (00) is 400 malformed_signature where upstream says False",
	"non-ascii-sig": "deliberate: upstream raises TypeError (a 500) when an HMAC key meets a non-ASCII sig, and says False " +
		"with Ed25519 keys only; signet answers 400 malformed_signature to both, never a 5xx",
	"input-already-signed": "match: a URL signed twice keeps both pairs; the last one wins",
	"kid-param-0.2.5":      "match per version: kid is signed in 0.2.5; 0.2.8 leaves it out, so the 0.2.5 signature fails there",
}

// TestPysignedQuirks: every quirk and version difference is accounted for.
func TestPysignedQuirks(t *testing.T) {
	vectors, _, err := signettest.PysignedVectors()
	require.NoError(t, err)
	seen := 0
	for _, v := range vectors {
		if v.HasTag("quirk") || v.HasTag("version-difference") {
			verdict, ok := pysignedQuirks[v.ID]
			require.True(t, ok, "quirk %s: say whether signet matches it", v.ID)
			t.Logf("%s: %s", v.ID, verdict)
			seen++
		}
	}
	assert.Len(t, pysignedQuirks, seen)
}

// TestPysignedVectors replays every verify case of pysigned.json through
// the verifier, as pysigned 0.2.5 (the default): the verdict, the precise
// code of each rejection, and for accepted URLs the key that matched.
func TestPysignedVectors(t *testing.T) {
	vectors, table, err := signettest.PysignedVectors()
	require.NoError(t, err)
	require.Len(t, vectors, 28)
	cases := 0
	for _, v := range vectors {
		for i, c := range v.Verify {
			cases++
			t.Run(fmt.Sprintf("%s/%d", v.ID, i), func(t *testing.T) {
				verifyPysignedCase(t, table, v, i, c, signet.Pysigned025)
			})
		}
	}
	assert.Equal(t, 89, cases)
}

// TestPysignedVectors028 replays them as pysigned 0.2.8: the same verdicts,
// but for kid-param-0.2.5, whose signature covers a kid parameter that
// 0.2.6+ leaves out of the message.
func TestPysignedVectors028(t *testing.T) {
	vectors, table, err := signettest.PysignedVectors()
	require.NoError(t, err)
	for _, v := range vectors {
		for i, c := range v.Verify {
			t.Run(fmt.Sprintf("%s/%d", v.ID, i), func(t *testing.T) {
				if v.HasTag("version-difference") {
					require.Equal(t, "kid-param-0.2.5", v.ID)
					res, err := verifyPysigned(t, table, c, signet.Pysigned028)
					assert.Nil(t, res)
					assert.ErrorIs(t, err, signet.ErrInvalidSignature, "0.2.8 does not sign kid: the 0.2.5 signature fails")
					return
				}
				verifyPysignedCase(t, table, v, i, c, signet.Pysigned028)
			})
		}
	}
}

// verifyPysigned verifies a case's URL as its verifier was configured.
func verifyPysigned(t *testing.T, table map[string]signettest.PysignedKey, c signettest.PysignedCase, version signet.PysignedVersion) (*signet.Result, error) {
	t.Helper()
	verifier, err := signet.NewPysigned(pysignedKeys(t, table, c.Keys), version, clockAt(c.Now),
		signet.PysignedIgnoreQueryParams(c.IgnoreQueryParams...), signet.PysignedSkew(time.Duration(c.Skew)*time.Second))
	require.NoError(t, err)
	return verifier.Verify(context.Background(), signet.FromHTTP(pysignedServerRequest(t, c.URL)))
}

func verifyPysignedCase(t *testing.T, table map[string]signettest.PysignedKey, v signettest.PysignedVector, i int, c signettest.PysignedCase, version signet.PysignedVersion) {
	t.Helper()
	res, err := verifyPysigned(t, table, c, version)
	if c.Expected.Valid {
		require.NoError(t, err, c.Note)
		want, ok := signettest.PysignedMatchingKey(table, v.Sign.SigningKey, c.Keys)
		require.True(t, ok, "a key of %v verifies %s's signatures", c.Keys, v.Sign.SigningKey)
		assert.Equal(t, want, res.KeyID, "the first key that verifies")
		assert.Equal(t, "owner of "+want, res.Credentials)
		wantAlg := "ed25519"
		if table[want].Type == "hmac" {
			wantAlg = "hmac-sha512"
		}
		assert.Equal(t, wantAlg, res.Algorithm)
		assert.Equal(t, "pysigned", res.Scheme)
		assert.Equal(t, time.Unix(v.Sign.Exp+c.Skew, 0), res.Expires, "exp + skew: refused from then on")
		assert.Equal(t, []string{"exp", "scheme", "netloc", "path", "params", "query"}, res.Covered)
		return
	}
	require.Error(t, err, c.Note)
	assert.Nil(t, res)
	want, ok := pysignedRejections[fmt.Sprintf("%s/%d", v.ID, i)]
	if !ok {
		want = signet.ErrInvalidSignature
	}
	assert.ErrorIs(t, err, want, "%s: %v", c.Note, err)
	if c.Expected.Raises != "" {
		assert.Equal(t, "TypeError", c.Expected.Raises)
	}
	e := signet.AsError(err)
	assert.GreaterOrEqual(t, e.Status(), 400)
	assert.Less(t, e.Status(), 500)
	assert.Empty(t, e.Challenge(), "pysigned defines no challenge")
	assert.NotContains(t, e.Error(), v.Sign.Signature)
}

// TestPysignedDefaultKeyIDs checks both of pysigned's default key ids for
// every key of the vectors.
func TestPysignedDefaultKeyIDs(t *testing.T) {
	_, table, err := signettest.PysignedVectors()
	require.NoError(t, err)
	for name, k := range table {
		t.Run(name, func(t *testing.T) {
			for _, private := range []bool{false, true} {
				if private && k.Type == "ed25519-public" {
					continue
				}
				key := pysignedKey(t, table, name, private)
				id, err := signet.Pysigned025.DefaultKeyID(key)
				require.NoError(t, err)
				assert.Equal(t, k.ID025, id)
				id, err = signet.Pysigned028.DefaultKeyID(key)
				require.NoError(t, err)
				assert.Equal(t, k.ID028, id)
			}
		})
	}
	_, err = signet.PysignedVersion("0.2.9").DefaultKeyID(signet.NewHMACKey(bytes.Repeat([]byte{1}, 64)))
	assert.ErrorContains(t, err, `"0.2.9"`)
	_, err = signet.Pysigned025.DefaultKeyID(nil)
	assert.Error(t, err)
}
