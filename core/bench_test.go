package signet_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"strings"
	"testing"

	signet "github.com/signet-go/signet/core"
)

// BenchmarkVerify measures each scheme's verification beside the raw crypto
// floor over the same message, in the same run:
//
//	BenchmarkVerify/<scheme>/<case>/signet        the whole verification
//	BenchmarkVerify/<scheme>/<case>/floor-fresh   hmac.New + Write + Sum per op
//	BenchmarkVerify/<scheme>/<case>/floor-reused  one keyed state, Reset + Write + Sum
//
// (Signway's floors are its HMAC chain: see benchmarkSignway.)
func BenchmarkVerify(b *testing.B) {
	b.Run("sasigning", func(b *testing.B) {
		for _, c := range []struct {
			name, body, delimiter string
			fields                []string
		}{
			{"path-method", "", "", []string{"path", "method"}},
			{"body-1KiB", strings.Repeat("x", 1024), "\n", []string{"path", "method", "body"}},
		} {
			b.Run(c.name, func(b *testing.B) {
				opts := []signet.SASigningOption{signet.SASigningFields(c.fields...), signet.SASigningDelimiter(c.delimiter)}
				v := newVerifier(b, opts...)
				r := signedRequest(b, "POST", "/v1/orders/42", c.body, opts...)
				values := []string{"/v1/orders/42", "POST"}
				if c.body != "" {
					values = append(values, c.body)
				}
				message := []byte(strings.Join(values, c.delimiter) + c.delimiter + testSecret)
				sig, err := base64.StdEncoding.DecodeString(r.Header.Get("Signature"))
				if err != nil {
					b.Fatal(err)
				}
				ctx := context.Background()
				body := []byte(c.body)

				b.Run("signet", func(b *testing.B) {
					b.ReportAllocs()
					fresh := &rewindableBody{}
					for b.Loop() {
						if c.body != "" { // an unread body per request, as a server gets
							fresh.Reset(body)
							r.Body = fresh
						}
						if _, err := v.Verify(ctx, signet.FromHTTP(r)); err != nil {
							b.Fatal(err)
						}
					}
				})
				benchmarkHMACFloor(b, sha256.New, []byte(testSecret), message, sig)
			})
		}
	})
	b.Run("signway", benchmarkSignway)
	b.Run("pysigned", benchmarkPysigned)
	b.Run("signedurl", benchmarkSignedURL)
}

// rewindableBody is a request body the benchmark can refill without
// allocating, so only the verifier's allocations are counted.
type rewindableBody struct{ bytes.Reader }

func (*rewindableBody) Close() error { return nil }

// benchmarkHMACFloor runs the floor-fresh and floor-reused sub-benchmarks,
// once it has checked that message is the one signed: its HMAC is sig.
func benchmarkHMACFloor(b *testing.B, h func() hash.Hash, key, message, sig []byte) {
	m := hmac.New(h, key)
	m.Write(message)
	if !hmac.Equal(m.Sum(nil), sig) {
		b.Fatal("the floor's message is not the one signed")
	}
	var sum [64]byte
	b.Run("floor-fresh", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m := hmac.New(h, key)
			m.Write(message)
			m.Sum(sum[:0])
		}
	})
	b.Run("floor-reused", func(b *testing.B) {
		b.ReportAllocs()
		m := hmac.New(h, key)
		for b.Loop() {
			m.Reset()
			m.Write(message)
			m.Sum(sum[:0])
		}
	})
}
