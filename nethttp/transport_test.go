package signethttp_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
	signethttp "github.com/signet-go/signet/nethttp"
)

// TestTransportRedirects: a redirect on the same origin is signed again (the
// path changed, so the first signature would not do); one to another origin
// is sent unsigned, so that no other server gets a signature to replay.
func TestTransportRedirects(t *testing.T) {
	captured := make(chan http.Header, 1)
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		captured <- r.Header.Clone()
	}))
	defer other.Close()

	mux := http.NewServeMux()
	mux.Handle("/here", http.RedirectHandler("/there", http.StatusTemporaryRedirect))
	mux.Handle("/away", http.RedirectHandler(other.URL+"/transfer", http.StatusTemporaryRedirect))
	mux.Handle("/there", signethttp.New(verifier(t))(echo))
	api := httptest.NewServer(mux)
	defer api.Close()

	signer, err := signet.NewSASigningSigner(key, covers...)
	require.NoError(t, err)
	client := &http.Client{Transport: &signethttp.Transport{Signer: signer}}

	resp, err := client.Post(api.URL+"/here", "text/plain", strings.NewReader("hello"))
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the same-origin redirect is signed again: %s", body)

	resp, err = client.Post(api.URL+"/away", "text/plain", strings.NewReader("hello"))
	require.NoError(t, err)
	resp.Body.Close()
	header := <-captured
	assert.Empty(t, header.Get("Signature"), "no signature for another origin")
}
