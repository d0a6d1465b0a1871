package signet_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// verifierFunc is a Verifier from outside package signet: Verify only.
type verifierFunc func(context.Context, signet.Request) (*signet.Result, error)

func (f verifierFunc) Verify(ctx context.Context, r signet.Request) (*signet.Result, error) {
	return f(ctx, r)
}

// onlyBob embeds a verifier of package signet and adds a check to its
// Verify: the VerifyInto it gets from the embedded verifier skips it.
type onlyBob struct{ *signet.SASigning }

func (v onlyBob) Verify(ctx context.Context, r signet.Request) (*signet.Result, error) {
	res, err := v.SASigning.Verify(ctx, r)
	if err == nil && res.Credentials != "bob" {
		return nil, signet.NewError(signet.ErrUnknownKey, "bob only")
	}
	return res, err
}

// TestAsIntoVerifier checks both IntoVerifiers AsIntoVerifier returns: a
// verifier of this package itself, and for any other (one embedding a
// verifier of this package too) one that copies Verify's Result; that a
// rejection (a foreign verifier's error, or neither a Result nor an error)
// leaves the Result as it was; and that a nil Result only verifies.
func TestAsIntoVerifier(t *testing.T) {
	key := signet.NewHMACKey([]byte("a secret of thirty-two bytes, ok"))
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "k", Key: key, Credentials: "alice"})
	require.NoError(t, err)
	v, err := signet.NewSASigning(keys)
	require.NoError(t, err)
	signer, err := signet.NewSASigningSigner(key)
	require.NoError(t, err)
	signed := httptest.NewRequest("GET", "/report", nil)
	require.NoError(t, signer.Sign(signed))

	foreign := verifierFunc(func(ctx context.Context, r signet.Request) (*signet.Result, error) { return v.Verify(ctx, r) })
	failing := verifierFunc(func(context.Context, signet.Request) (*signet.Result, error) {
		return nil, errors.New("store down")
	})
	silent := verifierFunc(func(context.Context, signet.Request) (*signet.Result, error) { return nil, nil })
	tests := []struct {
		name     string
		verifier signet.Verifier
		native   bool // returned as it is
		unsigned bool
		code     string // "" when it verifies
	}{
		{"IntoVerifier", v, true, false, ""},
		{"IntoVerifier, unsigned", v, true, true, "missing_signature"},
		{"Verify only", foreign, false, false, ""},
		{"Verify only, unsigned", foreign, false, true, "missing_signature"},
		{"Verify only, an error of its own", failing, false, false, "verification_unavailable"},
		{"Verify only, neither Result nor error", silent, false, false, "verification_unavailable"},
		{"embedding a verifier of signet, with a Verify of its own", onlyBob{v}, false, false, "unknown_key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := signed
			if tt.unsigned {
				r = httptest.NewRequest("GET", "/report", nil)
			}
			into := signet.AsIntoVerifier(tt.verifier)
			if tt.native {
				assert.Same(t, v, into, "a verifier of package signet is returned as it is")
			}
			res := &signet.Result{KeyID: "before"}
			err := signet.AsError(into.VerifyInto(context.Background(), signet.FromHTTP(r), res))
			if tt.code != "" {
				require.NotNil(t, err)
				assert.Equal(t, tt.code, err.Code())
				assert.Equal(t, "before", res.KeyID, "left as it was")
				return
			}
			require.Nil(t, err)
			assert.Equal(t, "k", res.KeyID)
			assert.Equal(t, "alice", res.Credentials)
			assert.Nil(t, signet.AsError(into.VerifyInto(context.Background(), signet.FromHTTP(r), nil)), "a nil Result only verifies")
		})
	}
}
