package signet_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
)

const pyNow = 1_700_000_000

// pysignedFixture is a verifier holding the vectors' hmac_a and ed_a_pub,
// and signers for both.
type pysignedFixture struct {
	table          map[string]signettest.PysignedKey
	keys           *signet.StaticKeys
	hmacKey, edKey *signet.Key
	hmac, edS      *signet.PysignedSigner
}

func newPysignedFixture(t *testing.T) pysignedFixture {
	t.Helper()
	_, table, err := signettest.PysignedVectors()
	require.NoError(t, err)
	f := pysignedFixture{table: table, keys: pysignedKeys(t, table, []string{"hmac_a", "ed_a_pub"})}
	f.hmacKey, f.edKey = pysignedKey(t, table, "hmac_a", true), pysignedKey(t, table, "ed_a", true)
	f.hmac, err = signet.NewPysignedSigner(f.hmacKey, clockAt(pyNow))
	require.NoError(t, err)
	f.edS, err = signet.NewPysignedSigner(f.edKey, clockAt(pyNow))
	require.NoError(t, err)
	return f
}

func (f *pysignedFixture) sign(t *testing.T, s *signet.PysignedSigner, u string) string {
	t.Helper()
	signed, err := s.SignURL(u)
	require.NoError(t, err)
	return signed
}

