package signet

import (
	"bytes"
	"net/http"
	"testing"
	"time"
)

// BenchmarkPysignedParse measures the work before the crypto: splitting the
// request-target, collecting, sorting and canonicalising the query of the
// hmac-sha512-12-params case of BenchmarkVerify, and the same query sorted.
func BenchmarkPysignedParse(b *testing.B) {
	clock := WithClock(func() time.Time { return time.Unix(1_700_000_000, 0) })
	key := NewHMACKey(bytes.Repeat([]byte{0x5a}, 64))
	keys, _ := NewStaticKeys(Secret{ID: "k", Key: key})
	v, err := NewPysigned(keys, clock, PysignedOrigin("https://example.com"))
	if err != nil {
		b.Fatal(err)
	}
	signer, err := NewPysignedSigner(key, clock)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct{ name, target string }{
		{"12-params", "/v1/files/report.pdf?user=42&format=pdf&lang=en&tz=UTC&page=3&size=50&sort=name&order=asc&q=hello+world&from=2024-01-01&to=2024-12-31&v=%C3%A9"},
		{"12-params-sorted", "/v1/files/report.pdf?format=pdf&from=2024-01-01&lang=en&order=asc&page=3&q=hello+world&size=50&sort=name&to=2024-12-31&tz=UTC&user=42&v=%C3%A9"},
	} {
		u, err := signer.SignURL("https://example.com" + c.target)
		if err != nil {
			b.Fatal(err)
		}
		hr, _ := http.NewRequest("GET", u, nil)
		hr.RequestURI = hr.URL.RequestURI()
		r := FromHTTP(hr)
		b.Run(c.name, func(b *testing.B) {
			a := &attempt{req: r}
			for b.Loop() {
				a.reset()
				a.req, a.sc = r, v
				if err := v.parse(a); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
