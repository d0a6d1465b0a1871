package signethttp_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
	signethttp "github.com/signet-go/signet/nethttp"
)

// BenchmarkMiddleware measures a request through a handler with and without
// the middleware, in the same run:
//
//	BenchmarkMiddleware/nethttp/<case>/plain   the bare handler
//	BenchmarkMiddleware/nethttp/<case>/signet  behind signethttp.New
//	BenchmarkMiddleware/nethttp/<case>/core    core's Verify of the same request alone
func BenchmarkMiddleware(b *testing.B) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	for _, c := range signettest.BenchCases(b) {
		r := c.Request
		for _, h := range []struct {
			name    string
			handler http.Handler
		}{{"plain", ok}, {"signet", signethttp.New(c.Verifier)(ok)}} {
			b.Run("nethttp/"+c.Name+"/"+h.name, func(b *testing.B) {
				b.ReportAllocs()
				w := httptest.NewRecorder()
				for b.Loop() {
					h.handler.ServeHTTP(w, r)
				}
				if w.Code != http.StatusNoContent {
					b.Fatalf("status %d", w.Code)
				}
			})
		}
		b.Run("nethttp/"+c.Name+"/core", func(b *testing.B) {
			b.ReportAllocs()
			ctx := r.Context()
			for b.Loop() {
				if _, err := c.Verifier.Verify(ctx, signet.FromHTTP(r)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