// hmacTag is the hex HMAC-SHA512 of msg under the vectors' hmac_a, for URLs
// the signer cannot produce.
func hmacTag(t *testing.T, table map[string]signettest.PysignedKey, msg string) string {
	secret, err := hex.DecodeString(table["hmac_a"].SecretHex)
	require.NoError(t, err)
	m := hmac.New(sha512.New, secret)
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// TestPysignedHostileInput: each malformed, tampered or unusual URL gets its
// precise answer.
func TestPysignedHostileInput(t *testing.T) {
	f := newPysignedFixture(t)
	good := f.sign(t, f.hmac, "https://example.com/p?a=1")
	goodEd := f.sign(t, f.edS, "https://example.com/p?a=1")
	sig := func(u string) string { _, s, _ := strings.Cut(u, "sig="); s, _, _ = strings.Cut(s, "&"); return s }
	edSig := sig(goodEd)
	spaced := ""
	for i := 0; i < len(edSig); i += 2 {
		spaced += edSig[i:i+2] + "+"
	}
	bigExp := "99999999999999999999"
	bigExpURL := "https://example.com/p?a=1&exp=" + bigExp + "&sig=" +
		hmacTag(t, f.table, bigExp+"\nhttps\nexample.com\n/p\n\na=1")
	tests := []struct {
		name string
		url  string
		host string // overrides the URL's authority as the Host header
		want error  // nil: accepted
	}{
		{"as signed", good, "", nil},
		{"no query", "https://example.com/p", "", signet.ErrMissingSignature},
		{"exp only", "https://example.com/p?exp=1700000600", "", signet.ErrMissingSignature},
		{"blank sig", "https://example.com/p?sig=&exp=1700000600", "", signet.ErrMissingSignature},
		{"sig only", "https://example.com/p?sig=" + sig(good), "", signet.ErrMalformed},
		{"blank exp", strings.Replace(good, "exp=1700000600", "exp=", 1), "", signet.ErrMalformed},
		{"hex exp", strings.Replace(good, "exp=1700000600", "exp=0x6553F3D8", 1), "", signet.ErrMalformed},
		{"exp with a fraction", strings.Replace(good, "exp=1700000600", "exp=1700000600.0", 1), "", signet.ErrMalformed},
		{"negative zero exp", strings.Replace(good, "exp=1700000600", "exp=-0", 1), "", signet.ErrMalformed},
		{"exp of 4301 digits", strings.Replace(good, "exp=1700000600", "exp="+strings.Repeat("0", 4291)+"1700000600", 1), "", signet.ErrMalformed},
		{"exp of 4300 digits", strings.Replace(good, "exp=1700000600", "exp="+strings.Repeat("0", 4290)+"1700000600", 1), "", nil},
		{"Arabic-Indic exp", strings.Replace(good, "exp=1700000600", "exp=%D9%A1700000600", 1), "", nil},
		{"negative exp", strings.Replace(good, "exp=1700000600", "exp=-1700000600", 1), "", signet.ErrInvalidSignature},
		{"exp beyond int64, signed", bigExpURL, "", nil},
		{"short sig", strings.Replace(good, sig(good), sig(good)[:126], 1), "", signet.ErrMalformed},
		{"long sig", strings.Replace(good, sig(good), sig(good)+"00", 1), "", signet.ErrMalformed},
		{"sig not hex", strings.Replace(good, sig(good), "zz"+sig(good)[2:], 1), "", signet.ErrMalformed},
		{"upper-case HMAC hex", strings.Replace(good, sig(good), strings.ToUpper(sig(good)), 1), "", signet.ErrInvalidSignature},
		{"upper-case Ed25519 hex", strings.Replace(goodEd, edSig, strings.ToUpper(edSig), 1), "", nil},
		{"Ed25519 hex with spaces between pairs", strings.Replace(goodEd, edSig, spaced, 1), "", nil},
		{"Ed25519 hex with a space inside a pair", strings.Replace(goodEd, edSig, edSig[:1]+"+"+edSig[1:], 1), "", signet.ErrMalformed},
		{"percent-encoded sig name", strings.Replace(good, "sig=", "%73ig=", 1), "", nil},
		{"percent-encoded query hex in lower case", strings.Replace(f.sign(t, f.hmac, "https://example.com/p?a=%C3%A9"), "%C3%A9", "%c3%a9", 1), "", nil},
		{"query reordered", "https://example.com/p?exp=1700000600&sig=" + sig(good) + "&a=1", "", nil},
		{"blank and bare params added", good + "&b=&flag", "", nil},
		{"param added", good + "&b=1", "", signet.ErrInvalidSignature},
		{"path changed", strings.Replace(good, "/p?", "/P?", 1), "", signet.ErrInvalidSignature},
		{"params added to the path", strings.Replace(good, "/p?", "/p;x?", 1), "", signet.ErrInvalidSignature},
		{"host changed", good, "EXAMPLE.com", signet.ErrInvalidSignature},
		{"port added", good, "example.com:443", signet.ErrInvalidSignature},
		{"host with a slash", good, "example.com/p", signet.ErrMalformed},
		{"host with an open bracket", good, "[::1", signet.ErrMalformed},
		{"host with IPv4 in brackets", good, "[1.2.3.4]", signet.ErrMalformed},
		{"host not UTF-8", good, "ex\xffample.com", signet.ErrMalformed},
		{"target not UTF-8", strings.Replace(good, "/p?", "/\xff?", 1), "", signet.ErrMalformed},
		{"target with a tab", strings.Replace(good, "/p?", "/\tp?", 1), "", signet.ErrMalformed},
		{"too many params", good + strings.Repeat("&x=1", 1000), "", signet.ErrMalformed},
		{"1000 params", strings.Replace(good, "?a=1", "?a=1"+strings.Repeat("&utm=1", 997), 1), "", signet.ErrInvalidSignature},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			verifier, err := signet.NewPysigned(f.keys, clockAt(pyNow))
			require.NoError(t, err)
			r := pysignedServerRequest(t, tc.url)
			if tc.host != "" {
				r.Host = tc.host
			}
			res, err := verifier.Verify(context.Background(), signet.FromHTTP(r))
			if tc.want == nil {
				require.NoError(t, err)
				assert.NotEmpty(t, res.KeyID)
				return
			}
			require.ErrorIs(t, err, tc.want, "%v", err)
			e := signet.AsError(err)
			assert.True(t, e.Status() >= 400 && e.Status() < 500)
			assert.NotContains(t, e.Error(), sig(good))
			assert.NotContains(t, e.Error(), "\n", "no message in the answer")
		})
	}

	verifier, err := signet.NewPysigned(f.keys, clockAt(pyNow))
	require.NoError(t, err)
	r := pysignedServerRequest(t, bigExpURL)
	res, err := verifier.Verify(context.Background(), signet.FromHTTP(r))
	require.NoError(t, err)
	assert.Equal(t, time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), res.Expires.UTC(), "exp is clamped to year 9999")
}

