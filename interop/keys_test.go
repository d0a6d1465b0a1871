//go:build interop

package interop

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
)

// keyIDs are the test key (of cavage-testkeys.json) each algorithm signs
// with; ed25519-sha512 is http-signature's name for Ed25519.
var keyIDs = map[string]string{
	"hmac-sha1":      "client-1",
	"hmac-sha256":    "client-1",
	"hmac-sha512":    "client-1",
	"rsa-sha256":     "rsa-1",
	"rsa-sha512":     "rsa-1",
	"ecdsa-sha256":   "ecdsa-1",
	"ed25519-sha512": "ed25519-1",
}

// loadKeys loads the Cavage test keys once.
var loadKeys = sync.OnceValues(func() (map[string]signettest.CavageKey, error) {
	_, keys, err := signettest.CavageVectors()
	return keys, err
})

// testKeys are the Cavage test keys, from the repository's copy of the
// shared vectors, by key id.
func testKeys(t *testing.T) map[string]signettest.CavageKey {
	t.Helper()
	keys, err := loadKeys()
	require.NoError(t, err)
	for _, id := range keyIDs {
		require.Contains(t, keys, id)
	}
	return keys
}

// uniqueKeyIDs are the key ids of keyIDs, each once, HMAC first.
var uniqueKeyIDs = []string{"client-1", "rsa-1", "ecdsa-1", "ed25519-1"}

// peerKeys are the keys both peer servers know: secrets for HMAC, public
// keys otherwise.
func peerKeys(t *testing.T) []map[string]string {
	keys := testKeys(t)
	var out []map[string]string
	for _, id := range uniqueKeyIDs {
		if k := keys[id]; k.Type == "hmac" {
			out = append(out, map[string]string{"id": id, "secret": k.Secret})
		} else {
			out = append(out, map[string]string{"id": id, "public_key_pem": k.PublicKeyPEM})
		}
	}
	return out
}

// conformanceKeys are peerKeys as the conformance config lists them; the
// api-signature dialect gets the HMAC key only.
func conformanceKeys(t *testing.T, hmacOnly bool) []map[string]string {
	keys := peerKeys(t)
	if hmacOnly {
		return keys[:1]
	}
	return keys
}

// signingKey is the signet key of a test key: its secret or private key.
func signingKey(t *testing.T, id string) *signet.Key {
	t.Helper()
	k := testKeys(t)[id]
	if k.Type == "hmac" {
		return signet.NewHMACKey([]byte(k.Secret))
	}
	key, err := signet.ParsePrivateKeyPEM([]byte(k.PrivateKeyPEM))
	require.NoError(t, err)
	return key
}
