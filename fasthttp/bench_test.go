package signetfasthttp_test

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/valyala/fasthttp"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
	signetfasthttp "github.com/signet-go/signet/fasthttp"
)

// BenchmarkMiddleware measures a request through a fasthttp handler (on a
// reused *fasthttp.RequestCtx, no network) with and without the
// middleware, and core's verification of the same request, in the same
// run:
//
//	BenchmarkMiddleware/fasthttp/<case>/plain   the bare handler
//	BenchmarkMiddleware/fasthttp/<case>/signet   behind signetfasthttp.New
//	BenchmarkMiddleware/fasthttp/<case>/adapter  behind it around the case's
//	                                             Ready verifier: the adapter's
//	                                             own cost, no verification
//	BenchmarkMiddleware/fasthttp/<case>/core     core's Verify of the request as
//	                                             an *http.Request, in a loop
//
// (signet − plain) / core is the cost of verifying in fasthttp relative to
// core's own.
func BenchmarkMiddleware(b *testing.B) {
	ok := func(rc *fasthttp.RequestCtx) { rc.SetStatusCode(http.StatusNoContent) }
	for _, c := range signettest.BenchCases(b) {
		var raw bytes.Buffer
		if err := c.Request.Write(&raw); err != nil {
			b.Fatal(err)
		}
		for _, h := range []struct {
			name    string
			handler fasthttp.RequestHandler
		}{
			{"plain", ok},
			{"signet", signetfasthttp.New(c.Verifier)(ok)},
			{"adapter", signetfasthttp.New(c.Ready)(ok)},
		} {
			var rc fasthttp.RequestCtx
			if err := rc.Request.Read(bufio.NewReader(bytes.NewReader(raw.Bytes()))); err != nil {
				b.Fatal(err)
			}
			b.Run("fasthttp/"+c.Name+"/"+h.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					h.handler(&rc)
					if code := rc.Response.StatusCode(); code != http.StatusNoContent {
						b.Fatalf("status %d: %s", code, rc.Response.Body())
					}
					rc.Response.Reset() // what fasthttp's server does between requests
					rc.ResetUserValues()
				}
			})
		}
		b.Run("fasthttp/"+c.Name+"/core", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Verifier.Verify(context.Background(), signet.FromHTTP(c.Request)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
