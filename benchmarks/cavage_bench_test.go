package benchmarks

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-fed/httpsig"

	signet "github.com/signet-go/signet/core"
)

var (
	hmacSecret  = []byte("benchmark-secret-0123456789abcdef")
	signedAt    = time.Unix(1_704_067_200, 0)
	rsaKey, _   = rsa.GenerateKey(rand.Reader, 2048)
	_, edKey, _ = ed25519.GenerateKey(rand.Reader)
)

// cavageCase is one request signed once and verified many times.
type cavageCase struct {
	name    string
	keyID   string
	signing *signet.Key
	verify  *signet.Key
	body    string
	peerKey crypto.PublicKey // what go-fed/httpsig verifies with
	peerAlg httpsig.Algorithm
}

func cavageCases(b *testing.B) []cavageCase {
	priv := func(k crypto.Signer) *signet.Key {
		key, err := signet.NewPrivateKey(k)
		if err != nil {
			b.Fatal(err)
		}
		return key
	}
	pub := func(k crypto.PublicKey) *signet.Key {
		key, err := signet.NewPublicKey(k)
		if err != nil {
			b.Fatal(err)
		}
		return key
	}
	h := signet.NewHMACKey(hmacSecret)
	return []cavageCase{
		{"hmac-sha256", "hmac", h, h, "", hmacSecret, httpsig.HMAC_SHA256},
		{"hmac-sha256-digest-1KiB", "hmac", h, h, strings.Repeat("x", 1024), hmacSecret, httpsig.HMAC_SHA256},
		{"rsa-sha256", "rsa", priv(rsaKey), pub(&rsaKey.PublicKey), "", &rsaKey.PublicKey, httpsig.RSA_SHA256},
		{"ed25519", "ed", priv(edKey), pub(edKey.Public()), "", edKey.Public(), httpsig.ED25519},
	}
}

// signedRequest returns the server's view of a request signed by c over
// (request-target) host date, and digest with a body.
func (c cavageCase) signedRequest(b *testing.B) *http.Request {
	signer, err := signet.NewCavageSigner(c.keyID, c.signing,
		signet.WithClock(func() time.Time { return signedAt }))
	if err != nil {
		b.Fatal(err)
	}
	out, _ := http.NewRequest("POST", "http://api.example/v1/orders/42?expand=items", strings.NewReader(c.body))
	if c.body == "" {
		out.Body = nil
	}
	if err := signer.Sign(out); err != nil {
		b.Fatal(err)
	}
	in, _ := http.NewRequest("POST", out.URL.String(), nil)
	in.RequestURI, in.Host, in.Header, in.ContentLength = out.URL.RequestURI(), out.URL.Host, out.Header, int64(len(c.body))
	return in
}

// signingString is what the signature covers, rebuilt for the floors.
func (c cavageCase) signingString(r *http.Request) []byte {
	s := "(request-target): post " + r.RequestURI + "\nhost: " + r.Host + "\ndate: " + r.Header.Get("Date")
	if c.body != "" {
		s += "\ndigest: " + r.Header.Get("Digest")
	}
	return []byte(s)
}

// rewindableBody is a body the benchmark refills without allocating.
type rewindableBody struct{ bytes.Reader }

func (*rewindableBody) Close() error { return nil }

