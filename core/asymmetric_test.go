package signet_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// smallOrderEd25519 are the encodings of the Ed25519 points whose order
// divides 8, with both signs of x, and non-canonical encodings (y + p) of
// the identity and of y = 0.
var smallOrderEd25519 = []string{
	"0100000000000000000000000000000000000000000000000000000000000000", // identity
	"0100000000000000000000000000000000000000000000000000000000000080",
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // order 2 (y = p − 1)
	"0000000000000000000000000000000000000000000000000000000000000000", // order 4 (y = 0)
	"0000000000000000000000000000000000000000000000000000000000000080",
	"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", // order 8
	"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
	"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
	"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
	"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // identity, y = p + 1
	"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = 0 written as p
}

// forgeEd25519 returns a signature of msg that verifies under pub without
// any secret, if pub has small order: R = [s]B for a scalar s of our
// choosing verifies whenever [k]A is the identity, one message in ord(A).
func forgeEd25519(pub ed25519.PublicKey, msg []byte) ([]byte, bool) {
	order, _ := new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)
	for i := 0; i < 256; i++ {
		seed := make([]byte, ed25519.SeedSize)
		seed[0] = byte(i)
		r := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
		h := sha512.Sum512(seed)
		scalar := h[:32]
		scalar[0] &= 248
		scalar[31] = scalar[31]&127 | 64
		be := append([]byte(nil), scalar...)
		reverse(be)
		s := new(big.Int).Mod(new(big.Int).SetBytes(be), order).FillBytes(make([]byte, 32))
		reverse(s)
		if sig := append(append([]byte(nil), r...), s...); ed25519.Verify(pub, msg, sig) {
			return sig, true
		}
	}
	return nil, false
}

func reverse(b []byte) {
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
}

// Public keys anyone can sign for are refused, by NewPublicKey and by the
// JWKS loaders; crypto/ed25519 alone accepts the forgeries.
func TestEd25519SmallOrderKeysRefused(t *testing.T) {
	for _, encoded := range smallOrderEd25519 {
		t.Run(encoded[:8]+"…"+encoded[60:], func(t *testing.T) {
			pub, err := hex.DecodeString(encoded)
			require.NoError(t, err)
			if encoded[:2] != "ed" { // y = p: crypto/ed25519 refuses that encoding itself
				_, forged := forgeEd25519(pub, []byte("date: Mon, 30 Nov 2026 06:00:00 GMT"))
				require.True(t, forged, "the key is not weak: the table is wrong")
			}
			_, err = signet.NewPublicKey(ed25519.PublicKey(pub))
			assert.ErrorContains(t, err, "small order")
			_, err = signet.ParseJWKS([]byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k","x":"` + base64.RawURLEncoding.EncodeToString(pub) + `"}]}`))
			assert.ErrorContains(t, err, "small order")
		})
	}
	for range 200 { // and no real key is
		pub, _, err := ed25519.GenerateKey(rand.Reader)
		require.NoError(t, err)
		_, err = signet.NewPublicKey(pub)
		require.NoError(t, err, "%x", pub)
	}
}

// A key the caller's buffer later changes under stays the key it was.
func TestEd25519KeysCopied(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	buf := append([]byte(nil), pub...)
	verifier, err := signet.NewPublicKey(ed25519.PublicKey(buf))
	require.NoError(t, err)
	privBuf := append([]byte(nil), priv...)
	signer, err := signet.NewPrivateKey(ed25519.PrivateKey(privBuf))
	require.NoError(t, err)
	clear(buf) // a loader wiping its scratch buffers
	clear(privBuf)

	v, err := signet.NewCavage(staticKeys(t, signet.Secret{ID: "k", Key: verifier}))
	require.NoError(t, err)
	s, err := signet.NewCavageSigner("k", signer)
	require.NoError(t, err)
	r, err := http.NewRequest("GET", "http://h/x", nil)
	require.NoError(t, err)
	require.NoError(t, s.Sign(r))
	_, err = v.Verify(r.Context(), signet.FromHTTP(r))
	assert.NoError(t, err)
}

// Keys that could never verify a genuine signature, or would panic, are
// refused when they are built.
func TestMalformedKeysRefused(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	seed := make([]byte, ed25519.SeedSize)
	mismatched := ed25519.NewKeyFromSeed(seed)
	other, _, _ := ed25519.GenerateKey(rand.Reader)
	mismatched = append(mismatched[:32:32], other...)

	public := map[string]crypto.PublicKey{
		"nil RSA":             (*rsa.PublicKey)(nil),
		"RSA without modulus": &rsa.PublicKey{E: 65537},
		"even RSA modulus":    &rsa.PublicKey{N: new(big.Int).Lsh(rsaKey.N, 1), E: 65537},
		"nil ECDSA":           (*ecdsa.PublicKey)(nil),
		"ECDSA without point": &ecdsa.PublicKey{Curve: elliptic.P256()},
		"ECDSA off the curve": &ecdsa.PublicKey{Curve: elliptic.P256(), X: big.NewInt(1), Y: big.NewInt(1)},
	}
	for _, e := range []int{-3, 0, 1, 2, 65536, 1 << 31, 1 << 40} {
		public[fmt.Sprintf("RSA exponent %d", e)] = &rsa.PublicKey{N: rsaKey.N, E: e}
	}
	for name, pub := range public {
		_, err := signet.NewPublicKey(pub)
		assert.Error(t, err, name)
	}

	private := map[string]crypto.Signer{
		"nil RSA":                  (*rsa.PrivateKey)(nil),
		"nil ECDSA":                (*ecdsa.PrivateKey)(nil),
		"Ed25519 seed":             ed25519.PrivateKey(seed),
		"short Ed25519":            ed25519.PrivateKey(seed[:10]),
		"Ed25519 wrong public key": mismatched,
	}
	for name, priv := range private {
		_, err := signet.NewPrivateKey(priv)
		assert.Error(t, err, name)
	}
	_, err = signet.NewPrivateKey(ed25519.PrivateKey(seed))
	assert.ErrorContains(t, err, "ed25519.NewKeyFromSeed", "the error names the fix")

	for name, pub := range map[string]crypto.PublicKey{"RSA e=65537": &rsaKey.PublicKey, "RSA e=3": &rsa.PublicKey{N: rsaKey.N, E: 3}} {
		_, err := signet.NewPublicKey(pub)
		assert.NoError(t, err, name)
	}
}
