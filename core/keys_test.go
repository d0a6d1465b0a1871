package signet_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

func TestStaticKeys(t *testing.T) {
	a1 := signet.Secret{ID: "a", Key: signet.NewHMACKey([]byte("1"))}
	a2 := signet.Secret{ID: "a", Key: signet.NewHMACKey([]byte("2"))}
	b := signet.Secret{ID: "b", Key: signet.NewHMACKey([]byte("3"))}
	keys := staticKeys(t, a1, a2, b)

	got, err := keys.Lookup(context.Background(), "a")
	require.NoError(t, err)
	assert.Equal(t, []signet.Secret{a1, a2}, got, "rotation: every key of the id, in order")
	got, err = keys.Lookup(context.Background(), signet.AnyKeyID)
	require.NoError(t, err)
	assert.Equal(t, []signet.Secret{a1, a2, b}, got)
	_, err = keys.Lookup(context.Background(), "c")
	assert.ErrorIs(t, err, signet.ErrUnknownKey)

	_, err = signet.NewStaticKeys(signet.Secret{ID: "nokey"})
	assert.Error(t, err)
	assert.NotContains(t, fmt.Sprint(signet.NewHMACKey([]byte("hunter2"))), "hunter2")
}

// TestKeyFuncErrors: what a getSecret callback answers becomes a precise
// verifier error, and a store failure never leaks its text to the client.
func TestKeyFuncErrors(t *testing.T) {
	r := signedRequest(t, "GET", "/x", "")
	tests := []struct {
		name   string
		lookup signet.KeyFunc
		want   error
		status int
	}{
		{"unknown", func(context.Context, string) ([]signet.Secret, error) { return nil, signet.ErrUnknownKey }, signet.ErrUnknownKey, 401},
		{"wrapped unknown", func(context.Context, string) ([]signet.Secret, error) {
			return nil, fmt.Errorf("tenant db: %w", signet.ErrUnknownKey)
		}, signet.ErrUnknownKey, 401},
		{"empty", func(context.Context, string) ([]signet.Secret, error) { return nil, nil }, signet.ErrUnknownKey, 401},
		{"store down", func(context.Context, string) ([]signet.Secret, error) {
			return nil, errors.New("dial tcp 10.0.0.7:5432: connection refused")
		}, signet.ErrUnavailable, 503},
		{"not an HMAC key", func(context.Context, string) ([]signet.Secret, error) {
			return []signet.Secret{{ID: "x", Key: &signet.Key{}}}, nil
		}, signet.ErrUnsupportedAlgorithm, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := signet.NewSASigning(tt.lookup)
			require.NoError(t, err)
			_, err = v.Verify(context.Background(), signet.FromHTTP(r))
			require.ErrorIs(t, err, tt.want)
			assert.Equal(t, tt.status, signet.AsError(err).Status())
			assert.NotContains(t, err.Error(), "10.0.0.7")
		})
	}
}

// TestCandidatesBounded: a store returning many keys costs at most a bounded
// number of MACs per request.
func TestCandidatesBounded(t *testing.T) {
	var secrets []signet.Secret
	for i := range 100 {
		secrets = append(secrets, signet.Secret{ID: fmt.Sprint(i), Key: signet.NewHMACKey([]byte(fmt.Sprint(i)))})
	}
	secrets = append(secrets, signet.Secret{ID: "right", Key: signet.NewHMACKey([]byte(testSecret))})
	v, err := signet.NewSASigning(staticKeys(t, secrets...))
	require.NoError(t, err)
	_, err = v.Verify(context.Background(), signet.FromHTTP(signedRequest(t, "GET", "/x", "")))
	assert.ErrorIs(t, err, signet.ErrInvalidSignature, "the 101st key is never tried")
}
