package signet_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
)

// TestCavageVectorsAPISignatureDialectCodes replays cavage.json in the
// api-signature dialect against what the real middleware answered: the
// 200s pass, and each rejection is signet's error for the error
// api-signature threw (apiSignatureErrorOf), or the one
// apiSignatureDeviationOf gives with its reason. examples/conformance
// checks the same codes over HTTP.
func TestCavageVectorsAPISignatureDialectCodes(t *testing.T) {
	// apiSignatureErrorOf is signet's error for the same failure as each
	// error api-signature throws.
	apiSignatureErrorOf := map[string]error{
		"BadSignatureError":                   signet.ErrInvalidSignature,
		"UnauthorizedError":                   signet.ErrUnknownKey, // "Unknown api key"
		"ExpiredRequestError":                 signet.ErrExpired,
		"UnsupportedAlgorithmError":           signet.ErrUnsupportedAlgorithm,
		"MissingRequiredHeadersError":         signet.ErrMissingHeader,
		"MissingRequiredSignatureParamsError": signet.ErrMalformed,
	}
	// apiSignatureDeviationOf is signet's error where it is not that of
	// api-signature's answer.
	apiSignatureDeviationOf := map[string]error{
		// Signed in a Signature header: api-signature reports the absent
		// Authorization header as a missing required header.
		"hs-rsa-sha256-signature-header-digest": signet.ErrMissingSignature,
		"hs-hmac-sha256-created-expires":        signet.ErrMissingSignature,
		"draft12-C1-default-signature-header":   signet.ErrMissingSignature,
		"ref-hs2019-ed25519-created-expires":    signet.ErrMissingSignature,
		// api-signature refuses a non-HMAC algorithm before it asks for the
		// key; signet looks the key up first, and getSecret has only HMAC
		// keys.
		"hs-rsa-sha256-no-request-target":  signet.ErrUnknownKey,
		"hs-ecdsa-sha256-p256":             signet.ErrUnknownKey,
		"hs-ed25519-sha512":                signet.ErrUnknownKey,
		"draft12-C1-default-authorization": signet.ErrUnknownKey,
		"draft12-C2-basic-authorization":   signet.ErrUnknownKey,
		"draft09-C3-all-headers":           signet.ErrUnknownKey,
		// (created) is no pseudo-header in api-signature: a signed
		// "(created)" names a header the request lacks, which signet finds
		// before it checks the algorithm.
		"draft12-C3-all-headers-as-printed": signet.ErrMissingHeader,
		"ref-hs2019-hmac-sha512-created":    signet.ErrMissingHeader,
		"quirk-expires-grace-window":        signet.ErrMissingHeader,
		"quirk-integer-param-last":          signet.ErrMissingHeader,
		// api-signature never checks Digest; signet does, in both dialects.
		"neg-tampered-body-with-digest": signet.ErrDigestMismatch,
	}
	vectors, table, err := signettest.CavageVectors()
	require.NoError(t, err)
	require.Len(t, vectors, 35)
	keys := cavageKeys(t, table, true)
	accepted, matched, deviations := 0, 0, 0
	for _, v := range vectors {
		t.Run(v.ID, func(t *testing.T) {
			verifier, err := signet.NewCavage(keys, signet.DialectAPISignature, clockAt(v.Now))
			require.NoError(t, err)
			_, err = verifier.Verify(context.Background(), signet.FromHTTP(cavageRequest(v)))
			peer := v.Expected.APISignature
			if want, ok := apiSignatureDeviationOf[v.ID]; ok {
				deviations++
				assert.ErrorIs(t, err, want, "api-signature: %d %s", peer.Status, peer.Error)
				return
			}
			if peer.Status == 200 {
				accepted++
				assert.NoError(t, err)
				return
			}
			matched++
			want, ok := apiSignatureErrorOf[peer.Error]
			require.True(t, ok, "no signet error for api-signature's %s", peer.Error)
			assert.ErrorIs(t, err, want, peer.Message)
		})
	}
	assert.Equal(t, 8, accepted, "vectors api-signature and signet accept")
	assert.Equal(t, 12, matched, "vectors rejected with the error api-signature threw")
	assert.Len(t, apiSignatureDeviationOf, deviations, "every deviation names a vector")
}