// TestPysignedOrigin: behind a proxy the public scheme and authority come
// from the option, not from the request.
func TestPysignedOrigin(t *testing.T) {
	f := newPysignedFixture(t)
	signed := f.sign(t, f.hmac, "HTTPS://Example.COM:8443/a;p?b=1")
	_, _, target := splitURL(t, signed)
	r, err := http.NewRequest("GET", "http://10.0.0.7:8080"+target, nil)
	require.NoError(t, err)
	r.RequestURI = target
	for _, tc := range []struct {
		origin string
		want   error
	}{
		{"HTTPS://Example.COM:8443", nil},
		{"https://Example.COM:8443", nil},
		{"https://example.com:8443", signet.ErrInvalidSignature},
		{"http://Example.COM:8443", signet.ErrInvalidSignature},
	} {
		verifier, err := signet.NewPysigned(f.keys, clockAt(pyNow), signet.PysignedOrigin(tc.origin))
		require.NoError(t, err)
		_, err = verifier.Verify(context.Background(), signet.FromHTTP(r))
		if tc.want == nil {
			assert.NoError(t, err, tc.origin)
		} else {
			assert.ErrorIs(t, err, tc.want, tc.origin)
		}
	}
	verifier, err := signet.NewPysigned(f.keys, clockAt(pyNow))
	require.NoError(t, err)
	_, err = verifier.Verify(context.Background(), signet.FromHTTP(r))
	assert.ErrorIs(t, err, signet.ErrInvalidSignature, "without the origin: http://10.0.0.7:8080")

	// An absolute-form request-target: its authority is the URL's.
	abs := pysignedServerRequest(t, signed)
	abs.RequestURI, abs.Host = strings.Replace(signed, "https://", "https://", 1), "proxy.internal"
	_, err = verifier.Verify(context.Background(), signet.FromHTTP(abs))
	assert.NoError(t, err)
}

// TestPysignedKeyPolicy: which keys may verify, pinned algorithms and the
// allow-list.
func TestPysignedKeyPolicy(t *testing.T) {
	f := newPysignedFixture(t)
	signed := f.sign(t, f.hmac, "https://example.com/k")
	edPub := pysignedKey(t, f.table, "ed_a_pub", false)
	for _, tc := range []struct {
		name    string
		secrets []signet.Secret
		opts    []signet.PysignedOption
		want    error
		keyID   string
	}{
		{"pinned to hmac-sha512", []signet.Secret{{ID: "h", Key: f.hmacKey, Algorithm: "hmac-sha512"}}, nil, nil, "h"},
		{"pinned to ed25519 instead", []signet.Secret{{ID: "h", Key: f.hmacKey, Algorithm: "ed25519"}}, nil, nil, ""},
		{"only Ed25519 allowed", []signet.Secret{{ID: "h", Key: f.hmacKey}}, []signet.PysignedOption{signet.WithAlgorithms("ed25519")}, signet.ErrUnsupportedAlgorithm, ""},
		{"an Ed25519 key is skipped, the HMAC one matches", []signet.Secret{{ID: "e", Key: edPub}, {ID: "h", Key: f.hmacKey}}, []signet.PysignedOption{signet.WithAlgorithms("hmac-sha512")}, nil, "h"},
		{"a wrong key first", []signet.Secret{{ID: "w", Key: pysignedKey(t, f.table, "hmac_wrong", false)}, {ID: "h", Key: f.hmacKey}}, nil, nil, "h"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			keys := signet.KeyFunc(func(context.Context, string) ([]signet.Secret, error) { return tc.secrets, nil })
			verifier, err := signet.NewPysigned(keys, append(tc.opts, clockAt(pyNow))...)
			require.NoError(t, err)
			res, err := verifier.Verify(context.Background(), signet.FromHTTP(pysignedServerRequest(t, signed)))
			switch {
			case tc.keyID != "":
				require.NoError(t, err)
				assert.Equal(t, tc.keyID, res.KeyID)
			case tc.want != nil:
				assert.ErrorIs(t, err, tc.want)
			default:
				assert.ErrorIs(t, err, signet.ErrUnsupportedAlgorithm)
			}
		})
	}

	// A key store that fails, and one that knows nothing.
	for _, tc := range []struct {
		err  error
		want error
	}{{errors.New("db down"), signet.ErrUnavailable}, {signet.ErrUnknownKey, signet.ErrUnknownKey}} {
		keys := signet.KeyFunc(func(_ context.Context, id string) ([]signet.Secret, error) {
			assert.Equal(t, signet.AnyKeyID, id)
			return nil, tc.err
		})
		verifier, err := signet.NewPysigned(keys, clockAt(pyNow))
		require.NoError(t, err)
		_, err = verifier.Verify(context.Background(), signet.FromHTTP(pysignedServerRequest(t, signed)))
		assert.ErrorIs(t, err, tc.want)
		assert.NotContains(t, err.Error(), "db down")
	}

	// A store returning a short secret at request time.
	short := signet.KeyFunc(func(context.Context, string) ([]signet.Secret, error) {
		return []signet.Secret{{ID: "s", Key: signet.NewHMACKey([]byte("short"))}}, nil
	})
	verifier, err := signet.NewPysigned(short, clockAt(pyNow))
	require.NoError(t, err)
	_, err = verifier.Verify(context.Background(), signet.FromHTTP(pysignedServerRequest(t, signed)))
	assert.ErrorIs(t, err, signet.ErrUnsupportedAlgorithm)
}

