package signet_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// TestConstructionErrorsWrap: an error a constructor or signer reports on
// behalf of another keeps it, for errors.Is and errors.As.
func TestConstructionErrorsWrap(t *testing.T) {
	short := signet.NewHMACKey([]byte("too short for pysigned"))
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "k", Key: short})
	require.NoError(t, err)
	_, err = signet.NewPysigned(keys)
	require.Error(t, err)
	assert.ErrorIs(t, err, signet.ErrUnsupportedAlgorithm, "NewPysigned")

	_, err = signet.NewPysignedSigner(short)
	require.Error(t, err)
	assert.ErrorIs(t, err, signet.ErrUnsupportedAlgorithm, "NewPysignedSigner")

	s, err := signet.NewSignedURLSigner("k", signet.NewHMACKey([]byte("secret")), signet.SignedURLBindOrigin())
	require.NoError(t, err)
	_, err = s.SignURL("GET", "https://example.com/?"+strings.Repeat("a=1&", 300), 60e9)
	require.Error(t, err)
	assert.ErrorIs(t, err, signet.ErrMalformed, "SignURL of too many parameters")

	r, err := http.NewRequest("GET", "https://example.com/", nil)
	require.NoError(t, err)
	r.Host = "example.com:0080"
	err = s.Sign(r)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the request's Host")
	assert.NotNil(t, errors.Unwrap(err), "Sign with a Host in another form")
}
