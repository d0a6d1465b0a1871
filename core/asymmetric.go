package signet

import (
	"bytes"
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"slices"
)

// keyKind is the type of a Key's material; it decides what a key may verify.
type keyKind uint8

const (
	hmacKey keyKind = iota + 1
	rsaKey
	ecdsaP256Key
	ed25519Key
)

func (k keyKind) String() string {
	return [...]string{"none", "hmac", "rsa", "ecdsa-p256", "ed25519"}[k]
}

// describe names the kind in a sentence: "an RSA key".
func (k keyKind) describe() string {
	return [...]string{"no key", "an HMAC secret", "an RSA key", "an ECDSA P-256 key", "an Ed25519 key"}[k]
}

// minRSABits is the smallest RSA modulus accepted. 1024 only because
// draft-cavage's Appendix C test key has 1024 bits; prefer 2048 or more.
const minRSABits = 1024

// NewPublicKey prepares a public key for verification: an *rsa.PublicKey,
// an *ecdsa.PublicKey on P-256, or an ed25519.PublicKey. The key is
// copied. A key that could never verify a genuine signature is refused: an
// RSA key crypto/rsa will not verify with (under 1024 bits, an even
// modulus, an exponent that is not odd and between 3 and 2³¹−1), an ECDSA
// point not on P-256, and an Ed25519 key of small order (the all-zero and
// identity encodings among them), for which anyone can forge signatures.
func NewPublicKey(pub crypto.PublicKey) (*Key, error) {
	switch p := pub.(type) {
	case *rsa.PublicKey:
		switch {
		case p == nil || p.N == nil:
			return nil, errors.New("signet: RSA public key without a modulus")
		case p.N.BitLen() < minRSABits:
			return nil, fmt.Errorf("signet: RSA key of %d bits is too small", p.N.BitLen())
		case p.N.Bit(0) == 0:
			return nil, errors.New("signet: RSA public key with an even modulus")
		case p.E < 3 || p.E&1 == 0 || p.E > 1<<31-1:
			return nil, fmt.Errorf("signet: RSA public exponent %d is not an odd number between 3 and 2³¹−1", p.E)
		}
		return &Key{kind: rsaKey, public: &rsa.PublicKey{N: new(big.Int).Set(p.N), E: p.E}}, nil
	case *ecdsa.PublicKey:
		if p == nil || p.Curve != elliptic.P256() {
			return nil, errors.New("signet: only P-256 ECDSA keys are supported")
		}
		if p.X == nil || p.Y == nil {
			return nil, errors.New("signet: ECDSA public key without a point")
		}
		if _, err := p.ECDH(); err != nil {
			return nil, errors.New("signet: ECDSA public key not on P-256")
		}
		return &Key{kind: ecdsaP256Key, public: &ecdsa.PublicKey{Curve: p.Curve, X: new(big.Int).Set(p.X), Y: new(big.Int).Set(p.Y)}}, nil
	case ed25519.PublicKey:
		if len(p) != ed25519.PublicKeySize {
			return nil, errors.New("signet: malformed Ed25519 public key")
		}
		if ed25519SmallOrder(p) {
			return nil, errors.New("signet: Ed25519 public key of small order, for which anyone can forge signatures (an all-zero key, or a key read from the wrong bytes?)")
		}
		return &Key{kind: ed25519Key, public: slices.Clone(p)}, nil
	}
	return nil, fmt.Errorf("signet: unsupported public key type %T", pub)
}

