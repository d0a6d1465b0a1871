package signet_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	signet "github.com/signet-go/signet/core"
)

// TestSignersNeedAKey: every signer refuses no Key, a zero Key and an empty
// secret when it is built, with an error (never a panic, never a signer).
func TestSignersNeedAKey(t *testing.T) {
	signers := map[string]func(*signet.Key) (signet.Signer, error){
		"SASigning": func(k *signet.Key) (signet.Signer, error) { return signet.NewSASigningSigner(k) },
		"Cavage":    func(k *signet.Key) (signet.Signer, error) { return signet.NewCavageSigner("k", k) },
		"SignedURL": func(k *signet.Key) (signet.Signer, error) { return signet.NewSignedURLSigner("k", k) },
		"Signway": func(k *signet.Key) (signet.Signer, error) {
			return signet.NewSignwaySigner("k", k, "http://gw.example/")
		},
		"Pysigned": func(k *signet.Key) (signet.Signer, error) { return signet.NewPysignedSigner(k) },
	}
	for name, build := range signers {
		for _, key := range []*signet.Key{nil, {}, signet.NewHMACKey(nil)} {
			var s signet.Signer
			var err error
			assert.NotPanics(t, func() { s, err = build(key) }, "%s, %#v", name, key)
			assert.Error(t, err, "%s, %#v", name, key)
			assert.Nil(t, s, "%s, %#v", name, key)
		}
	}
}