// TestPysignedMaxAge: WithMaxAge bounds how far ahead exp may be, which
// pysigned never does.
func TestPysignedMaxAge(t *testing.T) {
	f := newPysignedFixture(t)
	signed := f.sign(t, f.hmac, "https://example.com/m") // exp = now + 600
	for _, tc := range []struct {
		maxAge time.Duration
		want   error
	}{{10 * time.Minute, nil}, {599 * time.Second, signet.ErrExpired}} {
		verifier, err := signet.NewPysigned(f.keys, clockAt(pyNow), signet.WithMaxAge(tc.maxAge))
		require.NoError(t, err)
		_, err = verifier.Verify(context.Background(), signet.FromHTTP(pysignedServerRequest(t, signed)))
		if tc.want == nil {
			assert.NoError(t, err)
		} else {
			assert.ErrorIs(t, err, tc.want)
			assert.ErrorContains(t, err, "at most 9m59s")
		}
	}
}

// TestPysignedReplay: with a NonceStore a URL is accepted once; the same
// Ed25519 signature in upper-case hex is the same URL.
func TestPysignedReplay(t *testing.T) {
	f := newPysignedFixture(t)
	store := &memoryNonces{}
	_, err := signet.NewPysigned(f.keys, signet.WithNonceStore(store))
	require.ErrorContains(t, err, "WithMaxAge", "a record must be forgettable")
	verifier, err := signet.NewPysigned(f.keys, clockAt(pyNow), signet.WithNonceStore(store), signet.WithMaxAge(time.Hour))
	require.NoError(t, err)
	signed := f.sign(t, f.edS, "https://example.com/once")
	verify := func(u string) error {
		_, err := verifier.Verify(context.Background(), signet.FromHTTP(pysignedServerRequest(t, u)))
		return err
	}
	forged := strings.Replace(signed, "/once", "/twice", 1)
	assert.ErrorIs(t, verify(forged), signet.ErrInvalidSignature)
	require.NoError(t, verify(signed), "a forged request burns no nonce")
	assert.ErrorIs(t, verify(signed), signet.ErrReplayed)
	_, s, _ := strings.Cut(signed, "sig=")
	s, _, _ = strings.Cut(s, "&")
	assert.ErrorIs(t, verify(strings.Replace(signed, s, strings.ToUpper(s), 1)), signet.ErrReplayed)
	assert.Len(t, store.seen, 1)
	for key, until := range store.seen {
		assert.True(t, strings.HasPrefix(key, "pysigned "), key)
		assert.Equal(t, time.Unix(pyNow+600, 0).Add(time.Minute), until)
	}
}

