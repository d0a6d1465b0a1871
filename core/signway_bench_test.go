package signet_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strings"
	"testing"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
)

// benchmarkSignway is BenchmarkVerify/signway: a vector's request verified
// whole, beside the raw crypto of the same message: SHA-256 of the
// canonical request, then the HMAC chain of the date-scoped key.
func benchmarkSignway(b *testing.B) {
	vectors, err := signettest.SignwayVectors()
	if err != nil {
		b.Fatal(err)
	}
	byName := map[string]signettest.SignwayVector{}
	for _, v := range vectors {
		byName[v.Name] = v
	}
	for _, c := range []struct{ name, vector string }{
		{"get-proxy", "get-proxy-query-expiry-boundary"},      // proxy URL with a query, no headers, no body
		{"post-headers-body", "post-signed-headers-and-body"}, // 3 signed headers, a 14-byte signed body
	} {
		b.Run(c.name, func(b *testing.B) {
			v := byName[c.vector]
			verifier, err := signet.NewSignway(signwayKeys(b, v.Verify.KnownIDs), benchClock(unixTime(v.Verify.Now.Unix)))
			if err != nil {
				b.Fatal(err)
			}
			r := signwayRequest(b, v)
			r.RequestURI = "/?" + strings.SplitN(v.Request.URL, "?", 2)[1] // origin-form, as a server receives it
			ctx := context.Background()
			var body []byte
			if v.Request.Body != nil {
				body = []byte(*v.Request.Body)
			}
			b.Run("signet", func(b *testing.B) {
				b.ReportAllocs()
				fresh := &rewindableBody{}
				for b.Loop() {
					if body != nil { // an unread body per request, as a server gets
						fresh.Reset(body)
						r.Body = fresh
					}
					if _, err := verifier.Verify(ctx, signet.FromHTTP(r)); err != nil {
						b.Fatal(err)
					}
				}
			})
			benchmarkSignwayFloor(b, v.Sign.Secret, v.Sign.Datetime.XSwDate, []byte(v.CanonicalRequest), v.Signature)
		})
	}
}

// benchmarkSignwayFloor runs floor-fresh (the whole chain with fresh
// hmac.New states: K = HMAC("SW1-HMAC-SHA256"+secret, day), then
// HMAC(K, string to sign)) and floor-reused (the day's key derived once, as
// the verifier keeps it, and its HMAC state keyed once, Reset per
// operation), each hashing the canonical request into the string to sign
// as the verifier does. The canonical request includes the signed
// body, so the floors hash every byte the verifier hashes; that they
// compute the URL's signature is checked first.
func benchmarkSignwayFloor(b *testing.B, secret, date string, canonical []byte, signature string) {
	prefixed := []byte("SW1-HMAC-SHA256" + secret)
	day := []byte(date[:8])
	sts := make([]byte, 0, 128)
	prefix := "SW1-HMAC-SHA256\n" + date + "\n" + date[:8] + "\n"
	stringToSign := func() []byte {
		sum := sha256.Sum256(canonical)
		sts = hex.AppendEncode(append(sts[:0], prefix...), sum[:])
		return sts
	}
	var key, sig [32]byte
	m := hmac.New(sha256.New, prefixed)
	m.Write(day)
	m = hmac.New(sha256.New, m.Sum(nil))
	m.Write(stringToSign())
	if got := hex.EncodeToString(m.Sum(nil)); got != signature {
		b.Fatalf("the floor computes %s, not the URL's signature %s", got, signature)
	}
	b.Run("floor-fresh", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m := hmac.New(sha256.New, prefixed)
			m.Write(day)
			m.Sum(key[:0])
			m = hmac.New(sha256.New, key[:])
			m.Write(stringToSign())
			m.Sum(sig[:0])
		}
	})
	b.Run("floor-reused", func(b *testing.B) {
		b.ReportAllocs()
		derive := hmac.New(sha256.New, prefixed)
		derive.Write(day)
		derive.Sum(key[:0])
		var m hash.Hash = hmac.New(sha256.New, key[:])
		for b.Loop() {
			m.Reset()
			m.Write(stringToSign())
			m.Sum(sig[:0])
		}
	})
}
