package signet_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
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

// jwksOf is a JWKS document of the vectors' keys, each JWK with the extra
// members given by kid (name → kid, "" for none).
func jwksOf(t *testing.T, table map[string]signettest.PysignedKey, names []string, kids map[string]string) []byte {
	t.Helper()
	var keys []map[string]any
	for _, name := range names {
		jwk := map[string]any{"use": "sig"} // ignored, as pysigned ignores extra members
		for k, v := range table[name].JWK {
			jwk[k] = v
		}
		if kid := kids[name]; kid != "" {
			jwk["kid"] = kid
		}
		keys = append(keys, jwk)
	}
	data, err := json.Marshal(map[string]any{"keys": keys})
	require.NoError(t, err)
	return data
}

// TestJWKSVectors loads the vectors' JWKs: each is the same key as its hex
// form, under its kid or its default id, and verifies the vectors.
func TestJWKSVectors(t *testing.T) {
	vectors, table, err := signettest.PysignedVectors()
	require.NoError(t, err)
	names := []string{"hmac_a", "hmac_b", "hmac_wrong", "ed_a", "ed_b", "ed_a_pub"}
	for _, version := range []signet.PysignedVersion{signet.Pysigned025, signet.Pysigned028} {
		t.Run(string(version), func(t *testing.T) {
			// Without kid: default ids. ed_a and ed_a_pub share theirs: 0.2.8
			// refuses the duplicate, 0.2.5 keeps one entry.
			withoutKid := []string{"hmac_a", "hmac_b", "ed_a", "ed_b", "ed_a_pub"}
			keys, err := signet.ParseJWKS(jwksOf(t, table, withoutKid, nil), version)
			if version == signet.Pysigned028 {
				require.ErrorContains(t, err, "duplicate key id")
				keys, err = signet.ParseJWKS(jwksOf(t, table, withoutKid[:4], nil), version)
			}
			require.NoError(t, err)
			var ids []string
			for _, s := range keys.Secrets() {
				ids = append(ids, s.ID)
			}
			want := []string{}
			for _, name := range withoutKid[:4] {
				want = append(want, map[signet.PysignedVersion]string{signet.Pysigned025: table[name].ID025, signet.Pysigned028: table[name].ID028}[version])
			}
			assert.Equal(t, want, ids)

			// With kid: every vector verifies through the JWKS keys.
			kids := map[string]string{}
			for _, name := range names {
				kids[name] = name
			}
			keys, err = signet.ParseJWKS(jwksOf(t, table, names, kids), version)
			require.NoError(t, err)
			for _, v := range vectors {
				for i, c := range v.Verify {
					if !c.Expected.Valid || v.HasTag("version-difference") {
						continue
					}
					var secrets []signet.Secret
					for _, name := range c.Keys {
						found, err := keys.Lookup(context.Background(), name)
						require.NoError(t, err)
						secrets = append(secrets, found...)
					}
					verifier, err := signet.NewPysigned(staticKeys(t, secrets...), version, clockAt(c.Now),
						signet.PysignedIgnoreQueryParams(c.IgnoreQueryParams...), signet.PysignedSkew(time.Duration(c.Skew)*time.Second))
					require.NoError(t, err)
					_, err = verifier.Verify(context.Background(), signet.FromHTTP(pysignedServerRequest(t, c.URL)))
					assert.NoError(t, err, "%s/%d", v.ID, i)
				}
			}
			_, _, err = keys.SigningKey()
			assert.ErrorContains(t, err, `the last key of the set ("ed_a_pub") is an Ed25519 public key, which cannot sign`)
		})
	}
}

// TestJWKSDuplicates: 0.2.5's dict keeps the later key in the earlier one's
// place; 0.2.8 refuses.
func TestJWKSDuplicates(t *testing.T) {
	_, table, err := signettest.PysignedVectors()
	require.NoError(t, err)
	doc := jwksOf(t, table, []string{"hmac_a", "ed_b", "hmac_b"}, map[string]string{"hmac_a": "k", "ed_b": "e", "hmac_b": "k"})
	keys, err := signet.ParseJWKS(doc)
	require.NoError(t, err)
	secrets := keys.Secrets()
	require.Len(t, secrets, 2)
	assert.Equal(t, "k", secrets[0].ID)
	assert.Equal(t, "e", secrets[1].ID)
	signer, err := signet.NewPysignedSigner(pysignedKey(t, table, "hmac_b", true), clockAt(pyNow))
	require.NoError(t, err)
	signed, err := signer.SignURL("https://example.com/d")
	require.NoError(t, err)
	verifier, err := signet.NewPysigned(keys, clockAt(pyNow))
	require.NoError(t, err)
	res, err := verifier.Verify(context.Background(), signet.FromHTTP(pysignedServerRequest(t, signed)))
	require.NoError(t, err, "k is hmac_b now")
	assert.Equal(t, "k", res.KeyID)
	id, key, err := keys.SigningKey()
	require.NoError(t, err)
	assert.Equal(t, "e", id)
	assert.NotNil(t, key)

	_, err = signet.ParseJWKS(doc, signet.Pysigned028)
	assert.ErrorContains(t, err, `JWKS key 2: duplicate key id "k"`)
}

