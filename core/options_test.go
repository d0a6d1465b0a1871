package signet_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

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

// TestSignersRefuseVerifierOptions: every signer takes WithClock and
// refuses the common options only a verifier uses, with one message.
func TestSignersRefuseVerifierOptions(t *testing.T) {
	key := signet.NewHMACKey([]byte(strings.Repeat("k", 64)))
	signers := map[string]func(...signet.Option) error{
		"cavage": func(opts ...signet.Option) error {
			_, err := signet.NewCavageSigner("k", key, optionsAs[signet.CavageSignerOption](opts)...)
			return err
		},
		"pysigned": func(opts ...signet.Option) error {
			_, err := signet.NewPysignedSigner(key, optionsAs[signet.PysignedSignerOption](opts)...)
			return err
		},
		"sasigning": func(opts ...signet.Option) error {
			covers := []signet.SASigningOption{signet.SASigningFields("path", "timestamp"), signet.SASigningDelimiter("\n")}
			_, err := signet.NewSASigningSigner(key, append(covers, optionsAs[signet.SASigningOption](opts)...)...)
			return err
		},
		"signedurl": func(opts ...signet.Option) error {
			_, err := signet.NewSignedURLSigner("k", key, optionsAs[signet.SignedURLOption](opts)...)
			return err
		},
		"signway": func(opts ...signet.Option) error {
			_, err := signet.NewSignwaySigner("k", key, "https://gateway.example/", optionsAs[signet.SignwaySignerOption](opts)...)
			return err
		},
	}
	verifierOnly := map[string]signet.Option{
		"WithClockSkew":    signet.WithClockSkew(time.Second),
		"WithMaxBodyBytes": signet.WithMaxBodyBytes(5),
		"WithNonceStore":   signet.WithNonceStore(&memoryNonces{}),
		"WithAlgorithms":   signet.WithAlgorithms("hmac-sha256"),
	}
	for scheme, newSigner := range signers {
		t.Run(scheme, func(t *testing.T) {
			assert.NoError(t, newSigner(signet.WithClock(time.Now)), "WithClock")
			for name, opt := range verifierOnly {
				err := newSigner(opt)
				if assert.Error(t, err, name) {
					assert.Equal(t, "signet: "+name+" is not used by the "+scheme+" signer", err.Error())
				}
			}
		})
	}
}

// TestSASigningSignerRefusesVerifierOptions is the case of the issue: a
// signer given the verifier's options.
func TestSASigningSignerRefusesVerifierOptions(t *testing.T) {
	_, err := signet.NewSASigningSigner(signet.NewHMACKey([]byte("secret")),
		signet.SASigningFields("path", "timestamp"), signet.SASigningDelimiter("\n"),
		signet.WithNonceStore(&memoryNonces{}), signet.WithMaxBodyBytes(5))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "WithNonceStore is not used by the sasigning signer")
}

// optionsAs returns opts as options of a scheme (O), which Option implements.
func optionsAs[O any](opts []signet.Option) []O {
	out := make([]O, len(opts))
	for i, o := range opts {
		out[i] = any(o).(O)
	}
	return out
}

// TestVerifiersNeedAKeyStore: every verifier constructor names itself when
// it is given no key store.
func TestVerifiersNeedAKeyStore(t *testing.T) {
	for name, build := range map[string]func() error{
		"NewCavage":    func() error { _, err := signet.NewCavage(nil); return err },
		"NewPysigned":  func() error { _, err := signet.NewPysigned(nil); return err },
		"NewSASigning": func() error { _, err := signet.NewSASigning(nil); return err },
		"NewSignedURL": func() error { _, err := signet.NewSignedURL(nil); return err },
		"NewSignway":   func() error { _, err := signet.NewSignway(nil); return err },
	} {
		assert.EqualError(t, build(), "signet: "+name+" needs a KeyStore")
	}
	// What NewStaticKeys returns with its error (an unset environment
	// variable's empty secret, say), passed on unchecked.
	var unchecked *signet.StaticKeys
	_, err := signet.NewSASigning(unchecked)
	assert.EqualError(t, err, "signet: NewSASigning needs a KeyStore, not a nil *signet.StaticKeys (a call's unchecked error, or an unset field?)")
	var jwks *signet.JWKSKeys
	_, err = signet.NewPysigned(jwks)
	assert.ErrorContains(t, err, "not a nil *signet.JWKSKeys")
	// A config struct's KeyFunc field left unset: it would panic on the
	// first request.
	var config struct{ Keys signet.KeyFunc }
	_, err = signet.NewCavage(config.Keys)
	assert.ErrorContains(t, err, "signet: NewCavage needs a KeyStore, not a nil signet.KeyFunc")
}
