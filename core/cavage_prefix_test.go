package signet_test

import (
	"context"
	"net/http"
	"net/http/httptest"
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

// TestCavagePathPrefixOverHTTP signs a POST to a public URL under /files
// and sends it to a server on 127.0.0.1 behind each way of passing it on
// (see testPathPrefixOverHTTP).
func TestCavagePathPrefixOverHTTP(t *testing.T) {
	verifier := func(opts ...signet.CavageOption) http.Handler {
		opts = append(opts, clockAt(prefixSignedAt.Unix()), signet.CavageDigest(signet.DigestRequire),
			signet.CavageRequiredHeaders("(request-target)", "host", "date"))
		v, err := signet.NewCavage(prefixKeys(t), opts...)
		require.NoError(t, err)
		return verifyHandler(v)
	}
	signer, err := signet.NewCavageSigner("client-1", signet.NewHMACKey([]byte("secret-1")),
		signet.WithClock(func() time.Time { return prefixSignedAt }))
	require.NoError(t, err)
	testPathPrefixOverHTTP(t, signedPOST(signer, "/files/orders%2F7?id=42"), verifier(signet.CavagePathPrefix("/files")), verifier(), "OK: ok client-1 /orders/7")
}

// TestCavagePathPrefixMismatchCause: the Cause of an invalid_signature
// names the prefix when the signature covers (request-target), and only
// then.
func TestCavagePathPrefixMismatchCause(t *testing.T) {
	wrong := staticKeys(t, signet.Secret{ID: "client-1", Key: signet.NewHMACKey([]byte("another secret"))})
	for _, tt := range []struct {
		headers []string
		want    string // the end of the Cause
	}{
		{[]string{"(request-target)", "host", "date"}, `with hmac-sha256; path prefix "/api", put back on the path (CavagePathPrefix)`},
		{[]string{"date"}, `with hmac-sha256`},
	} {
		t.Run(strings.Join(tt.headers, " "), func(t *testing.T) {
			v, err := signet.NewCavage(wrong, clockAt(prefixSignedAt.Unix()), signet.CavagePathPrefix("/api"), signet.CavageRequiredHeaders())
			require.NoError(t, err)
			r := signPublic(t, "GET", "http://api.example/api/x", "/x", signet.CavageSignHeaders(tt.headers...))
			_, err = v.Verify(context.Background(), signet.FromHTTP(r))
			assertMismatchCause(t, err, tt.want)
		})
	}
}
