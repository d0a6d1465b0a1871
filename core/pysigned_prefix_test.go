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

// pysignedPrefixFixture signs with a 64-byte HMAC key at a fixed clock and
// builds verifiers of it.
type pysignedPrefixFixture struct{ key *signet.Key }

var pysignedPrefixClock = fixedClock(time.Unix(1700000000, 0))

func (f pysignedPrefixFixture) signer(t *testing.T, opts ...signet.PysignedSignerOption) *signet.PysignedSigner {
	t.Helper()
	s, err := signet.NewPysignedSigner(f.key, append(opts, pysignedPrefixClock)...)
	require.NoError(t, err)
	return s
}

func (f pysignedPrefixFixture) verifier(t *testing.T, opts ...signet.PysignedOption) *signet.Pysigned {
	t.Helper()
	v, err := signet.NewPysigned(staticKeys(t, signet.Secret{ID: "k", Key: f.key}), append(opts, pysignedPrefixClock)...)
	require.NoError(t, err)
	return v
}

func newPysignedPrefixFixture() pysignedPrefixFixture {
	return pysignedPrefixFixture{signet.NewHMACKey([]byte(strings.Repeat("p", 64)))}
}

// TestPysignedPathPrefix: a public URL (as pysigned signs it, params
// included) verifies as the proxy forwards it, stripped, with the option
// and not without it; sent unstripped it fails with the option; "/" and ""
// are no prefix.
func TestPysignedPathPrefix(t *testing.T) {
	f := newPysignedPrefixFixture()
	origin := signet.PysignedOrigin("https://files.example.com")
	tests := []struct {
		name    string
		verify  []signet.PysignedOption
		url     string
		target  func(string) string
		wantErr error // nil if accepted
	}{
		{"stripped, with the prefix", []signet.PysignedOption{signet.PysignedPathPrefix("/files")},
			"https://files.example.com/files/report.pdf?download=1", strip("/files"), nil},
		{"stripped, params", []signet.PysignedOption{signet.PysignedPathPrefix("/files/")},
			"https://files.example.com/files/a;v=1/b;w=2?q=%C3%A9", strip("/files"), nil},
		{"stripped to /", []signet.PysignedOption{signet.PysignedPathPrefix("/api/v1")},
			"https://files.example.com/api/v1/", strip("/api/v1"), nil},
		{"stripped, without the prefix", nil,
			"https://files.example.com/files/report.pdf", strip("/files"), signet.ErrInvalidSignature},
		{"not stripped, with the prefix", []signet.PysignedOption{signet.PysignedPathPrefix("/files")},
			"https://files.example.com/files/report.pdf", asSent, signet.ErrInvalidSignature},
		{"not stripped, prefix /", []signet.PysignedOption{signet.PysignedPathPrefix("/")},
			"https://files.example.com/files/report.pdf", asSent, nil},
		{"not stripped, prefix empty", []signet.PysignedOption{signet.PysignedPathPrefix("")},
			"https://files.example.com/files/report.pdf", asSent, nil},
		{"forwarded as *", []signet.PysignedOption{signet.PysignedPathPrefix("/files")},
			"https://files.example.com/files/report.pdf", notAPath("*"), signet.ErrMalformed},
		{"forwarded as an absolute URL without a path", []signet.PysignedOption{signet.PysignedPathPrefix("/files")},
			"https://files.example.com/files/report.pdf", notAPath("https://files.example.com"), signet.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			signed, err := f.signer(t).SignURL(tt.url)
			require.NoError(t, err)
			r := pysignedServerRequest(t, signed)
			r.RequestURI = tt.target(r.RequestURI)
			_, err = f.verifier(t, append(tt.verify, origin)...).Verify(context.Background(), signet.FromHTTP(r))
			assertVerdict(t, err, tt.wantErr)
		})
	}
}