func TestJWKSErrors(t *testing.T) {
	_, table, err := signettest.PysignedVectors()
	require.NoError(t, err)
	edX, edD := table["ed_a"].JWK["x"].(string), table["ed_a"].JWK["d"].(string)
	hmacK := table["hmac_a"].JWK["k"].(string)
	for _, tc := range []struct {
		doc, message string
	}{
		{`[]`, "not a JSON object"},
		{`{}`, "no 'keys'"},
		{`{"keys": null}`, "no 'keys'"},
		{`{"keys": []}`, "no 'keys'"},
		{`{"keys": {"a": 1}}`, "not a list"},
		{`{"keys": [1]}`, "JWKS key 0: not a JSON object"},
		{`{"keys": [{"kty": "RSA", "n": "AQAB", "e": "AQAB"}]}`, "unknown key type"},
		{`{"keys": [{"kty": "oct", "k": "` + hmacK + `"}]}`, `an oct key needs "alg": "HS512"`},
		{`{"keys": [{"kty": "oct", "alg": "HS256", "k": "` + hmacK + `"}]}`, `an oct key needs "alg": "HS512"`},
		{`{"keys": [{"kty": "oct", "alg": "HS512"}]}`, "unknown key type"},
		{`{"keys": [{"kty": "oct", "alg": "HS512", "k": "c2hvcnQ"}]}`, "fewer than 64"},
		{`{"keys": [{"kty": "oct", "alg": "HS512", "k": 5}]}`, "k is not a string"},
		{`{"keys": [{"kty": "oct", "alg": "HS512", "k": "A"}]}`, "dangling"},
		{`{"keys": [{"kty": "OKP", "crv": "X25519", "x": "` + edX + `"}]}`, "unknown key type"},
		{`{"keys": [{"kty": "OKP", "crv": "Ed25519", "d": "` + edD + `"}]}`, "unknown key type"},
		{`{"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "AAAA"}]}`, "public key has 3 bytes, not 32"},
		{`{"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "` + edX + `", "d": "AAAA"}]}`, "seed has 3 bytes, not 32"},
		{`{"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "` + table["ed_b"].JWK["x"].(string) + `", "d": "` + edD + `"}]}`, "x is not the public key of d"},
		{`{"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "` + edX + `", "kid": 7}]}`, "kid is not a string"},
		{`{"keys": [{"kty": "oct", "alg": "HS512", "k": "é"}]}`, "not ASCII"},
	} {
		t.Run(tc.doc, func(t *testing.T) {
			_, err := signet.ParseJWKS([]byte(tc.doc))
			assert.ErrorContains(t, err, tc.message)
		})
	}
	_, err = signet.ParseJWKS([]byte(`{"keys": []}`), signet.JWKSTimeout(time.Second))
	assert.ErrorContains(t, err, "only used by FetchJWKS")
	_, err = signet.ParseJWKS([]byte(`{"keys": []}`), signet.PysignedVersion("1"))
	assert.ErrorContains(t, err, `"1"`)
	_, err = signet.ParseJWKS(nil, nil)
	assert.ErrorContains(t, err, "nil")

	// Values are base64url, padded or not; characters outside the alphabet
	// are skipped, as Python's urlsafe_b64decode skips them.
	lenient := `{"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "` + edX[:10] + `!.` + edX[10:] + `=", "kid": "a"}]}`
	keys, err := signet.ParseJWKS([]byte(lenient))
	require.NoError(t, err)
	assert.Len(t, keys.Secrets(), 1)
	_, _, err = keys.SigningKey()
	assert.ErrorContains(t, err, "cannot sign")

	// A zero JWKSKeys is an empty set, as a StaticKeys without secrets: it
	// answers no key, and panics nowhere.
	empty := &signet.JWKSKeys{}
	_, err = signet.NewPysigned(empty)
	assert.NoError(t, err)
	_, err = signet.NewCavage(empty)
	assert.NoError(t, err)
	_, err = empty.Lookup(context.Background(), "a")
	assert.ErrorIs(t, err, signet.ErrUnknownKey)
	_, _, err = empty.SigningKey()
	assert.ErrorContains(t, err, "empty")
	assert.Empty(t, empty.Secrets())
}

func TestJWKSFromEnv(t *testing.T) {
	_, table, err := signettest.PysignedVectors()
	require.NoError(t, err)
	t.Setenv("SIGNET_TEST_JWKS", string(jwksOf(t, table, []string{"hmac_a"}, nil)))
	keys, err := signet.JWKSFromEnv("SIGNET_TEST_JWKS", signet.Pysigned028)
	require.NoError(t, err)
	assert.Equal(t, table["hmac_a"].ID028, keys.Secrets()[0].ID)
	_, err = signet.JWKSFromEnv("SIGNET_TEST_JWKS_UNSET")
	assert.ErrorContains(t, err, "SIGNET_TEST_JWKS_UNSET is not set")
}

