package signethttp_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	signet "github.com/signet-go/signet/core"
	signethttp "github.com/signet-go/signet/nethttp"
)

// BenchmarkMiddleware measures a request through a handler with and without
// the middleware, in the same run:
//
//	BenchmarkMiddleware/nethttp/<case>/plain   the bare handler
//	BenchmarkMiddleware/nethttp/<case>/signet  behind signethttp.New
//	BenchmarkMiddleware/nethttp/<case>/core    core's Verify of the same request alone
func BenchmarkMiddleware(b *testing.B) {
	keys, _ := signet.NewStaticKeys(signet.Secret{ID: "app-1", Key: key})
	verifier, err := signet.NewSASigning(keys)
	if err != nil {
		b.Fatal(err)
	}
	signer, _ := signet.NewSASigningSigner(key)
	out, _ := http.NewRequest("GET", "http://api.example/v1/orders/42", nil)
	if err := signer.Sign(out); err != nil {
		b.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/v1/orders/42", nil)
	r.Header = out.Header

	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })
	w := httptest.NewRecorder()
	for _, c := range []struct {
		name string
		h    http.Handler
	}{{"plain", ok}, {"signet", signethttp.New(verifier)(ok)}} {
		h := c.h
		b.Run("nethttp/sasigning-path-method/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				h.ServeHTTP(w, r)
			}
			if w.Code != 204 {
				b.Fatalf("status %d", w.Code)
			}
		})
	}
	b.Run("nethttp/sasigning-path-method/core", func(b *testing.B) {
		b.ReportAllocs()
		ctx := r.Context()
		for b.Loop() {
			if _, err := verifier.Verify(ctx, signet.FromHTTP(r)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
