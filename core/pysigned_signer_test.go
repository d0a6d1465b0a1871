package signet_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
)

// TestPysignedSignerVectors signs each vector's URL with its key, ttl,
// ignore list and clock, and compares the signed URL byte for byte, as
// pysigned 0.2.5 and 0.2.8 (whose messages differ only when a kid
// parameter is present).
func TestPysignedSignerVectors(t *testing.T) {
	vectors, table, err := signettest.PysignedVectors()
	require.NoError(t, err)
	for _, version := range []signet.PysignedVersion{signet.Pysigned025, signet.Pysigned028} {
		for _, v := range vectors {
			t.Run(string(version)+"/"+v.ID, func(t *testing.T) {
				signer, err := signet.NewPysignedSigner(pysignedKey(t, table, v.Sign.SigningKey, true), version,
					clockAt(v.Sign.Now), signet.PysignedTTL(time.Duration(v.Sign.TTL)*time.Second),
					signet.PysignedIgnoreQueryParams(v.Sign.IgnoreQueryParams...))
				require.NoError(t, err)
				got, err := signer.SignURL(v.Sign.URL)
				require.NoError(t, err)
				if version == signet.Pysigned028 && v.HasTag("version-difference") {
					assert.NotEqual(t, v.Sign.SignedURL, got, "0.2.8 leaves kid out of the message")
					assert.Equal(t, strings.Split(v.Sign.SignedURL, "&sig=")[0], strings.Split(got, "&sig=")[0])
					return
				}
				assert.Equal(t, v.Sign.SignedURL, got)
			})
		}
	}
}

// pythonSigned is the "signed" section of testdata/pysigned_python.json:
// random URLs signed at a fixed exp by a transcription of URLAuth.sign
// over CPython 3.11's urllib, with the vectors' key hmac_a.
type pythonSigned struct {
	URL       string   `json:"url"`
	Exp       int64    `json:"exp"`
	Ignore    []string `json:"ignore"`
	Message   string   `json:"message"`
	SignedURL string   `json:"signed_url"`
}

// TestPysignedSignerPython reproduces the 300 random signed URLs, and
// verifies each as a server receives it (without its fragment).
func TestPysignedSignerPython(t *testing.T) {
	data, err := os.ReadFile("testdata/pysigned_python.json")
	require.NoError(t, err)
	var golden struct {
		Signed []pythonSigned `json:"signed"`
	}
	require.NoError(t, json.Unmarshal(data, &golden))
	require.Len(t, golden.Signed, 300)
	_, table, err := signettest.PysignedVectors()
	require.NoError(t, err)
	key := pysignedKey(t, table, "hmac_a", true)
	keys := staticKeys(t, signet.Secret{ID: "hmac_a", Key: key})
	for _, c := range golden.Signed {
		const now = 1_700_000_000
		signer, err := signet.NewPysignedSigner(key, clockAt(now), signet.PysignedTTL(time.Duration(c.Exp-now)*time.Second),
			signet.PysignedIgnoreQueryParams(c.Ignore...))
		require.NoError(t, err)
		got, err := signer.SignURL(c.URL)
		require.NoError(t, err, "%q", c.URL)
		if !assert.Equal(t, c.SignedURL, got, "%q", c.URL) {
			continue
		}
		verifier, err := signet.NewPysigned(keys, clockAt(c.Exp-1), signet.PysignedIgnoreQueryParams(c.Ignore...))
		require.NoError(t, err)
		sent, _, _ := strings.Cut(got, "#")
		_, err = verifier.Verify(context.Background(), signet.FromHTTP(pysignedServerRequest(t, sent)))
		assert.NoError(t, err, "%q", sent)
	}
}

