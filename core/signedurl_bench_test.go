package signet_test

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"testing"
	"time"

	signet "github.com/signet-go/signet/core"
)

// benchmarkSignedURL measures signed URL verification beside the raw
// crypto over the same message (BenchmarkVerify/signedurl/<case>/…):
//
//	signet        the whole verification, from the request-target
//	floor-fresh   HMAC: hmac.New + Write + Sum; Ed25519: ed25519.Verify
//	floor-reused  HMAC only: one keyed state, Reset + Write + Sum
func benchmarkSignedURL(b *testing.B) {
	secret := []byte(testSecret)
	edPriv := ed25519.NewKeyFromSeed([]byte("signet signed-url benchmark seed"))
	hmacKey := signet.NewHMACKey(secret)
	edKey, err := signet.NewPrivateKey(edPriv)
	if err != nil {
		b.Fatal(err)
	}
	edPub, err := signet.NewPublicKey(edPriv.Public())
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name         string
		signing, key *signet.Key
		url          string
		opts         []signet.SignedURLOption
	}{
		{"hmac-3-params", hmacKey, hmacKey, "https://files.example.com/v1/files/report.pdf?download=1&lang=en&user=42", nil},
		{"hmac-12-params", hmacKey, hmacKey, "https://files.example.com/v1/search?z=9&q=a+b&tag=x&page=2&tag=y&sort=-date&lang=en&empty=&flag&from=2024-01-01&to=2024-12-31&a%2Fb=%2F", nil},
		// The same parameters in name order, as url.Values.Encode writes them.
		{"hmac-12-params-sorted", hmacKey, hmacKey, "https://files.example.com/v1/search?a%2Fb=%2F&empty=&flag&from=2024-01-01&lang=en&page=2&q=a+b&sort=-date&tag=x&tag=y&to=2024-12-31&z=9", nil},
		{"hmac-origin-ignored", hmacKey, hmacKey, "https://files.example.com/v1/files/report.pdf?download=1&utm_source=mail&lang=en",
			[]signet.SignedURLOption{signet.SignedURLBindOrigin(), signet.SignedURLIgnoreParams("utm_*", "fbclid")}},
		{"ed25519", edKey, edPub, "https://files.example.com/v1/files/report.pdf?download=1&lang=en&user=42", nil},
	} {
		b.Run(c.name, func(b *testing.B) {
			clock := fixedClock(signedAt)
			signer, err := signet.NewSignedURLSigner("k1", c.signing, append(c.opts, clock)...)
			if err != nil {
				b.Fatal(err)
			}
			signed, err := signer.SignURL("GET", c.url, time.Hour)
			if err != nil {
				b.Fatal(err)
			}
			u, _ := url.Parse(signed)
			r := signedURLServerRequest("GET", "https", u.Host, u.RequestURI())
			keys, err := signet.NewStaticKeys(signet.Secret{ID: "k1", Key: c.key})
			if err != nil {
				b.Fatal(err)
			}
			v, err := signet.NewSignedURL(keys, append(c.opts, benchClock(signedAt))...)
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			b.Run("signet", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := v.Verify(ctx, signet.FromHTTP(r)); err != nil {
						b.Fatal(err)
					}
				}
			})

			body, err := signet.SignedURLMessage(v, signet.FromHTTP(r))
			if err != nil {
				b.Fatal(err)
			}
			sig, err := base64.RawURLEncoding.DecodeString(u.Query().Get("sn-sig"))
			if err != nil {
				b.Fatal(err)
			}
			if c.key.IsHMAC() {
				benchmarkHMACFloor(b, sha256.New, secret, []byte("SN1-HMAC-SHA256\n"+body), sig)
				return
			}
			msg := []byte("SN1-ED25519\n" + body)
			pub := edPriv.Public().(ed25519.PublicKey)
			b.Run("floor-fresh", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if !ed25519.Verify(pub, msg, sig) {
						b.Fatal("ed25519")
					}
				}
			})
		})
	}
}
