package signet_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// prefixSignedAt is when the tests of CavagePathPrefix sign and verify.
var prefixSignedAt = time.Unix(1_704_067_200, 0)

// prefixKeys holds the HMAC key the tests of CavagePathPrefix sign with.
func prefixKeys(t testing.TB) *signet.StaticKeys {
	return staticKeys(t, signet.Secret{ID: "client-1", Key: signet.NewHMACKey([]byte("secret-1"))})
}

// signPublic signs a request for the public URL target with the default
// list ((request-target) host date) and returns the server's view of it,
// received as received (the request-target after the proxy).
func signPublic(t *testing.T, method, target, received string, opts ...signet.CavageSignerOption) *http.Request {
	t.Helper()
	opts = append(opts, signet.WithClock(func() time.Time { return prefixSignedAt }))
	signer, err := signet.NewCavageSigner("client-1", signet.NewHMACKey([]byte("secret-1")), opts...)
	require.NoError(t, err)
	out, err := http.NewRequest(method, target, nil)
	require.NoError(t, err)
	require.NoError(t, signer.Sign(out))
	in := httptest.NewRequest(method, received, nil)
	in.Host, in.Header = out.URL.Host, out.Header
	return in
}

// assertPrefixVerdict checks that verifier answers r with code, or accepts
// it for "".
func assertPrefixVerdict(t *testing.T, verifier *signet.Cavage, r *http.Request, code string) {
	t.Helper()
	_, err := verifier.Verify(context.Background(), signet.FromHTTP(r))
	if code == "" {
		assert.NoError(t, err)
		return
	}
	require.Error(t, err)
	assert.Equal(t, code, signet.AsError(err).Code(), err.Error())
}

// TestCavagePathPrefix verifies a signature over the public URL on the
// request a proxy passes on, with the prefix stripped or not, in both
// dialects.
func TestCavagePathPrefix(t *testing.T) {
	const public = "http://api.example/api/orders?id=42"
	for _, tt := range []struct {
		name     string
		dialect  signet.CavageDialect
		prefix   []string // the CavagePathPrefix given, if any
		received string   // the request-target the server receives
		code     string   // "" for verified
	}{
		{"stripped, with the prefix", signet.DialectDraft, []string{"/api"}, "/orders?id=42", ""},
		{"stripped, the prefix given with a trailing slash", signet.DialectDraft, []string{"/api/"}, "/orders?id=42", ""},
		{"stripped, without the prefix", signet.DialectDraft, nil, "/orders?id=42", "invalid_signature"},
		{"stripped, another prefix", signet.DialectDraft, []string{"/apis"}, "/orders?id=42", "invalid_signature"},
		{"stripped, the query changed", signet.DialectDraft, []string{"/api"}, "/orders?id=43", "invalid_signature"},
		{"not stripped, with the prefix", signet.DialectDraft, []string{"/api"}, "/api/orders?id=42", "invalid_signature"},
		{"not stripped, without the prefix", signet.DialectDraft, nil, "/api/orders?id=42", ""},
		{`not stripped, prefix "/"`, signet.DialectDraft, []string{"/"}, "/api/orders?id=42", ""},
		{`not stripped, prefix ""`, signet.DialectDraft, []string{""}, "/api/orders?id=42", ""},
		{"stripped, as an absolute URL", signet.DialectDraft, []string{"/api"}, "http://backend/orders?id=42", "malformed_signature"},
		{"api-signature, stripped, with the prefix", signet.DialectAPISignature, []string{"/api"}, "/orders?id=42", ""},
		{"api-signature, stripped, another query", signet.DialectAPISignature, []string{"/api"}, "/orders?id=1", ""}, // the dialect signs no query
		{"api-signature, stripped, without the prefix", signet.DialectAPISignature, nil, "/orders?id=42", "invalid_signature"},
		{"api-signature, not stripped, with the prefix", signet.DialectAPISignature, []string{"/api"}, "/api/orders?id=42", "invalid_signature"},
		{"api-signature, stripped, as an absolute URL", signet.DialectAPISignature, []string{"/api"}, "http://backend/orders?id=42", ""}, // the dialect reads its path
	} {
		t.Run(tt.name, func(t *testing.T) {
			opts := []signet.CavageOption{tt.dialect, clockAt(prefixSignedAt.Unix()),
				signet.CavageRequiredHeaders("(request-target)", "host", "date")}
			for _, p := range tt.prefix {
				opts = append(opts, signet.CavagePathPrefix(p))
			}
			verifier, err := signet.NewCavage(prefixKeys(t), opts...)
			require.NoError(t, err)
			assertPrefixVerdict(t, verifier, signPublic(t, "GET", public, tt.received, tt.dialect), tt.code)
		})
	}
}

