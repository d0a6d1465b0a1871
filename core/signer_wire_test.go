package signet_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// seen is what verifyingServer's handler saw of a request: the
// Content-Length it received and the verifier's answer.
type seen struct {
	contentLength []string
	verified      error
}

// verifyingServer starts a server that verifies each request with verifier
// and reports what it saw on the channel.
func verifyingServer(t *testing.T, verifier signet.Verifier) (*httptest.Server, <-chan seen) {
	got := make(chan seen, 1)
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := verifier.Verify(context.Background(), signet.FromHTTP(r))
		got <- seen{r.Header["Content-Length"], err}
	}))
	t.Cleanup(server.Close)
	return server, got
}

// TestCavageSignerContentLength sends requests whose content-length is
// signed through net/http: where Go sends a Content-Length, the signer
// signs that value and the server verifies it; where Go sends none, the
// signer reports the header missing.
func TestCavageSignerContentLength(t *testing.T) {
	key := signet.NewHMACKey([]byte("k"))
	verifier, err := signet.NewCavage(staticKeys(t, signet.Secret{ID: "k", Key: key}))
	require.NoError(t, err)
	server, got := verifyingServer(t, verifier)
	signer, err := signet.NewCavageSigner("k", key, signet.CavageSignHeaders("(request-target)", "host", "date", "digest", "content-length"))
	require.NoError(t, err)

	unknown := func(s string) func() io.Reader { // a body of unknown length
		return func() io.Reader { return io.MultiReader(strings.NewReader(s)) }
	}
	for _, tc := range []struct {
		name    string
		methods []string
		body    func() io.Reader
		chunked bool
		want    string // the Content-Length Go sends, "" for none
	}{
		{"no body", []string{"POST", "PUT", "PATCH"}, nil, false, "0"},
		{"no body", []string{"GET", "DELETE", "OPTIONS", ""}, nil, false, ""},
		{"empty body", []string{"POST", "PUT", "PATCH"}, func() io.Reader { return strings.NewReader("") }, false, "0"},
		{"empty body", []string{"GET", "DELETE"}, func() io.Reader { return strings.NewReader("") }, false, ""},
		{"body", []string{"POST", "GET", "DELETE"}, func() io.Reader { return strings.NewReader("hello") }, false, "5"},
		{"empty body of unknown length", []string{"POST", "PUT", "GET", "DELETE"}, unknown(""), false, ""},
		{"body of unknown length", []string{"POST", "GET"}, unknown("hello"), false, "5"},
		{"chunked body", []string{"POST"}, func() io.Reader { return strings.NewReader("hello") }, true, ""},
	} {
		for _, method := range tc.methods {
			t.Run(tc.name+"/"+method, func(t *testing.T) {
				var body io.Reader
				if tc.body != nil {
					body = tc.body()
				}
				r, err := http.NewRequest(method, server.URL+"/x", body)
				require.NoError(t, err)
				if tc.chunked {
					r.TransferEncoding = []string{"chunked"}
				}
				signErr := signer.Sign(r)
				if tc.want != "" {
					require.NoError(t, signErr)
				} else {
					require.ErrorIs(t, signErr, signet.ErrMissingHeader)
				}
				res, err := http.DefaultClient.Do(r)
				require.NoError(t, err)
				res.Body.Close()
				s := <-got
				if tc.want == "" {
					assert.Empty(t, s.contentLength, "Go sends no Content-Length")
					return
				}
				assert.Equal(t, []string{tc.want}, s.contentLength)
				assert.NoError(t, s.verified)
			})
		}
	}
}

// TestSignwaySignerWireContentLength sends requests signing content-length
// (SignwaySignHeaders) through net/http to a verifying gateway: the signed
// value is the Content-Length Go sends, and a request Go sends without one
// cannot be signed.
func TestSignwaySignerWireContentLength(t *testing.T) {
	key := signet.NewHMACKey([]byte("secret"))
	verifier, err := signet.NewSignway(staticKeys(t, signet.Secret{ID: "app", Key: key}), signet.SignwayStrict())
	require.NoError(t, err)
	server, got := verifyingServer(t, verifier)
	for _, signBody := range []bool{false, true} {
		opts := []signet.SignwaySignerOption{signet.SignwaySignHeaders("Content-Length")}
		if signBody {
			opts = append(opts, signet.SignwaySignBody())
		}
		signer, err := signet.NewSignwaySigner("app", key, server.URL, opts...)
		require.NoError(t, err)
		for _, tc := range []struct {
			method, body string
			chunked      bool
			want         string // the Content-Length Go sends, "" for none
		}{
			{"POST", "", false, "0"},
			{"PUT", "", false, "0"},
			{"POST", "hello", false, "5"},
			{"GET", "", false, ""},
			{"POST", "hello", true, ""},
		} {
			t.Run(fmt.Sprintf("signBody=%v/%s/%q/chunked=%v", signBody, tc.method, tc.body, tc.chunked), func(t *testing.T) {
				r, err := http.NewRequest(tc.method, "https://api.example/v1", strings.NewReader(tc.body))
				require.NoError(t, err)
				if tc.chunked {
					r.TransferEncoding = []string{"chunked"}
				}
				err = signer.Sign(r)
				if tc.want == "" {
					assert.ErrorContains(t, err, "content-length")
					return
				}
				require.NoError(t, err)
				res, err := http.DefaultClient.Do(r)
				require.NoError(t, err)
				res.Body.Close()
				s := <-got
				assert.Equal(t, []string{tc.want}, s.contentLength)
				assert.NoError(t, s.verified)
			})
		}
	}
}
