package signet

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
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
// an *ecdsa.PublicKey on P-256, or an ed25519.PublicKey.
func NewPublicKey(pub crypto.PublicKey) (*Key, error) {
	switch p := pub.(type) {
	case *rsa.PublicKey:
		if p.N.BitLen() < minRSABits {
			return nil, fmt.Errorf("signet: RSA key of %d bits is too small", p.N.BitLen())
		}
		return &Key{kind: rsaKey, public: p}, nil
	case *ecdsa.PublicKey:
		if p.Curve != elliptic.P256() {
			return nil, errors.New("signet: only P-256 ECDSA keys are supported")
		}
		return &Key{kind: ecdsaP256Key, public: p}, nil
	case ed25519.PublicKey:
		if len(p) != ed25519.PublicKeySize {
			return nil, errors.New("signet: malformed Ed25519 public key")
		}
		return &Key{kind: ed25519Key, public: p}, nil
	}
	return nil, fmt.Errorf("signet: unsupported public key type %T", pub)
}

// NewPrivateKey prepares a private key for signing (it verifies too): an
// *rsa.PrivateKey, an *ecdsa.PrivateKey on P-256, or an ed25519.PrivateKey.
func NewPrivateKey(priv crypto.Signer) (*Key, error) {
	if priv == nil {
		return nil, errors.New("signet: NewPrivateKey(nil)")
	}
	k, err := NewPublicKey(priv.Public())
	if err != nil {
		return nil, err
	}
	k.signer = priv
	return k, nil
}

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
