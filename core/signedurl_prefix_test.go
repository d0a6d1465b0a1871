package signet_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// stripLikeProxy is a proxy in front of next that strips prefix from the
// request paths it forwards, as nginx's location /files/ { proxy_pass
// http://backend/; } does: next receives a request whose raw
// request-target (RequestURI), URL.Path and URL.RawPath are all without
// the prefix. A path outside the prefix is 404.
func stripLikeProxy(prefix string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, ok := strings.CutPrefix(r.RequestURI, prefix)
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

// verifyHandler answers 200 and the key id of what v accepts, else the
// status and code of its rejection.
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

// getBody GETs target on srv with the Host host and returns the status
// and body.
func getBody(t *testing.T, srv *httptest.Server, host, target string) string {
	t.Helper()
	req, err := http.NewRequest("GET", srv.URL+target, nil)
	require.NoError(t, err)
	req.Host = host
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return http.StatusText(resp.StatusCode) + ": " + string(body)
}

// assertPathPrefixConfig checks the construction errors errs of a
// verifier and a signer given option(prefix): none if message is "", else
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

// testPathPrefixOverHTTP sends a GET of target (a signed public URL's,
// under /files, for files.example.com) to a server on 127.0.0.1 whose
// verifiers have the prefix /files (withPrefix) or not (without): through
// a proxy that strips it (rewriting the request-target, URL.Path and
// URL.RawPath), straight to the backend, and to a handler mounted with
// http.StripPrefix, which leaves the raw request-target as it came. ok is
// the answer of an accepted request.
func testPathPrefixOverHTTP(t *testing.T, target string, withPrefix, without http.Handler, ok string) {
	tests := []struct {
		name    string
		handler http.Handler
		want    string
	}{
		{"proxy strips, with the option", stripLikeProxy("/files", withPrefix), ok},
		{"proxy strips, without the option", stripLikeProxy("/files", without), "Unauthorized: invalid_signature"},
		{"straight to the backend, with the option", withPrefix, "Unauthorized: invalid_signature"},
		{"http.StripPrefix, without the option", http.StripPrefix("/files", without), ok},
		{"http.StripPrefix, with the option", http.StripPrefix("/files", withPrefix), "Unauthorized: invalid_signature"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			assert.Equal(t, tt.want, getBody(t, srv, "files.example.com", target))
		})
	}
}

// TestPathPrefixConfig: a prefix is checked at construction, for the
// verifier and the signer alike, of signed URLs (SignedURLPathPrefix) and
// of pysigned (PysignedPathPrefix); "/" and "" are no prefix, trailing '/'
// are dropped. A pysigned prefix refuses ';' too (it would start params)
// and, as pysigned signs dot segments in paths, only unescaped ones.
func TestPathPrefixConfig(t *testing.T) {
	hmac := signet.NewHMACKey([]byte(strings.Repeat("s", 64)))
	keys := staticKeys(t, signet.Secret{ID: "k1", Key: hmac})
	tests := []struct {
		prefix, signedURL, pysigned string // the error messages; "" if accepted
	}{
		{"", "", ""},
		{"/", "", ""},
		{"//", "", ""},
		{"/files", "", ""},
		{"/files/", "", ""},
		{"/api/v1//", "", ""},
		{"/caf%C3%A9", "", ""},
		{"/a%2Fb", "", ""},
		{"/a:b@c", "", ""},
		{"/...", "", ""},
		{"/a;v=1/b", "", `cannot hold any of ";"`},
		{"files", "a path prefix starts with /", "a path prefix starts with /"},
		{"files/", "a path prefix starts with /", "a path prefix starts with /"},
		{"/files?x=1", "no query or fragment", "no query or fragment"},
		{"/files#top", "no query or fragment", "no query or fragment"},
		{"/my files", `give "/my%20files"`, `give "/my%20files"`},
		{"/a\tb", `give "/a%09b"`, `give "/a%09b"`},
		{"/a\r\nb", `give "/a%0D%0Ab"`, `give "/a%0D%0Ab"`},
		{"/a\x7fb", `give "/a%7Fb"`, `give "/a%7Fb"`},
		{"/café", `give "/caf%C3%A9"`, `give "/caf%C3%A9"`},
		{"/a|b", `give "/a%7Cb"`, `give "/a%7Cb"`},
		{"/a%zzb", "a '%' that starts no escape", "a '%' that starts no escape"},
		{"/a%2", "a '%' that starts no escape", "a '%' that starts no escape"},
		{"/.", "dot segment", "dot segment"},
		{"/a/../b", "dot segment", "dot segment"},
		{"/a/./b/", "dot segment", "dot segment"},
		{"/%2e", "dot segment", ""},
		{"/a/%2E%2e/b", "dot segment", ""},
		{"/.%2E", "dot segment", ""},
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			_, verr := signet.NewSignedURL(keys, signet.SignedURLPathPrefix(tt.prefix))
			_, serr := signet.NewSignedURLSigner("k1", hmac, signet.SignedURLPathPrefix(tt.prefix))
			assertPathPrefixConfig(t, "SignedURLPathPrefix", tt.signedURL, verr, serr)
			_, verr = signet.NewPysigned(keys, signet.PysignedPathPrefix(tt.prefix))
			_, serr = signet.NewPysignedSigner(hmac, signet.PysignedPathPrefix(tt.prefix))
			assertPathPrefixConfig(t, "PysignedPathPrefix", tt.pysigned, verr, serr)
		})
	}
}

