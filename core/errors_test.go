package signet_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// TestErrorKinds pins the codes and statuses of CONFORMANCE.md.
func TestErrorKinds(t *testing.T) {
	tests := []struct {
		kind   error
		code   string
		status int
	}{
		{signet.ErrMissingSignature, "missing_signature", 401},
		{signet.ErrMalformed, "malformed_signature", 400},
		{signet.ErrUnknownKey, "unknown_key", 401},
		{signet.ErrUnsupportedAlgorithm, "unsupported_algorithm", 400},
		{signet.ErrInvalidSignature, "invalid_signature", 401},
		{signet.ErrExpired, "expired", 401},
		{signet.ErrNotYetValid, "not_yet_valid", 401},
		{signet.ErrMissingHeader, "missing_required_header", 400},
		{signet.ErrDigestMismatch, "digest_mismatch", 400},
		{signet.ErrBodyTooLarge, "body_too_large", 413},
		{signet.ErrReplayed, "replayed", 401},
		{signet.ErrUnavailable, "verification_unavailable", 503},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			e := signet.NewError(tt.kind, "what to fix")
			assert.Equal(t, tt.code, e.Code())
			assert.Equal(t, tt.status, e.Status())
			assert.ErrorIs(t, e, tt.kind)
			assert.Equal(t, "what to fix", e.Error())
			body, err := json.Marshal(e)
			require.NoError(t, err)
			assert.JSONEq(t, fmt.Sprintf(`{"error":%q,"message":"what to fix"}`, tt.code), string(body))
		})
	}
}

func TestAsError(t *testing.T) {
	e := signet.NewError(signet.ErrExpired, "late")
	assert.Same(t, e, signet.AsError(fmt.Errorf("wrapped: %w", e)))

	cause := errors.New("db password=hunter2")
	foreign := signet.AsError(cause)
	assert.ErrorIs(t, foreign, signet.ErrUnavailable)
	assert.NotErrorIs(t, foreign, cause, "the sentinel only")
	assert.Same(t, cause, foreign.Cause(), "kept for the server's logs")
	assert.NotContains(t, foreign.Error(), "hunter2")
	body, err := json.Marshal(foreign)
	require.NoError(t, err)
	assert.NotContains(t, string(body), "hunter2")
	assert.NoError(t, e.Cause(), "a signature's failure has no cause")
	assert.ErrorIs(t, signet.NewError(errors.New("mine"), "x"), signet.ErrUnavailable)
	assert.Empty(t, e.Challenge())

	assert.Nil(t, signet.AsError(nil), "no failure, no *Error")

	var typedNil *signet.Error
	for _, odd := range []error{typedNil, &signet.Error{}, fmt.Errorf("wrapped: %w", typedNil)} {
		got := signet.AsError(odd)
		assert.ErrorIs(t, got, signet.ErrUnavailable, "%#v", odd)
		assert.Equal(t, 503, got.Status())
		assert.Equal(t, "verification_unavailable", got.Code())
		assert.NoError(t, got.Cause())
	}

	zero := &signet.Error{} // answered as AsError answers it, not with status 0
	assert.Equal(t, 503, zero.Status())
	assert.Equal(t, "verification_unavailable", zero.Code())
}

// TestErrorSetHeaders checks the header fields every adapter sends with an
// answer: the challenge of a 401 that has one, and nosniff always.
func TestErrorSetHeaders(t *testing.T) {
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "k", Key: signet.NewHMACKey([]byte("secret"))})
	require.NoError(t, err)
	cavage, err := signet.NewCavage(keys)
	require.NoError(t, err)
	_, unsigned := cavage.Verify(context.Background(), signet.FromHTTP(httptest.NewRequest("GET", "/", nil)))
	for _, tc := range []struct {
		name string
		err  *signet.Error
		want http.Header
	}{
		{"a 401 with a challenge", signet.AsError(unsigned), http.Header{
			"Www-Authenticate":       {`Signature realm="signet",headers="date"`},
			"X-Content-Type-Options": {"nosniff"},
		}},
		{"a 401 without", signet.NewError(signet.ErrExpired, "late"), http.Header{"X-Content-Type-Options": {"nosniff"}}},
		{"a 413", signet.BodyTooLarge(10), http.Header{"X-Content-Type-Options": {"nosniff"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			tc.err.SetHeaders(h.Set)
			assert.Equal(t, tc.want, h)
		})
	}
}

// TestBodyTooLarge checks the 413 an adapter's Request answers, with the
// limit when it knows it.
func TestBodyTooLarge(t *testing.T) {
	e := signet.BodyTooLarge(1 << 20)
	assert.ErrorIs(t, e, signet.ErrBodyTooLarge)
	assert.Equal(t, 413, e.Status())
	assert.Contains(t, e.Error(), "1048576 bytes")
	unknown := signet.BodyTooLarge(0)
	assert.ErrorIs(t, unknown, signet.ErrBodyTooLarge)
	assert.Equal(t, "the request body is larger than this server accepts", unknown.Error())
}
