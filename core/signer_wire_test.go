package signet_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// TestCavageSignerContentLength sends requests whose content-length is
// signed through net/http: where Go sends a Content-Length, the signer
// signs that value and the server verifies it; where Go sends none, the
// signer reports the header missing.
func TestCavageSignerContentLength(t *testing.T) {
	key := signet.NewHMACKey([]byte("k"))
	verifier, err := signet.NewCavage(staticKeys(t, signet.Secret{ID: "k", Key: key}))
	require.NoError(t, err)
	type seen struct {
		contentLength []string
		verified      error
	}
	got := make(chan seen, 1)
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := verifier.Verify(context.Background(), signet.FromHTTP(r))
		got <- seen{r.Header["Content-Length"], err}
	}))
	defer server.Close()
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