// TestSignedURLPathPrefix: a public URL signed under the prefix verifies
// as the proxy forwards it (stripped) with the option and not without it;
// sent to the backend unstripped it fails with the option; "/" and "" are
// no prefix; a trailing '/' changes nothing.
func TestSignedURLPathPrefix(t *testing.T) {
	origin := signet.SignedURLOrigin("https://files.example.com")
	signer := func(t *testing.T, opts ...signet.SignedURLOption) signedURLFixture {
		return newSignedURLFixture(t, append([]signet.SignedURLOption{origin}, opts...)...)
	}
	tests := []struct {
		name    string
		sign    []signet.SignedURLOption
		verify  []signet.SignedURLOption
		url     string // signed
		target  func(signed string) string
		wantErr error // nil if accepted
	}{
		{"stripped, with the prefix", []signet.SignedURLOption{signet.SignedURLPathPrefix("/files")},
			[]signet.SignedURLOption{signet.SignedURLPathPrefix("/files")},
			"https://files.example.com/files/report.pdf?download=1", strip("/files"), nil},
		{"stripped, the prefix with a trailing /", nil,
			[]signet.SignedURLOption{signet.SignedURLPathPrefix("/files/")},
			"https://files.example.com/files/report.pdf?download=1", strip("/files"), nil},
		{"stripped, an escaped prefix and path", nil,
			[]signet.SignedURLOption{signet.SignedURLPathPrefix("/caf%C3%A9/v1")},
			"https://files.example.com/café/v1/a b;c?q=é", strip("/caf%C3%A9/v1"), nil},
		{"stripped to /", nil,
			[]signet.SignedURLOption{signet.SignedURLPathPrefix("/files")},
			"https://files.example.com/files/", strip("/files"), nil},
		{"stripped, without the prefix", nil, nil,
			"https://files.example.com/files/report.pdf", strip("/files"), signet.ErrInvalidSignature},
		{"stripped, another prefix", nil,
			[]signet.SignedURLOption{signet.SignedURLPathPrefix("/file")},
			"https://files.example.com/files/report.pdf", strip("/files"), signet.ErrInvalidSignature},
		{"not stripped, with the prefix", nil,
			[]signet.SignedURLOption{signet.SignedURLPathPrefix("/files")},
			"https://files.example.com/files/report.pdf", asSent, signet.ErrInvalidSignature},
		{"not stripped, prefix /", nil,
			[]signet.SignedURLOption{signet.SignedURLPathPrefix("/")},
			"https://files.example.com/files/report.pdf", asSent, nil},
		{"not stripped, prefix empty", []signet.SignedURLOption{signet.SignedURLPathPrefix("")},
			[]signet.SignedURLOption{signet.SignedURLPathPrefix("")},
			"https://files.example.com/files/report.pdf", asSent, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fix := signer(t, tt.sign...)
			signed, err := fix.signer.SignURL("GET", tt.url, time.Minute)
			require.NoError(t, err)
			r := signedURLRequestFor(t, "GET", signed)
			r.RequestURI = tt.target(r.RequestURI)
			_, err = fix.verifier(t, append([]signet.SignedURLOption{origin}, tt.verify...)...).Verify(context.Background(), signet.FromHTTP(r))
			assertVerdict(t, err, tt.wantErr)
		})
	}
}

// strip returns what a proxy stripping prefix forwards for a target.
func strip(prefix string) func(string) string {
	return func(target string) string { return strings.TrimPrefix(target, prefix) }
}

func asSent(target string) string { return target }

