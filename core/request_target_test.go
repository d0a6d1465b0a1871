package signet_test

import (
	"bufio"
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

// TestSmuggledRequestTarget: a request for one path whose target carries
// the target of a request signed for another path is refused by every
// scheme that reads the target: after a "://" in its query ("GET
// http:/admin?x=http://h/public?<signature>", which net/http serves as
// /admin), or after a host in a CONNECT request's target ("CONNECT
// http://secret/public?<signature>", served as //secret/public). The signed
// request itself verifies.
func TestSmuggledRequestTarget(t *testing.T) {
	const public = "http://api.example/public/file.txt?a=1"
	key := signet.NewHMACKey([]byte(testSecret))
	keys := staticKeys(t, signet.Secret{ID: "k1", Key: key})
	at := fixedClock(signedAt)

	tests := []struct {
		name string
		// sign returns the method, request-target and headers of a request
		// for public, signed.
		sign     func(t *testing.T) (method, target string, header http.Header)
		verifier func(t *testing.T) signet.Verifier
	}{
		{
			name: "signed URL",
			sign: func(t *testing.T) (string, string, http.Header) {
				signer, err := signet.NewSignedURLSigner("k1", key, at)
				require.NoError(t, err)
				signed, err := signer.SignURL(http.MethodGet, public, 5*time.Minute)
				require.NoError(t, err)
				return http.MethodGet, requestURI(t, signed), http.Header{}
			},
			verifier: func(t *testing.T) signet.Verifier {
				v, err := signet.NewSignedURL(keys, at)
				require.NoError(t, err)
				return v
			},
		},
		{
			name: "signed URL, the method not signed",
			sign: func(t *testing.T) (string, string, http.Header) {
				signer, err := signet.NewSignedURLSigner("k1", key, at, signet.SignedURLBindMethod(false))
				require.NoError(t, err)
				signed, err := signer.SignURL(http.MethodGet, public, 5*time.Minute)
				require.NoError(t, err)
				return http.MethodGet, requestURI(t, signed), http.Header{}
			},
			verifier: func(t *testing.T) signet.Verifier {
				v, err := signet.NewSignedURL(keys, at, signet.SignedURLBindMethod(false))
				require.NoError(t, err)
				return v
			},
		},
		{
			name: "pysigned",
			sign: func(t *testing.T) (string, string, http.Header) {
				f := newPysignedFixture(t)
				return http.MethodGet, requestURI(t, f.sign(t, f.hmac, public)), http.Header{}
			},
			verifier: func(t *testing.T) signet.Verifier { // the origin configured: not the CONNECT's host
				v, err := signet.NewPysigned(newPysignedFixture(t).keys, clockAt(pyNow), signet.PysignedOrigin("http://api.example"))
				require.NoError(t, err)
				return v
			},
		},
		{
			name: "Signway, strict",
			sign: func(t *testing.T) (string, string, http.Header) {
				signer, err := signet.NewSignwaySigner("k1", key, "https://api.example/gateway/", at)
				require.NoError(t, err)
				signed, err := signer.Presign(signet.SignwayURL{Method: http.MethodGet, Proxy: "https://upstream.example/", Expiry: time.Minute})
				require.NoError(t, err)
				return http.MethodGet, requestURI(t, signed.URL), http.Header{}
			},
			verifier: func(t *testing.T) signet.Verifier {
				v, err := signet.NewSignway(keys, at, signet.SignwayStrict("/gateway/"))
				require.NoError(t, err)
				return v
			},
		},
		{
			name: "SASigning, path and query",
			sign: func(t *testing.T) (string, string, http.Header) {
				r := signedRequest(t, http.MethodGet, public, "", saPathQuery...)
				return r.Method, r.URL.RequestURI(), r.Header
			},
			verifier: func(t *testing.T) signet.Verifier { return newVerifier(t, saPathQuery...) },
		},
		{
			name: "SASigning, path and query, the method not signed",
			sign: func(t *testing.T) (string, string, http.Header) {
				r := signedRequest(t, http.MethodGet, public, "", saPathQueryOnly...)
				return r.Method, r.URL.RequestURI(), r.Header
			},
			verifier: func(t *testing.T) signet.Verifier { return newVerifier(t, saPathQueryOnly...) },
		},
		{
			name: "Cavage, api-signature dialect",
			sign: func(t *testing.T) (string, string, http.Header) {
				signer, err := signet.NewCavageSigner("k1", key, signet.DialectAPISignature, at)
				require.NoError(t, err)
				r, err := http.NewRequest(http.MethodGet, public, nil)
				require.NoError(t, err)
				require.NoError(t, signer.Sign(r))
				return r.Method, r.URL.RequestURI(), r.Header
			},
			verifier: func(t *testing.T) signet.Verifier {
				v, err := signet.NewCavage(keys, signet.DialectAPISignature, at)
				require.NoError(t, err)
				return v
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method, target, header := tt.sign(t)
			v := tt.verifier(t)
			_, err := v.Verify(context.Background(), signet.FromHTTP(readRequest(t, method, target, header)))
			require.NoError(t, err, "the signed request")

			smuggled := readRequest(t, method, "http:/admin?x=http://api.example"+target, header)
			require.Equal(t, "/admin", smuggled.URL.Path, "net/http serves /admin")
			_, err = v.Verify(context.Background(), signet.FromHTTP(smuggled))
			assert.Error(t, err, "a target smuggled into the query of another")

			smuggled = readRequest(t, http.MethodConnect, "http://secret"+target, header)
			path, _, _ := strings.Cut(target, "?")
			require.Equal(t, "//secret"+path, smuggled.URL.Path, "net/http serves //secret/…")
			_, err = v.Verify(context.Background(), signet.FromHTTP(smuggled))
			assert.Error(t, err, "a target smuggled after the host of a CONNECT request")
		})
	}
}

var (
	saPathQuery     = []signet.SASigningOption{signet.SASigningFields("path", "method", "query"), signet.SASigningDelimiter("\n")}
	saPathQueryOnly = []signet.SASigningOption{signet.SASigningFields("path", "query"), signet.SASigningDelimiter("\n")}
)

// requestURI is the request-target a client sends for the absolute URL raw.
func requestURI(t *testing.T, raw string) string {
	u, err := url.Parse(raw)
	require.NoError(t, err)
	return u.RequestURI()
}

// readRequest is the request net/http's server reads from a request line
// with target and the given headers.
func readRequest(t *testing.T, method, target string, header http.Header) *http.Request {
	var b strings.Builder
	b.WriteString(method + " " + target + " HTTP/1.1\r\nHost: api.example\r\n")
	require.NoError(t, header.Write(&b))
	b.WriteString("\r\n")
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(b.String())))
	require.NoError(t, err)
	return r
}