// TestCavagePathPrefixTargets checks the request-targets a prefix cannot go
// before, and that the prefix is added in the form written, undecoded.
func TestCavagePathPrefixTargets(t *testing.T) {
	for _, tt := range []struct {
		name             string
		method           string
		prefix, received string
		public           string // the URL signed; "" for none
		code             string
	}{
		{"an asterisk", "OPTIONS", "/api", "*", "", "malformed_signature"},
		{"an absolute URL", "GET", "/api", "http://backend/orders", "", "malformed_signature"},
		{"an escaped prefix", "GET", "/v%2F1", "/orders", "http://api.example/v%2F1/orders", ""},
		{"an escaped prefix in another case", "GET", "/v%2f1", "/orders", "http://api.example/v%2F1/orders", "invalid_signature"},
		{"the prefix alone, as its root", "GET", "/api", "/", "http://api.example/api/", ""},
		{"the prefix alone, without a slash", "GET", "/api", "/", "http://api.example/api", "invalid_signature"},
		{"a prefix with sub-delims", "GET", "/a:b@c!$&'()*+,;=", "/x", "http://api.example/a:b@c!$&'()*+,;=/x", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			verifier, err := signet.NewCavage(prefixKeys(t), clockAt(prefixSignedAt.Unix()), signet.CavagePathPrefix(tt.prefix),
				signet.CavageRequiredHeaders("(request-target)", "host", "date"))
			require.NoError(t, err)
			var r *http.Request
			if tt.public != "" {
				r = signPublic(t, tt.method, tt.public, tt.received)
			} else {
				r = signPublic(t, tt.method, "http://api.example/", "/")
				r.RequestURI = tt.received
			}
			assertPrefixVerdict(t, verifier, r, tt.code)
		})
	}
}

// TestCavagePathPrefixErrors checks each prefix NewCavage refuses, and the
// form its error asks for.
func TestCavagePathPrefixErrors(t *testing.T) {
	for _, tt := range []struct {
		prefix string
		err    string // "" for accepted
	}{
		{"", ""},
		{"/", ""},
		{"//", ""},
		{"/api", ""},
		{"/api/", ""},
		{"/api/v1", ""},
		{"/a%2Fb", ""},
		{"/a%2fb", ""},
		{"/~user/a-b_c.d", ""},
		{"/...", ""},
		{"/a.b/..c", ""},
		{"api", `signet: path prefix "api" must start with '/'`},
		{"api/", `signet: path prefix "api/" must start with '/'`},
		{"http://gw/api", `signet: path prefix "http://gw/api" must start with '/'`},
		{"/api?x=1", `signet: path prefix "/api?x=1" has a query or fragment: give the path only`},
		{"/api#top", `signet: path prefix "/api#top" has a query or fragment: give the path only`},
		{"/my api", `signet: path prefix "/my api" has " ", which clients send percent-encoded: give "/my%20api"`},
		{"/api\t", `signet: path prefix "/api\t" has "\t", which clients send percent-encoded: give "/api%09"`},
		{"/api\n/", `signet: path prefix "/api\n/" has "\n", which clients send percent-encoded: give "/api%0A"`},
		{"/a\x00", `signet: path prefix "/a\x00" has "\x00", which clients send percent-encoded: give "/a%00"`},
		{"/a\x7f", `signet: path prefix "/a\x7f" has "\x7f", which clients send percent-encoded: give "/a%7F"`},
		{"/bücher", `signet: path prefix "/bücher" has "\xc3", which clients send percent-encoded: give "/b%C3%BCcher"`},
		{`/a"b`, `signet: path prefix "/a\"b" has "\"", which clients send percent-encoded: give "/a%22b"`},
		{"/a[0]", `signet: path prefix "/a[0]" has "[", which clients send percent-encoded: give "/a%5B0%5D"`},
		{`/a\b`, `signet: path prefix "/a\\b" has "\\", which clients send percent-encoded: give "/a%5Cb"`},
		{"/100%", `signet: path prefix "/100%" has "%", which clients send percent-encoded: give "/100%25"`},
		{"/a%zz", `signet: path prefix "/a%zz" has "%", which clients send percent-encoded: give "/a%25zz"`},
		{"/a%2", `signet: path prefix "/a%2" has "%", which clients send percent-encoded: give "/a%252"`},
		{"/./api", `signet: path prefix "/./api" has a dot segment, which clients and proxies resolve before matching a prefix: give the resolved path`},
		{"/api/..", `signet: path prefix "/api/.." has a dot segment, which clients and proxies resolve before matching a prefix: give the resolved path`},
		{"/api/../", `signet: path prefix "/api/../" has a dot segment, which clients and proxies resolve before matching a prefix: give the resolved path`},
		{"/a/%2e/b", `signet: path prefix "/a/%2e/b" has a dot segment, which clients and proxies resolve before matching a prefix: give the resolved path`},
		{"/a/%2E%2e", `signet: path prefix "/a/%2E%2e" has a dot segment, which clients and proxies resolve before matching a prefix: give the resolved path`},
		{"/a/.%2E/b", `signet: path prefix "/a/.%2E/b" has a dot segment, which clients and proxies resolve before matching a prefix: give the resolved path`},
	} {
		t.Run(tt.prefix, func(t *testing.T) {
			_, err := signet.NewCavage(prefixKeys(t), signet.CavagePathPrefix(tt.prefix))
			if tt.err == "" {
				assert.NoError(t, err)
				return
			}
			assert.EqualError(t, err, tt.err)
		})
	}
}