// TestSignedURLPathPrefixSigner: a signer with a prefix signs public URLs
// under it, the same message as without (the public path), and refuses a
// URL outside it, through SignURL and Sign.
func TestSignedURLPathPrefixSigner(t *testing.T) {
	plain := newSignedURLFixture(t)
	prefixed := newSignedURLFixture(t, signet.SignedURLPathPrefix("/files/"))
	for _, rawURL := range []string{"https://x.example/files/a?b=1", "/files/", "/files/a%2Fb/c d"} {
		want, err := plain.signer.SignURL("GET", rawURL, time.Minute)
		require.NoError(t, err)
		got, err := prefixed.signer.SignURL("GET", rawURL, time.Minute)
		require.NoError(t, err)
		assert.Equal(t, want, got, "the message is the public path's")
	}
	for _, rawURL := range []string{"https://x.example/files", "/files", "/filesX/a", "/other/files/a", "/", "https://x.example", "/Files/a", "/files%2Fa"} {
		_, err := prefixed.signer.SignURL("GET", rawURL, time.Minute)
		if assert.Error(t, err, rawURL) {
			assert.Contains(t, err.Error(), `not under "/files", the prefix the proxy strips (SignedURLPathPrefix)`)
		}
		r, err := http.NewRequest("GET", "https://x.example"+strings.TrimPrefix(rawURL, "https://x.example"), nil)
		require.NoError(t, err)
		err = prefixed.signer.Sign(r)
		if assert.Error(t, err, rawURL) {
			assert.Contains(t, err.Error(), "SignedURLPathPrefix")
		}
	}
	r, err := http.NewRequest("GET", "https://x.example/files/feed?page=2", nil)
	require.NoError(t, err)
	require.NoError(t, prefixed.signer.Sign(r))
	r = signedURLRequestFor(t, "GET", r.URL.String())
	r.RequestURI = strings.TrimPrefix(r.RequestURI, "/files")
	_, err = prefixed.verifier(t, signet.SignedURLPathPrefix("/files")).Verify(context.Background(), signet.FromHTTP(r))
	assert.NoError(t, err, "Sign signs the public URL")
}

// TestSignedURLPathPrefixOverHTTP signs a public URL and sends it over
// HTTP to a server on 127.0.0.1, through a proxy that strips the prefix
// (rewriting the request-target, URL.Path and URL.RawPath) or straight to
// the backend. In-process, http.StripPrefix leaves the raw request-target
// as it came, so a handler mounted with it verifies without the option.
func TestSignedURLPathPrefixOverHTTP(t *testing.T) {
	origin := signet.SignedURLOrigin("https://files.example.com")
	fix := newSignedURLFixture(t, origin, signet.SignedURLPathPrefix("/files"))
	signed, err := fix.signer.SignURL("GET", "https://files.example.com/files/a%2Fb/report 1.pdf?download=1&q=a+b", time.Minute)
	require.NoError(t, err)
	u, err := url.Parse(signed)
	require.NoError(t, err)
	withPrefix := verifyHandler(fix.verifier(t, origin, signet.SignedURLPathPrefix("/files")))
	without := verifyHandler(fix.verifier(t, origin))
	testPathPrefixOverHTTP(t, u.RequestURI(), withPrefix, without, "OK: ok k1 /a/b/report 1.pdf")
}

// TestSignedURLPathPrefixMismatchCause: the Cause of an invalid_signature
// names the prefix put back on the path, after the origin if bound.
func TestSignedURLPathPrefixMismatchCause(t *testing.T) {
	fix := newSignedURLFixture(t)
	r := fix.sign(t, "GET", "https://files.example.com/files/report.pdf")
	tests := []struct {
		name string
		opts []signet.SignedURLOption
		want string
	}{
		{"prefix", []signet.SignedURLOption{signet.SignedURLPathPrefix("/files")},
			`with hmac-sha256; path prefix "/files", put back on the path (SignedURLPathPrefix)`},
		{"origin and prefix", []signet.SignedURLOption{signet.SignedURLOrigin("https://files.example.com"), signet.SignedURLPathPrefix("/files/")},
			`; origin "https://files.example.com" (SignedURLOrigin); path prefix "/files", put back on the path (SignedURLPathPrefix)`},
		{"no prefix", []signet.SignedURLOption{signet.SignedURLOrigin("https://files.example.com")},
			`; origin "https://files.example.com" (SignedURLOrigin)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := fix.verifier(t, tt.opts...).Verify(context.Background(), signet.FromHTTP(r))
			assertMismatchCause(t, err, tt.want)
		})
	}
}
