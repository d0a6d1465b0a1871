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

// TestTransportURLSignerRedirects: a URL signer re-signs a same-origin
// redirect that brings its own parameters back (ServeMux's redirect to the
// path with a trailing slash keeps the query).
func TestTransportURLSignerRedirects(t *testing.T) {
	secret := []byte(strings.Repeat("a URL signer's secret ", 4))
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "k", Key: signet.NewHMACKey(secret), Credentials: app{"billing"}})
	require.NoError(t, err)
	native, err := signet.NewSignedURL(keys)
	require.NoError(t, err)
	nativeSigner, err := signet.NewSignedURLSigner("k", signet.NewHMACKey(secret))
	require.NoError(t, err)
	pysigned, err := signet.NewPysigned(keys)
	require.NoError(t, err)
	pysignedSigner, err := signet.NewPysignedSigner(signet.NewHMACKey(secret))
	require.NoError(t, err)
	for _, c := range []struct {
		name     string
		verifier signet.Verifier
		signer   signet.Signer
	}{{"signedurl", native, nativeSigner}, {"pysigned", pysigned, pysignedSigner}} {
		t.Run(c.name, func(t *testing.T) {
			mux := http.NewServeMux()
			mux.Handle("/dir/", signethttp.New(c.verifier)(echo))
			srv := httptest.NewServer(mux)
			defer srv.Close()
			client := &http.Client{Transport: &signethttp.Transport{Signer: c.signer}}
			resp, err := client.Get(srv.URL + "/dir?x=1")
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
			assert.Equal(t, "/dir/", resp.Request.URL.Path, "redirected")
		})
	}
}
