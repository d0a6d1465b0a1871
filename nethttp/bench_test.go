package signethttp_test

import (
	"net/http"
	"testing"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
	signethttp "github.com/signet-go/signet/nethttp"
)

// BenchmarkMiddleware measures a request through a handler with and without
// the middleware, and core's Verify alone, in the same run
// (BenchmarkMiddleware/nethttp/<case>/{plain,signet,core}).
func BenchmarkMiddleware(b *testing.B) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	signettest.BenchMiddleware(b, "nethttp", func(v signet.Verifier) http.Handler {
		if v == nil {
			return ok
		}
		return signethttp.New(v)(ok)
	})
}
