package signet

import (
	"net/http"
	"testing"
	"time"
)

// BenchmarkSignedURLParse measures the work before the crypto: splitting,
// sorting and canonicalising the query of a signed URL with 12 parameters
// (the hmac-12-params case of BenchmarkVerify), unsorted and sorted.
func BenchmarkSignedURLParse(b *testing.B) {
	signed := time.Unix(1700000000, 0)
	clock := WithClock(func() time.Time { return signed })
	key := NewHMACKey([]byte("benchmark secret"))
	keys, _ := NewStaticKeys(Secret{ID: "k1", Key: key})
	v, err := NewSignedURL(keys, clock)
	if err != nil {
		b.Fatal(err)
	}
	signer, err := NewSignedURLSigner("k1", key, clock)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct{ name, url string }{
		{"12-params", "https://files.example.com/v1/search?z=9&q=a+b&tag=x&page=2&tag=y&sort=-date&lang=en&empty=&flag&from=2024-01-01&to=2024-12-31&a%2Fb=%2F"},
		{"12-params-sorted", "https://files.example.com/v1/search?a%2Fb=%2F&empty=&flag&from=2024-01-01&lang=en&page=2&q=a+b&sort=-date&tag=x&tag=y&to=2024-12-31&z=9"},
	} {
		u, err := signer.SignURL("GET", c.url, time.Hour)
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
				a.req = r
				if err := v.parse(a); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