func TestPysignedConfigErrors(t *testing.T) {
	f := newPysignedFixture(t)
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ecKey, err := signet.NewPublicKey(&ec.PublicKey)
	require.NoError(t, err)
	for _, tc := range []struct {
		name    string
		keys    signet.KeyStore
		opts    []signet.PysignedOption
		message string
	}{
		{"no key store", nil, nil, "needs a KeyStore"},
		{"63-byte secret", staticKeys(t, signet.Secret{ID: "s", Key: signet.NewHMACKey(bytes.Repeat([]byte{1}, 63))}), nil, `secret 0 (id "s"), an HMAC secret, cannot verify pysigned requests: a configured HMAC key is shorter than the 64 bytes`},
		{"ECDSA key", staticKeys(t, signet.Secret{ID: "e", Key: ecKey}), nil, "cannot verify pysigned URLs"},
		{"pinned to another algorithm", staticKeys(t, signet.Secret{ID: "h", Key: f.hmacKey, Algorithm: "hmac-sha256"}), nil, `pinned to "hmac-sha256"`},
		{"unknown version", f.keys, []signet.PysignedOption{signet.PysignedVersion("0.3.0")}, `"0.3.0"`},
		{"require_kid in 0.2.5", f.keys, []signet.PysignedOption{signet.PysignedRequireKid()}, "needs pysigned 0.2.8"},
		{"fractional skew", f.keys, []signet.PysignedOption{signet.PysignedSkew(time.Second / 2)}, "whole seconds"},
		{"fractional WithClockSkew", f.keys, []signet.PysignedOption{signet.WithClockSkew(time.Second / 2)}, "whole seconds"},
		{"negative WithClockSkew", f.keys, []signet.PysignedOption{signet.WithClockSkew(-time.Second)}, "negative"},
		{"unknown algorithm", f.keys, []signet.PysignedOption{signet.WithAlgorithms("hmac-sha256")}, `not "hmac-sha256"`},
		{"unused option", f.keys, []signet.PysignedOption{signet.WithMaxBodyBytes(1)}, "WithMaxBodyBytes is not used by the pysigned scheme"},
		{"nil option", f.keys, []signet.PysignedOption{nil}, "nil"},
		{"zero setting", f.keys, []signet.PysignedOption{signet.PysignedSetting{}}, "zero"},
		{"origin without scheme", f.keys, []signet.PysignedOption{signet.PysignedOrigin("example.com")}, "scheme://authority"},
		{"origin with a path", f.keys, []signet.PysignedOption{signet.PysignedOrigin("https://example.com/")}, "no path"},
		{"origin with a query", f.keys, []signet.PysignedOption{signet.PysignedOrigin("https://example.com?x")}, "no path"},
		{"origin without authority", f.keys, []signet.PysignedOption{signet.PysignedOrigin("https://")}, "no path"},
		{"origin with a bad scheme", f.keys, []signet.PysignedOption{signet.PysignedOrigin("1https://h")}, "scheme://authority"},
		{"origin with a bad IPv6 host", f.keys, []signet.PysignedOption{signet.PysignedOrigin("https://[::1")}, "IPv6"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := signet.NewPysigned(tc.keys, tc.opts...)
			assert.ErrorContains(t, err, tc.message)
		})
	}
	// WithClockSkew sets the same skew as PysignedSkew.
	signed := f.sign(t, f.hmac, "https://example.com/s")
	verifier, err := signet.NewPysigned(f.keys, clockAt(pyNow+600), signet.WithClockSkew(time.Second))
	require.NoError(t, err)
	_, err = verifier.Verify(context.Background(), signet.FromHTTP(pysignedServerRequest(t, signed)))
	assert.NoError(t, err)
}

// TestPysignedMaxAgeWithSkew: WithMaxAge bounds how far ahead exp is, as
// documented, whatever the skew added after it.
func TestPysignedMaxAgeWithSkew(t *testing.T) {
	key := signet.NewHMACKey(bytes.Repeat([]byte{7}, 64))
	keys := staticKeys(t, signet.Secret{ID: "k", Key: key})
	for _, tc := range []struct {
		ttl, skew time.Duration
		want      error
	}{
		{time.Hour, 0, nil},
		{time.Hour, 30 * time.Second, nil},
		{time.Hour - 10*time.Second, 30 * time.Second, nil},
		{time.Hour + time.Second, 30 * time.Second, signet.ErrExpired},
	} {
		v, err := signet.NewPysigned(keys, clockAt(pyNow), signet.WithMaxAge(time.Hour), signet.PysignedSkew(tc.skew))
		require.NoError(t, err)
		signer, err := signet.NewPysignedSigner(key, signet.PysignedTTL(tc.ttl), clockAt(pyNow))
		require.NoError(t, err)
		signed, err := signer.SignURL("https://example.com/dl?file=a")
		require.NoError(t, err)
		_, err = v.Verify(context.Background(), signet.FromHTTP(pysignedServerRequest(t, signed)))
		if tc.want == nil {
			assert.NoError(t, err, "ttl %v, skew %v", tc.ttl, tc.skew)
		} else {
			assert.ErrorIs(t, err, tc.want, "ttl %v, skew %v", tc.ttl, tc.skew)
		}
	}
}
