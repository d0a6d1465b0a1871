package signet_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// TestPathPrefixConfig: a prefix is checked at construction, for the
// verifiers and signers of signed URLs (SignedURLPathPrefix), of pysigned
// (PysignedPathPrefix) and for the Cavage verifier (CavagePathPrefix); "/"
// and "" are no prefix, trailing '/' are dropped. A pysigned prefix refuses
// ';' too (it would start params) and, as pysigned signs dot segments in
// paths, only unescaped ones.
func TestPathPrefixConfig(t *testing.T) {
	hmac := signet.NewHMACKey([]byte(strings.Repeat("s", 64)))
	keys := staticKeys(t, signet.Secret{ID: "k1", Key: hmac})
	tests := []struct {
		prefix   string
		paths    string // the error of signed URLs and Cavage; "" if accepted
		pysigned string // the error of pysigned; "" if accepted
	}{
		{"", "", ""},
		{"/", "", ""},
		{"//", "", ""},
		{"/files", "", ""},
		{"/files/", "", ""},
		{"/api/v1//", "", ""},
		{"/caf%C3%A9", "", ""},
		{"/a%2Fb", "", ""},
		{"/a%2fb", "", ""},
		{"/~user/a-b_c.d", "", ""},
		{"/a:b@c!$&'()*+,=", "", ""},
		{"/...", "", ""},
		{"/a.b/..c", "", ""},
		{"/a;v=1/b", "", `cannot hold any of ";"`},
		{"files", "a path prefix starts with /", "a path prefix starts with /"},
		{"files/", "a path prefix starts with /", "a path prefix starts with /"},
		{"http://gw/files", "a path prefix starts with /", "a path prefix starts with /"},
		{"/files?x=1", "no query or fragment", "no query or fragment"},
		{"/files#top", "no query or fragment", "no query or fragment"},
		{"/my files", `give "/my%20files"`, `give "/my%20files"`},
		{"/a\tb", `give "/a%09b"`, `give "/a%09b"`},
		{"/a\r\nb", `give "/a%0D%0Ab"`, `give "/a%0D%0Ab"`},
		{"/a\x00", `give "/a%00"`, `give "/a%00"`},
		{"/a\x7fb", `give "/a%7Fb"`, `give "/a%7Fb"`},
		{"/café", `give "/caf%C3%A9"`, `give "/caf%C3%A9"`},
		{`/a"b`, `give "/a%22b"`, `give "/a%22b"`},
		{"/a[0]", `give "/a%5B0%5D"`, `give "/a%5B0%5D"`},
		{`/a\b`, `give "/a%5Cb"`, `give "/a%5Cb"`},
		{"/a|b", `give "/a%7Cb"`, `give "/a%7Cb"`},
		{"/100%", "a '%' that starts no escape", "a '%' that starts no escape"},
		{"/a%zzb", "a '%' that starts no escape", "a '%' that starts no escape"},
		{"/a%2", "a '%' that starts no escape", "a '%' that starts no escape"},
		{"/.", "dot segment", "dot segment"},
		{"/a/../b", "dot segment", "dot segment"},
		{"/a/./b/", "dot segment", "dot segment"},
		{"/a/..", "dot segment", "dot segment"},
		{"/%2e", "dot segment", ""},
		{"/a/%2E%2e/b", "dot segment", ""},
		{"/.%2E", "dot segment", ""},
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			_, verr := signet.NewSignedURL(keys, signet.SignedURLPathPrefix(tt.prefix))
			_, serr := signet.NewSignedURLSigner("k1", hmac, signet.SignedURLPathPrefix(tt.prefix))
			assertPathPrefixConfig(t, "SignedURLPathPrefix", tt.paths, verr, serr)
			_, verr = signet.NewCavage(keys, signet.CavagePathPrefix(tt.prefix))
			assertPathPrefixConfig(t, "CavagePathPrefix", tt.paths, verr)
			_, verr = signet.NewPysigned(keys, signet.PysignedPathPrefix(tt.prefix))
			_, serr = signet.NewPysignedSigner(hmac, signet.PysignedPathPrefix(tt.prefix))
			assertPathPrefixConfig(t, "PysignedPathPrefix", tt.pysigned, verr, serr)
		})
	}
}

// assertPathPrefixConfig checks the construction errors errs of
// verifiers and signers given option(prefix): none if message is "", else
// each names the option and says message.
func assertPathPrefixConfig(t *testing.T, option, message string, errs ...error) {
	t.Helper()
	for _, err := range errs {
		if message == "" {
			assert.NoError(t, err)
		} else if assert.Error(t, err) {
			assert.Contains(t, err.Error(), option+"(")
			assert.Contains(t, err.Error(), message)
		}
	}
}

