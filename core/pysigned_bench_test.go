package signet_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha512"
	"encoding/hex"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	signet "github.com/signet-go/signet/core"
)

// benchmarkPysigned measures pysigned verification beside the raw crypto
// over the same message: for HMAC-SHA512 the floors of BenchmarkVerify, for
// Ed25519 floor-fresh is ed25519.Verify alone (nothing to reuse).
func benchmarkPysigned(b *testing.B) {
	const now = 1_700_000_000
	secret := bytes.Repeat([]byte{0x5a}, 64)
	hmacKey := signet.NewHMACKey(secret)
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
	edKey, err := signet.NewPrivateKey(priv)
	if err != nil {
		b.Fatal(err)
	}
	many := "/v1/files/report.pdf?" +
		"user=42&format=pdf&lang=en&tz=UTC&page=3&size=50&sort=name&order=asc&q=hello+world&from=2024-01-01&to=2024-12-31&v=%C3%A9"
	for _, c := range []struct {
		name, path string
		key        *signet.Key
	}{
		{"hmac-sha512", "/download/report.pdf?user=42&format=pdf", hmacKey},
		{"hmac-sha512-12-params", many, hmacKey},
		{"ed25519", "/download/report.pdf?user=42&format=pdf", edKey},
	} {
		b.Run(c.name, func(b *testing.B) {
			clock := fixedClock(time.Unix(now, 0))
			signer, err := signet.NewPysignedSigner(c.key, clock)
			if err != nil {
				b.Fatal(err)
			}
			signed, err := signer.SignURL("https://example.com" + c.path)
			if err != nil {
				b.Fatal(err)
			}
			keys, err := signet.NewStaticKeys(signet.Secret{ID: "k", Key: c.key})
			if err != nil {
				b.Fatal(err)
			}
			v, err := signet.NewPysigned(keys, benchClock(time.Unix(now, 0)), signet.PysignedOrigin("https://example.com"))
			if err != nil {
				b.Fatal(err)
			}
			target := strings.TrimPrefix(signed, "https://example.com")
			r := httptest.NewRequest("GET", target, nil)
			ctx := context.Background()
			if _, err := v.Verify(ctx, signet.FromHTTP(r)); err != nil {
				b.Fatal(err)
			}
			message, sig := pysignedBenchMessage(b, signed)

			b.Run("signet", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := v.Verify(ctx, signet.FromHTTP(r)); err != nil {
						b.Fatal(err)
					}
				}
			})
			if c.key.IsHMAC() {
				benchmarkHMACFloor(b, sha512.New, secret, message, sig)
				return
			}
			pub := priv.Public().(ed25519.PublicKey)
			b.Run("floor-fresh", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if !ed25519.Verify(pub, message, sig) {
						b.Fatal("floor does not verify")
					}
				}
			})
		})
	}
}

// pysignedBenchMessage is the message and signature of a URL signed with a
// plain query: the benchmark's floors work on the very same bytes.
func pysignedBenchMessage(b *testing.B, signed string) (message, sig []byte) {
	b.Helper()
	rest := strings.TrimPrefix(signed, "https://example.com")
	path, query, _ := strings.Cut(rest, "?")
	params, tail, _ := strings.Cut(query, "&sig=")
	sigHex, exp, _ := strings.Cut(tail, "&exp=")
	pairs := strings.Split(params, "&")
	sortStrings(pairs)
	message = []byte(exp + "\nhttps\nexample.com\n" + path + "\n\n" + strings.Join(pairs, "&"))
	sig, err := hex.DecodeString(sigHex)
	if err != nil {
		b.Fatal(err)
	}
	return message, sig
}

// sortStrings sorts encoded name=value pairs; for the benchmark's plain
// queries (distinct names, no escapes before the =) that is pysigned's order.
func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