// NewPrivateKey prepares a private key for signing (it verifies too): an
// *rsa.PrivateKey, an *ecdsa.PrivateKey on P-256, or an ed25519.PrivateKey
// (64 bytes: seed and public key; ed25519.NewKeyFromSeed makes one from a
// seed). Its public key is checked as NewPublicKey checks it.
func NewPrivateKey(priv crypto.Signer) (*Key, error) {
	switch p := priv.(type) {
	case nil:
		return nil, errors.New("signet: NewPrivateKey(nil)")
	case *rsa.PrivateKey:
		if p == nil {
			return nil, errors.New("signet: NewPrivateKey of a nil *rsa.PrivateKey")
		}
	case *ecdsa.PrivateKey:
		if p == nil {
			return nil, errors.New("signet: NewPrivateKey of a nil *ecdsa.PrivateKey")
		}
	case ed25519.PrivateKey:
		if len(p) != ed25519.PrivateKeySize {
			return nil, fmt.Errorf("signet: an Ed25519 private key has %d bytes, not %d (a %d-byte seed? use ed25519.NewKeyFromSeed)", len(p), ed25519.PrivateKeySize, ed25519.SeedSize)
		}
		if !bytes.Equal(ed25519.NewKeyFromSeed(p.Seed()), p) {
			return nil, errors.New("signet: the Ed25519 private key's public half is not its seed's public key")
		}
		priv = slices.Clone(p)
	}
	k, err := NewPublicKey(priv.Public())
	if err != nil {
		return nil, err
	}
	k.signer = priv
	return k, nil
}

// ed25519SmallOrder reports whether an encoded Ed25519 point has an order
// dividing 8. Such a public key verifies signatures made without any
// secret: crypto/ed25519 (RFC 8032) does not refuse it. The point's y maps
// to the Montgomery u = (1+y)/(1−y) of X25519, whose clamped scalars are
// multiples of 8: exactly the small-order points give the all-zero output
// that crypto/ecdh refuses. y = 1, the identity, has no u.
func ed25519SmallOrder(pub ed25519.PublicKey) bool {
	le := slices.Clone(pub)
	le[31] &= 0x7f // x's sign: a point and its negation have one order
	slices.Reverse(le)
	y := new(big.Int).SetBytes(le)
	y.Mod(y, curve25519P)
	den := new(big.Int).Sub(big.NewInt(1), y)
	den.Mod(den, curve25519P)
	if den.Sign() == 0 {
		return true
	}
	u := new(big.Int).Add(big.NewInt(1), y)
	u.Mul(u, den.ModInverse(den, curve25519P))
	u.Mod(u, curve25519P)
	enc := u.FillBytes(make([]byte, 32))
	slices.Reverse(enc)
	remote, err := ecdh.X25519().NewPublicKey(enc)
	if err != nil {
		return true
	}
	_, err = x25519Probe.ECDH(remote)
	return err != nil
}

// curve25519P is the field prime 2²⁵⁵ − 19.
var curve25519P = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))

// x25519Probe is any X25519 private key: ed25519SmallOrder only looks at
// whether the shared secret is zero.
var x25519Probe, _ = ecdh.X25519().NewPrivateKey(bytes.Repeat([]byte{0x5a}, 32))

// ParsePublicKeyPEM parses a PEM "PUBLIC KEY" (SPKI) or "RSA PUBLIC KEY"
// (PKCS #1) block.
func ParsePublicKeyPEM(data []byte) (*Key, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("signet: no PEM block found")
	}
	var pub any
	var err error
	switch block.Type {
	case "PUBLIC KEY":
		pub, err = x509.ParsePKIXPublicKey(block.Bytes)
	case "RSA PUBLIC KEY":
		pub, err = x509.ParsePKCS1PublicKey(block.Bytes)
	default:
		return nil, fmt.Errorf("signet: unexpected PEM block %q: ParsePublicKeyPEM reads PUBLIC KEY and RSA PUBLIC KEY (ParsePrivateKeyPEM reads private keys)", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("signet: %w", err)
	}
	return NewPublicKey(pub)
}

// ParsePrivateKeyPEM parses a PEM "PRIVATE KEY" (PKCS #8), "RSA PRIVATE
// KEY" (PKCS #1) or "EC PRIVATE KEY" (SEC 1) block.
func ParsePrivateKeyPEM(data []byte) (*Key, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("signet: no PEM block found")
	}
	var priv any
	var err error
	switch block.Type {
	case "PRIVATE KEY":
		priv, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		priv, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		priv, err = x509.ParseECPrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("signet: unexpected PEM block %q: ParsePrivateKeyPEM reads PRIVATE KEY, RSA PRIVATE KEY and EC PRIVATE KEY (ParsePublicKeyPEM reads public keys)", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("signet: %w", err)
	}
	signer, ok := priv.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("signet: unsupported private key type %T", priv)
	}
	return NewPrivateKey(signer)
}