// TestPysignedSignOverHTTP signs requests with Sign and sends them to a
// net/http server that verifies them: what the client signs is what the
// server receives.
func TestPysignedSignOverHTTP(t *testing.T) {
	_, table, err := signettest.PysignedVectors()
	require.NoError(t, err)
	keys := pysignedKeys(t, table, []string{"ed_a_pub", "hmac_a"})
	verifier, err := signet.NewPysigned(keys, signet.PysignedIgnoreQueryParams("utm"))
	require.NoError(t, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		res, err := verifier.Verify(r.Context(), signet.FromHTTP(r))
		if err != nil {
			http.Error(w, signet.AsError(err).Code(), signet.AsError(err).Status())
			return
		}
		io.WriteString(w, res.KeyID+" "+r.URL.RawQuery)
	}))
	defer srv.Close()
	for _, signing := range []string{"hmac_a", "ed_a"} {
		signer, err := signet.NewPysignedSigner(pysignedKey(t, table, signing, true), signet.PysignedIgnoreQueryParams("utm"))
		require.NoError(t, err)
		for _, target := range []string{
			"/", "/a%2Fb/c%20d;p=1?x=1&x=0&blank=&flag", "/caf%C3%A9?q=hello+world&q=%E2%82%AC&utm=x",
			"/a;b;c?semi=a;b&plus=a+b&pct=%2B%zz", "/p?kid=mine", "//double//slash?e=",
		} {
			t.Run(signing+target, func(t *testing.T) {
				r, err := http.NewRequest("GET", srv.URL+target, nil)
				require.NoError(t, err)
				require.NoError(t, signer.Sign(r))
				assert.Contains(t, r.URL.RawQuery, "sig=")
				resp, err := srv.Client().Do(r)
				require.NoError(t, err)
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
				assert.True(t, strings.HasPrefix(string(body), map[string]string{"hmac_a": "hmac_a", "ed_a": "ed_a_pub"}[signing]+" "))

				tampered := *r.URL
				tampered.RawQuery = "z=1&" + tampered.RawQuery
				resp, err = srv.Client().Get(tampered.String())
				require.NoError(t, err)
				resp.Body.Close()
				assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
			})
		}
	}
}

// TestPysignedRequireKid: with 0.2.8's require_kid the signer appends its
// key id and the verifier tries only that id's keys.
func TestPysignedRequireKid(t *testing.T) {
	_, table, err := signettest.PysignedVectors()
	require.NoError(t, err)
	hmacA, edA := pysignedKey(t, table, "hmac_a", true), pysignedKey(t, table, "ed_a", true)
	keys := staticKeys(t,
		signet.Secret{ID: table["hmac_a"].ID028, Key: hmacA},
		signet.Secret{ID: "ed", Key: pysignedKey(t, table, "ed_a", false)},
	)
	verifier, err := signet.NewPysigned(keys, signet.Pysigned028, signet.PysignedRequireKid(), clockAt(1_700_000_000))
	require.NoError(t, err)
	verify := func(u string) (*signet.Result, error) {
		return verifier.Verify(context.Background(), signet.FromHTTP(pysignedServerRequest(t, u)))
	}
	sign := func(key *signet.Key, opts ...signet.PysignedSignerOption) string {
		opts = append([]signet.PysignedSignerOption{signet.Pysigned028, signet.PysignedRequireKid(), clockAt(1_700_000_000)}, opts...)
		signer, err := signet.NewPysignedSigner(key, opts...)
		require.NoError(t, err)
		u, err := signer.SignURL("https://example.com/r?kid=ignored&id=7")
		require.NoError(t, err)
		return u
	}

	byDefaultID := sign(hmacA)
	assert.True(t, strings.HasSuffix(byDefaultID, "&kid="+table["hmac_a"].ID028), byDefaultID)
	res, err := verify(byDefaultID)
	require.NoError(t, err)
	assert.Equal(t, table["hmac_a"].ID028, res.KeyID)

	res, err = verify(sign(edA, signet.PysignedKeyID("ed")))
	require.NoError(t, err)
	assert.Equal(t, "ed", res.KeyID)

	_, err = verify(strings.Replace(sign(edA, signet.PysignedKeyID("ed")), "&kid=ed", "&kid="+table["hmac_a"].ID028, 1))
	assert.ErrorIs(t, err, signet.ErrInvalidSignature, "only the kid's keys are tried")
	_, err = verify(sign(edA, signet.PysignedKeyID("nope")))
	assert.ErrorIs(t, err, signet.ErrUnknownKey)
	_, err = verify(strings.ReplaceAll(byDefaultID, "kid=", "kod="))
	assert.ErrorIs(t, err, signet.ErrMalformed, "no kid")
	_, err = verify(strings.Replace(byDefaultID, "kid=ignored", "kid="+table["hmac_a"].ID028, 1) + "&kid=")
	assert.NoError(t, err, "the last non-blank kid counts, and 0.2.8 signs no kid")
}