// TestFetchJWKS runs the URL loader against a local server only.
func TestFetchJWKS(t *testing.T) {
	_, table, err := signettest.PysignedVectors()
	require.NoError(t, err)
	doc := jwksOf(t, table, []string{"hmac_a", "ed_a_pub"}, map[string]string{"hmac_a": "h", "ed_a_pub": "e"})
	release := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("/jwks", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "GET", r.Method)
		assert.Equal(t, "signet", r.Header.Get("User-Agent"))
		w.Write(doc)
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(strings.Repeat(" ", 100) + string(doc))) })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "gone", http.StatusGone) })
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html>") })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	defer close(release)
	require.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"))
	ctx := context.Background()

	keys, err := signet.FetchJWKS(ctx, srv.Client(), srv.URL+"/jwks")
	require.NoError(t, err)
	got, err := keys.Lookup(ctx, "e")
	require.NoError(t, err)
	assert.Len(t, got, 1)
	_, err = keys.Lookup(ctx, "x")
	assert.ErrorIs(t, err, signet.ErrUnknownKey)

	_, err = signet.FetchJWKS(ctx, srv.Client(), srv.URL+"/big", signet.JWKSMaxBytes(int64(len(doc))+99))
	assert.ErrorContains(t, err, fmt.Sprintf("larger than %d bytes", len(doc)+99))
	_, err = signet.FetchJWKS(ctx, srv.Client(), srv.URL+"/big", signet.JWKSMaxBytes(int64(len(doc))+100))
	assert.NoError(t, err)
	_, err = signet.FetchJWKS(ctx, srv.Client(), srv.URL+"/big", signet.JWKSMaxBytes(math.MaxInt64))
	assert.NoError(t, err, "no limit")

	start := time.Now()
	_, err = signet.FetchJWKS(ctx, srv.Client(), srv.URL+"/slow", signet.JWKSTimeout(100*time.Millisecond))
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 5*time.Second)

	_, err = signet.FetchJWKS(ctx, srv.Client(), srv.URL+"/gone")
	assert.ErrorContains(t, err, "410 Gone")
	_, err = signet.FetchJWKS(ctx, srv.Client(), srv.URL+"/html")
	assert.ErrorContains(t, err, "not a JSON object")
	_, err = signet.FetchJWKS(ctx, srv.Client(), "://nope")
	assert.Error(t, err)
	_, err = signet.FetchJWKS(ctx, srv.Client(), "https://user:hunter2@[::1/jwks")
	assert.ErrorContains(t, err, "not valid")
	assert.NotContains(t, err.Error(), "hunter2")
	_, err = signet.FetchJWKS(ctx, srv.Client(), srv.URL+"/jwks", signet.JWKSTimeout(0))
	assert.ErrorContains(t, err, "positive")
	_, err = signet.FetchJWKS(ctx, srv.Client(), srv.URL+"/jwks", signet.JWKSMaxBytes(0))
	assert.ErrorContains(t, err, "positive")

	// A password or a token in the URL is not repeated; a redirect from
	// https to http, where anyone on the network could answer, is refused.
	_, err = signet.FetchJWKS(ctx, srv.Client(), strings.Replace(srv.URL, "http://", "http://user:hunter2@", 1)+"/gone")
	assert.ErrorContains(t, err, "410 Gone")
	assert.NotContains(t, err.Error(), "hunter2")
	_, err = signet.FetchJWKS(ctx, srv.Client(), srv.URL+"/gone?api_key=hunter2")
	assert.ErrorContains(t, err, "/gone answered 410 Gone")
	assert.NotContains(t, err.Error(), "hunter2")
	_, err = signet.FetchJWKS(ctx, srv.Client(), srv.URL+"/slow?api_key=hunter2", signet.JWKSTimeout(10*time.Millisecond))
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorContains(t, err, "/slow")
	assert.NotContains(t, err.Error(), "hunter2")
	tlsMux := http.NewServeMux()
	tlsMux.Handle("/moved", http.RedirectHandler("/jwks", http.StatusFound))
	tlsMux.Handle("/off-https", http.RedirectHandler(srv.URL+"/jwks", http.StatusFound))
	tlsMux.HandleFunc("/jwks", func(w http.ResponseWriter, r *http.Request) { w.Write(doc) })
	tlsSrv := httptest.NewTLSServer(tlsMux)
	defer tlsSrv.Close()
	_, err = signet.FetchJWKS(ctx, tlsSrv.Client(), tlsSrv.URL+"/moved")
	assert.NoError(t, err, "a redirect that stays on https")
	_, err = signet.FetchJWKS(ctx, tlsSrv.Client(), tlsSrv.URL+"/off-https?api_key=hunter2")
	assert.ErrorContains(t, err, "off https")
	assert.NotContains(t, err.Error(), "hunter2")
}