// TestPysignedPathPrefixSigner: a signer with a prefix signs public URLs
// under it exactly as without (as pysigned signs them), and refuses a URL
// outside it, through SignURL and Sign.
func TestPysignedPathPrefixSigner(t *testing.T) {
	f := newPysignedPrefixFixture()
	plain, prefixed := f.signer(t), f.signer(t, signet.PysignedPathPrefix("/files/"))
	for _, rawURL := range []string{"https://x.example/files/a?b=1", "https://x.example/files/", "https://x.example/files/a;p?q=1#frag"} {
		want, err := plain.SignURL(rawURL)
		require.NoError(t, err)
		got, err := prefixed.SignURL(rawURL)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	for _, rawURL := range []string{"https://x.example/files", "https://x.example/files;p/a", "https://x.example/filesX/a",
		"https://x.example/other/files/a", "https://x.example/", "https://x.example", "https://x.example/Files/a"} {
		_, err := prefixed.SignURL(rawURL)
		if assert.Error(t, err, rawURL) {
			assert.Contains(t, err.Error(), `not under "/files", the prefix the proxy strips (PysignedPathPrefix)`)
		}
		r, err := http.NewRequest("GET", rawURL, nil)
		require.NoError(t, err)
		err = prefixed.Sign(r)
		if assert.Error(t, err, rawURL) {
			assert.Contains(t, err.Error(), "PysignedPathPrefix")
		}
	}
}

// TestPysignedPathPrefixOverHTTP signs a public URL and sends it over HTTP
// to a server on 127.0.0.1, through a proxy that strips the prefix
// (rewriting the request-target, URL.Path and URL.RawPath) or straight to
// the backend. In-process, http.StripPrefix leaves the raw request-target
// as it came, so a handler mounted with it verifies without the option.
func TestPysignedPathPrefixOverHTTP(t *testing.T) {
	f := newPysignedPrefixFixture()
	signed, err := f.signer(t, signet.PysignedPathPrefix("/files")).SignURL("https://files.example.com/files/a%2Fb/report%201.pdf;v=2?download=1&q=a+b")
	require.NoError(t, err)
	u, err := url.Parse(signed)
	require.NoError(t, err)
	origin := signet.PysignedOrigin("https://files.example.com")
	withPrefix := verifyHandler(f.verifier(t, origin, signet.PysignedPathPrefix("/files")))
	without := verifyHandler(f.verifier(t, origin))
	testPathPrefixOverHTTP(t, publicGET(u.RequestURI()), withPrefix, without, "OK: ok k /a/b/report 1.pdf;v=2")
}

// TestPysignedPathPrefixMismatchCause: the Cause of an invalid_signature
// names the prefix put back on the path, after the origin.
func TestPysignedPathPrefixMismatchCause(t *testing.T) {
	f := newPysignedPrefixFixture()
	signed, err := f.signer(t).SignURL("https://files.example.com/files/report.pdf?a=1")
	require.NoError(t, err)
	tests := []struct {
		name   string
		opts   []signet.PysignedOption
		target func(string) string
		want   string
	}{
		{"prefix", []signet.PysignedOption{signet.PysignedPathPrefix("/files")}, asSent,
			`; origin "https://files.example.com", from the request (behind a proxy, use PysignedOrigin); path prefix "/files", put back on the path (PysignedPathPrefix)`},
		{"origin and prefix", []signet.PysignedOption{signet.PysignedOrigin("https://files.example.com"), signet.PysignedPathPrefix("/files/")}, asSent,
			`; origin "https://files.example.com" (PysignedOrigin); path prefix "/files", put back on the path (PysignedPathPrefix)`},
		{"no prefix", []signet.PysignedOption{signet.PysignedOrigin("https://files.example.com")}, strip("/files"),
			`; origin "https://files.example.com" (PysignedOrigin)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := pysignedServerRequest(t, signed)
			r.RequestURI = tt.target(r.RequestURI)
			_, err := f.verifier(t, tt.opts...).Verify(context.Background(), signet.FromHTTP(r))
			assertMismatchCause(t, err, tt.want)
		})
	}
}