// TestCavagePathPrefixProxy signs the public URL of a front server and
// verifies on a backend on 127.0.0.1 behind each way of passing the request
// on: a reverse proxy stripping the prefix on the wire, a handler rewriting
// the request as such a proxy does, and http.StripPrefix, which leaves the
// raw request-target signet reads as received and so needs no prefix.
func TestCavagePathPrefixProxy(t *testing.T) {
	stripInPlace := func(next http.Handler) http.Handler { // what a proxy stripping /api sends
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.URL.Path = strings.TrimPrefix(r.URL.Path, "/api")
			r.URL.RawPath = strings.TrimPrefix(r.URL.RawPath, "/api")
			r.RequestURI = strings.TrimPrefix(r.RequestURI, "/api")
			next.ServeHTTP(w, r)
		})
	}
	for _, tt := range []struct {
		name   string
		front  string // how the request reaches the verifier
		prefix string
		code   string // "" for verified
	}{
		{"reverse proxy, with the prefix", "proxy", "/api", ""},
		{"reverse proxy, without it", "proxy", "", "invalid_signature"},
		{"rewriting handler, with the prefix", "rewrite", "/api", ""},
		{"rewriting handler, without it", "rewrite", "", "invalid_signature"},
		{"http.StripPrefix, without a prefix", "stripprefix", "", ""},
		{"http.StripPrefix, with the prefix", "stripprefix", "/api", "invalid_signature"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			verifier, err := signet.NewCavage(prefixKeys(t), clockAt(prefixSignedAt.Unix()), signet.CavagePathPrefix(tt.prefix),
				signet.CavageRequiredHeaders("(request-target)", "host", "date"), signet.CavageDigest(signet.DigestRequire))
			require.NoError(t, err)
			var seen string // the request-target the verifier read
			verify := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				seen = r.RequestURI
				if _, err := verifier.Verify(r.Context(), signet.FromHTTP(r)); err != nil {
					http.Error(w, signet.AsError(err).Code(), signet.AsError(err).Status())
					return
				}
				io.WriteString(w, "ok")
			})
			var front http.Handler
			switch tt.front {
			case "proxy":
				backend := httptest.NewServer(verify)
				defer backend.Close()
				to, err := url.Parse(backend.URL)
				require.NoError(t, err)
				front = &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
					pr.SetURL(to)
					pr.Out.Host = pr.In.Host // the signed host
					pr.Out.URL.Path = strings.TrimPrefix(pr.In.URL.Path, "/api")
					pr.Out.URL.RawPath = strings.TrimPrefix(pr.In.URL.RawPath, "/api")
				}}
			case "rewrite":
				front = stripInPlace(verify)
			case "stripprefix":
				front = http.StripPrefix("/api", verify)
			}
			server := httptest.NewServer(front)
			defer server.Close()

			signer, err := signet.NewCavageSigner("client-1", signet.NewHMACKey([]byte("secret-1")),
				signet.WithClock(func() time.Time { return prefixSignedAt }))
			require.NoError(t, err)
			out, err := http.NewRequest("POST", server.URL+"/api/orders%2F7?id=42", strings.NewReader(`{"n":1}`))
			require.NoError(t, err)
			require.NoError(t, signer.Sign(out))
			resp, err := server.Client().Do(out)
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			if tt.front == "stripprefix" {
				assert.Equal(t, "/api/orders%2F7?id=42", seen, "http.StripPrefix rewrote the raw request-target")
			} else {
				assert.Equal(t, "/orders%2F7?id=42", seen, "the prefix was not stripped")
			}
			if tt.code == "" {
				assert.Equal(t, http.StatusOK, resp.StatusCode, string(body))
				return
			}
			assert.Equal(t, tt.code, strings.TrimSpace(string(body)))
		})
	}
}