// testPathPrefixOverHTTP sends the request of a client for a public URL
// under /files (made by request, for the server at base) to a server on
// 127.0.0.1 whose verifier has the prefix /files (withPrefix) or not
// (without): through a reverse proxy that strips the prefix on the wire,
// through a handler that rewrites the request as such a proxy does,
// straight to the backend, and to a handler mounted with http.StripPrefix,
// which leaves the raw request-target as it came. ok is the answer of an
// accepted request.
func testPathPrefixOverHTTP(t *testing.T, request func(t *testing.T, base string) *http.Request, withPrefix, without http.Handler, ok string) {
	const rejected = "Unauthorized: invalid_signature"
	tests := []struct {
		name  string
		front func(t *testing.T, next http.Handler) http.Handler
		next  http.Handler
		want  string
	}{
		{"reverse proxy strips, with the option", reverseProxyStripping, withPrefix, ok},
		{"reverse proxy strips, without the option", reverseProxyStripping, without, rejected},
		{"handler strips, with the option", stripLikeProxy, withPrefix, ok},
		{"handler strips, without the option", stripLikeProxy, without, rejected},
		{"straight to the backend, with the option", direct, withPrefix, rejected},
		{"http.StripPrefix, without the option", stripPrefix, without, ok},
		{"http.StripPrefix, with the option", stripPrefix, withPrefix, rejected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.front(t, tt.next))
			defer srv.Close()
			resp, err := srv.Client().Do(request(t, srv.URL))
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, tt.want, http.StatusText(resp.StatusCode)+": "+string(body))
		})
	}
}

// publicGET is testPathPrefixOverHTTP's request for a signed public URL on
// files.example.com: a GET of its request-target.
func publicGET(target string) func(t *testing.T, base string) *http.Request {
	return func(t *testing.T, base string) *http.Request {
		r, err := http.NewRequest("GET", base+target, nil)
		require.NoError(t, err)
		r.Host = "files.example.com"
		return r
	}
}

// signedPOST is testPathPrefixOverHTTP's request of a client signing with
// signer: a POST to the public URL target (/files/orders%2F7?id=42, say).
func signedPOST(signer signet.Signer, target string) func(t *testing.T, base string) *http.Request {
	return func(t *testing.T, base string) *http.Request {
		r, err := http.NewRequest("POST", base+target, strings.NewReader(`{"n":1}`))
		require.NoError(t, err)
		require.NoError(t, signer.Sign(r))
		return r
	}
}

// reverseProxyStripping is an httputil.ReverseProxy in front of a backend
// serving next, which strips /files from the paths it forwards, as nginx's
// location /files/ { proxy_pass http://backend/; } does, keeping the Host.
func reverseProxyStripping(t *testing.T, next http.Handler) http.Handler {
	backend := httptest.NewServer(next)
	t.Cleanup(backend.Close)
	to, err := url.Parse(backend.URL)
	require.NoError(t, err)
	return &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(to)
		pr.Out.Host = pr.In.Host
		pr.Out.URL.Path = strings.TrimPrefix(pr.In.URL.Path, "/files")
		pr.Out.URL.RawPath = strings.TrimPrefix(pr.In.URL.RawPath, "/files")
	}}
}

// stripLikeProxy strips /files in front of next as a proxy does, in
// process: next receives a request whose raw request-target (RequestURI),
// URL.Path and URL.RawPath are all without the prefix. A path outside the
// prefix is 404.
func stripLikeProxy(_ *testing.T, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, ok := strings.CutPrefix(r.RequestURI, "/files")
		if !ok || !strings.HasPrefix(rest, "/") {
			http.NotFound(w, r)
			return
		}
		u, err := url.ParseRequestURI(rest)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r2 := r.Clone(r.Context())
		r2.RequestURI, r2.URL.Path, r2.URL.RawPath, r2.URL.RawQuery = rest, u.Path, u.RawPath, u.RawQuery
		next.ServeHTTP(w, r2)
	})
}

// stripPrefix mounts next under /files with http.StripPrefix.
func stripPrefix(_ *testing.T, next http.Handler) http.Handler {
	return http.StripPrefix("/files", next)
}

// direct serves next itself.
func direct(_ *testing.T, next http.Handler) http.Handler { return next }

// verifyHandler answers 200 and the key id of what v accepts and the path
// the handler sees, else the status and code of its rejection.
func verifyHandler(v signet.Verifier) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		res, err := v.Verify(r.Context(), signet.FromHTTP(r))
		if err != nil {
			e := signet.AsError(err)
			w.WriteHeader(e.Status())
			io.WriteString(w, e.Code())
			return
		}
		io.WriteString(w, "ok "+res.KeyID+" "+r.URL.Path)
	})
}

// assertVerdict checks that err is nil if want is, else want.
func assertVerdict(t *testing.T, err, want error) {
	t.Helper()
	if want == nil {
		assert.NoError(t, err)
	} else {
		assert.ErrorIs(t, err, want)
	}
}

// assertMismatchCause checks that err is an invalid_signature whose Cause
// ends with want.
func assertMismatchCause(t *testing.T, err error, want string) {
	t.Helper()
	require.ErrorIs(t, err, signet.ErrInvalidSignature)
	cause := signet.AsError(err).Cause()
	require.Error(t, cause)
	assert.True(t, strings.HasSuffix(cause.Error(), want), "%s", cause)
}