// BenchmarkVerify compares, on the identical request and in the same run:
//
//	BenchmarkVerify/cavage/<case>/signet          signet's Cavage verifier
//	BenchmarkVerify/cavage/<case>/go-fed-httpsig  go-fed/httpsig v1.1.0 (plus the Digest check it lacks)
//	BenchmarkVerify/cavage/<case>/floor-fresh     the raw crypto over the same signing string
//	BenchmarkVerify/cavage/<case>/floor-reused    HMAC only: one keyed state, Reset per op
func BenchmarkVerify(b *testing.B) {
	ctx := context.Background()
	for _, c := range cavageCases(b) {
		b.Run("cavage/"+c.name, func(b *testing.B) {
			r := c.signedRequest(b)
			body := []byte(c.body)
			fresh := &rewindableBody{}
			refill := func() {
				if c.body != "" {
					fresh.Reset(body)
					r.Body = fresh
				}
			}
			keys, err := signet.NewStaticKeys(signet.Secret{ID: c.keyID, Key: c.verify})
			if err != nil {
				b.Fatal(err)
			}
			// The verifier's clock reads the system clock, as a server
			// does, and then the signing time.
			verifier, err := signet.NewCavage(keys, signet.WithClock(func() time.Time {
				//lint:ignore SA4017 the read a server pays for, its result unused
				time.Now()
				return signedAt
			}))
			if err != nil {
				b.Fatal(err)
			}
			b.Run("signet", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					refill()
					if _, err := verifier.Verify(ctx, signet.FromHTTP(r)); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("go-fed-httpsig", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					refill()
					v, err := httpsig.NewVerifier(r)
					if err != nil {
						b.Fatal(err)
					}
					if err := v.Verify(c.peerKey, c.peerAlg); err != nil {
						b.Fatal(err)
					}
					if c.body != "" && !digestMatches(r) {
						b.Fatal("digest")
					}
				}
			})
			msg := c.signingString(r)
			sig := signatureOf(b, r)
			switch c.peerAlg {
			case httpsig.HMAC_SHA256:
				m := hmac.New(sha256.New, hmacSecret)
				m.Write(msg)
				if !hmac.Equal(m.Sum(nil), sig) {
					b.Fatal("the floor's message is not the one signed")
				}
				benchmarkHMACFloor(b, sha256.New, hmacSecret, msg, c.body)
			case httpsig.RSA_SHA256:
				b.Run("floor-fresh", func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						d := sha256.Sum256(msg)
						if rsa.VerifyPKCS1v15(&rsaKey.PublicKey, crypto.SHA256, d[:], sig) != nil {
							b.Fatal("rsa")
						}
					}
				})
			case httpsig.ED25519:
				b.Run("floor-fresh", func(b *testing.B) {
					b.ReportAllocs()
					pub := edKey.Public().(ed25519.PublicKey)
					for b.Loop() {
						if !ed25519.Verify(pub, msg, sig) {
							b.Fatal("ed25519")
						}
					}
				})
			}
		})
	}
}

// benchmarkHMACFloor runs the HMAC floors; with a body, hashing it for the
// Digest is part of the floor.
func benchmarkHMACFloor(b *testing.B, h func() hash.Hash, key, msg []byte, body string) {
	var sum [64]byte
	bodyBytes := []byte(body)
	digest := func() {
		if body != "" {
			d := sha256.Sum256(bodyBytes)
			sum[0] ^= d[0]
		}
	}
	b.Run("floor-fresh", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			digest()
			m := hmac.New(h, key)
			m.Write(msg)
			m.Sum(sum[:0])
		}
	})
	b.Run("floor-reused", func(b *testing.B) {
		b.ReportAllocs()
		m := hmac.New(h, key)
		for b.Loop() {
			digest()
			m.Reset()
			m.Write(msg)
			m.Sum(sum[:0])
		}
	})
}

// signatureOf extracts the decoded signature parameter.
func signatureOf(b *testing.B, r *http.Request) []byte {
	auth := r.Header.Get("Authorization")
	i := strings.Index(auth, `signature="`)
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSuffix(auth[i+len(`signature="`):], `"`))
	if err != nil {
		b.Fatal(err)
	}
	return sig
}

// digestMatches is the Digest check go-fed/httpsig leaves to its users.
func digestMatches(r *http.Request) bool {
	body := make([]byte, r.ContentLength) // as signet sizes its buffer
	if _, err := io.ReadFull(r.Body, body); err != nil {
		return false
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	sum := sha256.Sum256(body)
	want, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(r.Header.Get("Digest"), "SHA-256="))
	return err == nil && hmac.Equal(want, sum[:])
}