func TestPysignedSignerErrors(t *testing.T) {
	_, table, err := signettest.PysignedVectors()
	require.NoError(t, err)
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ec, err := signet.NewPrivateKey(ecKey)
	require.NoError(t, err)
	hmacA := pysignedKey(t, table, "hmac_a", true)
	for _, tc := range []struct {
		name    string
		key     *signet.Key
		opts    []signet.PysignedSignerOption
		message string
	}{
		{"no key", nil, nil, "a pysigned signer needs an HMAC secret of at least 64 bytes or an Ed25519 private key"},
		{"63-byte secret", signet.NewHMACKey(bytes.Repeat([]byte{1}, 63)), nil, "shorter than the 64 bytes"},
		{"Ed25519 public key", pysignedKey(t, table, "ed_a_pub", false), nil, "public key cannot sign"},
		{"ECDSA key", ec, nil, "cannot verify pysigned URLs"},
		{"require_kid in 0.2.5", hmacA, []signet.PysignedSignerOption{signet.PysignedRequireKid()}, "needs pysigned 0.2.8"},
		{"unknown version", hmacA, []signet.PysignedSignerOption{signet.PysignedVersion("0.2.7")}, `"0.2.7"`},
		{"fractional ttl", hmacA, []signet.PysignedSignerOption{signet.PysignedTTL(1500 * time.Millisecond)}, "whole seconds"},
		{"empty key id", hmacA, []signet.PysignedSignerOption{signet.PysignedKeyID("")}, "empty"},
		{"key id without require_kid", hmacA, []signet.PysignedSignerOption{signet.Pysigned028, signet.PysignedKeyID("k")}, "PysignedRequireKid, which is not given"},
		{"key id in 0.2.5", hmacA, []signet.PysignedSignerOption{signet.PysignedKeyID("k")}, "PysignedRequireKid, which is not given"},
		{"verifier-only option", hmacA, []signet.PysignedSignerOption{signet.WithMaxAge(time.Minute)}, "WithMaxAge is not used"},
		{"nil option", hmacA, []signet.PysignedSignerOption{nil}, "nil"},
		{"zero setting", hmacA, []signet.PysignedSignerOption{signet.PysignedSetting{}}, "zero"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := signet.NewPysignedSigner(tc.key, tc.opts...)
			assert.ErrorContains(t, err, tc.message)
		})
	}

	signer, err := signet.NewPysignedSigner(hmacA)
	require.NoError(t, err)
	for _, bad := range []string{"https://[::1/x", "https://[1.2.3.4]/", "https://h/\xff"} {
		_, err := signer.SignURL(bad)
		assert.Error(t, err, "%q", bad)
	}
	r, _ := http.NewRequest("GET", "https://bücher.example/x", nil)
	assert.ErrorContains(t, signer.Sign(r), "punycode")
	assert.Error(t, signer.Sign(&http.Request{}))
}

// TestPysignedSignerDefaults: pysigned's ttl of 600 s, and a URL already
// carrying sig and exp keeps them before the new pair.
func TestPysignedSignerDefaults(t *testing.T) {
	secret := bytes.Repeat([]byte{7}, 64)
	signer, err := signet.NewPysignedSigner(signet.NewHMACKey(secret), clockAt(1_700_000_000))
	require.NoError(t, err)
	got, err := signer.SignURL("https://h/p?sig=old&exp=1#top")
	require.NoError(t, err)
	u, err := url.Parse(got)
	require.NoError(t, err)
	assert.Equal(t, []string{"old", u.Query()["sig"][1]}, u.Query()["sig"])
	assert.Equal(t, []string{"1", "1700000600"}, u.Query()["exp"])
	assert.Equal(t, "top", u.Fragment)

	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, 32))
	key, err := signet.NewPrivateKey(priv)
	require.NoError(t, err)
	signer, err = signet.NewPysignedSigner(key, signet.PysignedTTL(-time.Minute), clockAt(1_700_000_000))
	require.NoError(t, err)
	got, err = signer.SignURL("https://h")
	require.NoError(t, err)
	assert.Regexp(t, `^https://h\?sig=[0-9a-f]{128}&exp=1699999940$`, got)
}

