package signet_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

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
		{"forwarded as *", nil,
			[]signet.SignedURLOption{signet.SignedURLPathPrefix("/files")},
			"https://files.example.com/files/report.pdf", notAPath("*"), signet.ErrMalformed},
		{"forwarded as ystem/secret", nil, // a custom signet.Request: servers refuse it
			[]signet.SignedURLOption{signet.SignedURLPathPrefix("/files")},
			"https://files.example.com/files/report.pdf", notAPath("ystem/secret"), signet.ErrMalformed},
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

// notAPath returns a target of path and the query of the target signed:
// what no proxy stripping a prefix forwards.
func notAPath(path string) func(string) string {
	return func(target string) string {
		_, query, _ := strings.Cut(target, "?")
		return path + "?" + query
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
	testPathPrefixOverHTTP(t, publicGET(u.RequestURI()), withPrefix, without, "OK: ok k1 /a/b/report 1.pdf")
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
