package signet

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"
)

// algorithm is one signature algorithm: the key kind it needs, its hash, and
// how it verifies and signs a message.
type algorithm struct {
	name string
	kind keyKind
	hash crypto.Hash // zero for Ed25519
	pss  bool        // RSASSA-PSS instead of PKCS #1 v1.5
}

var (
	algHMACSHA1     = &algorithm{name: "hmac-sha1", kind: hmacKey, hash: crypto.SHA1}
	algHMACSHA256   = &algorithm{name: "hmac-sha256", kind: hmacKey, hash: crypto.SHA256}
	algHMACSHA512   = &algorithm{name: "hmac-sha512", kind: hmacKey, hash: crypto.SHA512}
	algRSASHA1      = &algorithm{name: "rsa-sha1", kind: rsaKey, hash: crypto.SHA1}
	algRSASHA256    = &algorithm{name: "rsa-sha256", kind: rsaKey, hash: crypto.SHA256}
	algRSASHA512    = &algorithm{name: "rsa-sha512", kind: rsaKey, hash: crypto.SHA512}
	algRSAPSSSHA512 = &algorithm{name: "rsa-pss-sha512", kind: rsaKey, hash: crypto.SHA512, pss: true}
	algECDSASHA256  = &algorithm{name: "ecdsa-sha256", kind: ecdsaP256Key, hash: crypto.SHA256}
	algEd25519      = &algorithm{name: "ed25519", kind: ed25519Key}
)

// pssOptions are draft-cavage's RSASSA-PSS parameters for hs2019: a 64-byte
// salt with SHA-512.
var pssOptions = &rsa.PSSOptions{SaltLength: 64, Hash: crypto.SHA512}

// verify reports whether sig is a valid signature of msg by k. An HMAC is
// computed with the state kept in c (see keyedMAC); RSA and ECDSA hash msg
// into buf, pooled scratch, as their verifiers make the digest escape.
func (alg *algorithm) verify(k *Key, msg, sig []byte, c *keyedMAC, buf *[sha512.Size]byte) bool {
	if k.kind != alg.kind {
		return false
	}
	switch alg.kind {
	case hmacKey:
		return equalBytes(c.sum(k, alg.hash, msg), sig)
	case ed25519Key:
		return ed25519.Verify(k.public.(ed25519.PublicKey), msg, sig)
	}
	if buf == nil {
		buf = new([sha512.Size]byte)
	}
	digest := sum(alg.hash, msg, buf)
	switch {
	case alg.kind == ecdsaP256Key:
		return ecdsa.VerifyASN1(k.public.(*ecdsa.PublicKey), digest, sig)
	case alg.pss:
		return rsa.VerifyPSS(k.public.(*rsa.PublicKey), alg.hash, digest, sig, pssOptions) == nil
	default:
		return rsa.VerifyPKCS1v15(k.public.(*rsa.PublicKey), alg.hash, digest, sig) == nil
	}
}

// keyedMAC is an HMAC state borrowed from a Key, which a pooled attempt
// keeps between verifications: the next one with the same key and hash
// skips a round-trip through the Key's pool.
type keyedMAC struct {
	m    *mac
	key  *Key
	hash crypto.Hash
}

// sum returns the HMAC of msg with k and h, in the state's buffer.
func (c *keyedMAC) sum(k *Key, h crypto.Hash, msg []byte) []byte {
	if c.m != nil && c.key == k && c.hash == h {
		c.m.Reset()
	} else {
		if c.m != nil {
			c.key.returnMAC(c.hash, c.m)
		}
		c.m, c.key, c.hash = k.borrowMAC(h), k, h
	}
	c.m.Write(msg)
	return c.m.Sum(c.m.sum[:0])
}

// sign signs msg with k, which must be of alg's kind and, unless HMAC, hold a
// private key. ECDSA signatures are ASN.1 DER.
func (alg *algorithm) sign(k *Key, msg []byte) ([]byte, error) {
	if k.kind != alg.kind {
		return nil, errKeyKind(alg, k)
	}
	if alg.kind == hmacKey {
		m, tag := k.sumMAC(alg.hash, msg)
		defer k.returnMAC(alg.hash, m)
		return append([]byte(nil), tag...), nil
	}
	if k.signer == nil {
		return nil, errNoPrivateKey
	}
	if alg.kind == ed25519Key {
		return k.signer.Sign(rand.Reader, msg, crypto.Hash(0))
	}
	var buf [sha512.Size]byte
	var opts crypto.SignerOpts = alg.hash
	if alg.pss {
		opts = pssOptions
	}
	return k.signer.Sign(rand.Reader, sum(alg.hash, msg, &buf), opts)
}

// sum hashes msg into buf without allocating.
func sum(h crypto.Hash, msg []byte, buf *[sha512.Size]byte) []byte {
	switch h {
	case crypto.SHA1:
		s := sha1.Sum(msg)
		return append(buf[:0], s[:]...)
	case crypto.SHA256:
		s := sha256.Sum256(msg)
		return append(buf[:0], s[:]...)
	default:
		s := sha512.Sum512(msg)
		return append(buf[:0], s[:]...)
	}
}

var errNoPrivateKey = errors.New("signet: signing needs a private key")

func errKeyKind(alg *algorithm, k *Key) error {
	return fmt.Errorf("signet: %s needs %s, not %s", alg.name, alg.kind.describe(), k.kind.describe())
}