// TestPysignedSignerRedirectKid: signing a redirect afresh drops the sig
// and exp it wrote, and the kid only when it writes one: a kid of the
// caller's own stays.
func TestPysignedSignerRedirectKid(t *testing.T) {
	key := signet.NewHMACKey(bytes.Repeat([]byte{7}, 64))
	redirect := func(opts ...signet.PysignedSignerOption) url.Values {
		t.Helper()
		signer, err := signet.NewPysignedSigner(key, append(opts, clockAt(1_700_000_000))...)
		require.NoError(t, err)
		r, err := http.NewRequest("GET", "https://h/p?kid=tenant7&sig=old&exp=1", nil)
		require.NoError(t, err)
		r.Response = &http.Response{StatusCode: http.StatusFound}
		require.NoError(t, signer.Sign(r))
		return r.URL.Query()
	}
	q := redirect(signet.Pysigned028)
	assert.Equal(t, []string{"tenant7"}, q["kid"], "no kid written: the caller's stays")
	assert.Len(t, q["sig"], 1)
	q = redirect(signet.Pysigned028, signet.PysignedRequireKid(), signet.PysignedKeyID("k1"))
	assert.Equal(t, []string{"k1"}, q["kid"], "the kid it writes replaces the one of the signed URL")
	assert.Equal(t, []string{"1700000600"}, q["exp"])
}

// TestPysignedSignRefusesItsNames: Sign refuses a query already holding
// sig or exp (kid too, when it writes one), which no signature covers and
// the server's handler would read (SignURL keeps upstream's behaviour,
// vector input-already-signed); a redirect it signed is signed afresh
// (TestPysignedSignerRedirectKid).
func TestPysignedSignRefusesItsNames(t *testing.T) {
	key := signet.NewHMACKey(bytes.Repeat([]byte{7}, 64))
	plain, err := signet.NewPysignedSigner(key, signet.Pysigned028)
	require.NoError(t, err)
	withKid, err := signet.NewPysignedSigner(key, signet.Pysigned028, signet.PysignedRequireKid(), signet.PysignedKeyID("k1"))
	require.NoError(t, err)
	for _, tt := range []struct {
		signer *signet.PysignedSigner
		query  string
		refuse bool
	}{
		{plain, "exp=42&q=x", true},
		{plain, "q=x&sig=00", true},
		{plain, "kid=mine", false},
		{withKid, "kid=mine", true},
		{withKid, "expires=1&signature=2", false},
	} {
		r, err := http.NewRequest("GET", "https://h/p?"+tt.query, nil)
		require.NoError(t, err)
		if err := tt.signer.Sign(r); tt.refuse {
			assert.ErrorContains(t, err, "already holds sig, exp or kid", tt.query)
		} else {
			assert.NoError(t, err, tt.query)
		}
	}
}

// TestPysignedSignerRefusesHash: a request whose query (or path) holds a
// raw '#' would reach the server with it, which verifiers refuse.
func TestPysignedSignerRefusesHash(t *testing.T) {
	secret := bytes.Repeat([]byte{1}, 64)
	signer, err := signet.NewPysignedSigner(signet.NewHMACKey(secret))
	require.NoError(t, err)
	r, err := http.NewRequest("GET", "https://example.com/a?b=1", nil)
	require.NoError(t, err)
	r.URL.RawQuery = "b=1#x"
	assert.ErrorContains(t, signer.Sign(r), "'#'")
}
