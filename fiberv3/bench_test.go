package signetfiber_test

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/gofiber/fiber/v3"
	"github.com/valyala/fasthttp"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
	signetfiber "github.com/signet-go/signet/fiberv3"
)

// BenchmarkMiddleware measures a request through a fiber v3 app's handler
// (app.Handler() on a reused *fasthttp.RequestCtx, no network) with and
// without the middleware, and core's verification of the same request, in
// the same run:
//
//	BenchmarkMiddleware/fiberv3/<case>/plain          the bare handler
//	BenchmarkMiddleware/fiberv3/<case>/signet         behind signetfiber.New
//	BenchmarkMiddleware/fiberv3/<case>/core-in-fiber  behind a handler calling core's
//	                                                  Verify over the request as an
//	                                                  *http.Request (no adapter): the
//	                                                  floor for signet
//	BenchmarkMiddleware/fiberv3/<case>/adapter        behind signetfiber.New around the
//	                                                case's Ready verifier: the
//	                                                adapter's own cost, no verification
//	BenchmarkMiddleware/fiberv3/<case>/core           that Verify alone, in a loop
//
// (signet − plain) / core is the cost of verifying in fiber relative to
// core's own; (core-in-fiber − plain) / core is what running one more fiber
// handler and verifying inside fiber's request path costs, adapter or not;
// (adapter − plain) / core what the adapter adds to it.
func BenchmarkMiddleware(b *testing.B) {
	ok := func(c fiber.Ctx) error { return c.SendStatus(http.StatusNoContent) }
	for _, c := range signettest.BenchCases(b) {
		var raw bytes.Buffer
		if err := c.Request.Write(&raw); err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		coreInFiber := func(fc fiber.Ctx) error {
			if _, err := c.Verifier.Verify(ctx, signet.FromHTTP(c.Request)); err != nil {
				return err
			}
			return fc.Next()
		}
		for _, h := range []struct {
			name     string
			handlers []fiber.Handler
		}{
			{"plain", []fiber.Handler{ok}},
			{"signet", []fiber.Handler{signetfiber.New(c.Verifier), ok}},
			{"core-in-fiber", []fiber.Handler{coreInFiber, ok}},
			{"adapter", []fiber.Handler{signetfiber.New(c.Ready), ok}},
		} {
			app := fiber.New()
			for _, handler := range h.handlers {
				app.Use(handler)
			}
			handler := app.Handler()
			var fctx fasthttp.RequestCtx
			if err := fctx.Request.Read(bufio.NewReader(bytes.NewReader(raw.Bytes()))); err != nil {
				b.Fatal(err)
			}
			b.Run("fiberv3/"+c.Name+"/"+h.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					handler(&fctx)
					if code := fctx.Response.StatusCode(); code != http.StatusNoContent {
						b.Fatalf("status %d: %s", code, fctx.Response.Body())
					}
					fctx.Response.Reset() // what fasthttp's server does between requests
					fctx.ResetUserValues()
				}
			})
		}
		b.Run("fiberv3/"+c.Name+"/core", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Verifier.Verify(ctx, signet.FromHTTP(c.Request)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
