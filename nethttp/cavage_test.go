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

// TestCavageThroughTransport: a CavageSigner behind Transport is accepted by
// the middleware with the body (and its Digest) intact.
func TestCavageThroughTransport(t *testing.T) {
	key := signet.NewHMACKey([]byte("cavage-secret"))
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "svc", Key: key, Credentials: app{"svc"}})
	require.NoError(t, err)
	verifier, err := signet.NewCavage(keys, signet.CavageRequiredHeaders("(request-target)", "date", "digest"),
		signet.CavageDigest(signet.DigestRequire))
	require.NoError(t, err)
	srv := httptest.NewServer(signethttp.New(verifier)(echo))
	defer srv.Close()

	signer, err := signet.NewCavageSigner("svc", key)
	require.NoError(t, err)
	client := &http.Client{Transport: &signethttp.Transport{Signer: signer}}
	resp, err := client.Post(srv.URL+"/jobs?priority=1", "application/json", strings.NewReader(`{"run":true}`))
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode, string(body))
	assert.Equal(t, `svc:{"run":true}`, string(body))
}
