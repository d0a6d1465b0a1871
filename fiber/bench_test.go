package signetfiber_test

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	signet "github.com/signet-go/signet/core"
	signetfiber "github.com/signet-go/signet/fiber"
)

// benchCase is one signed request and the verifier that accepts it.
type benchCase struct {
	name     string
	verifier signet.Verifier
	request  *http.Request // as a net/http server would see it
}

func benchCases(b *testing.B) []benchCase {
	signedAt := time.Unix(1_704_067_200, 0)
	at := signet.WithClock(func() time.Time { return signedAt })
	key := signet.NewHMACKey([]byte("benchmark-secret-0123456789abcdef"))

	// sasigning-path-method: BenchmarkMiddleware/nethttp's request.
	saKeys, _ := signet.NewStaticKeys(signet.Secret{ID: "app-1", Key: key})
	sa, err := signet.NewSASigning(saKeys)
	if err != nil {
		b.Fatal(err)
	}
	saSigner, _ := signet.NewSASigningSigner(key)
	saOut, _ := http.NewRequest("GET", "http://api.example/v1/orders/42", nil)

	// cavage-hmac-sha256: benchmarks' BenchmarkVerify/cavage/hmac-sha256
	// request: (request-target) host date, no body.
	cvKeys, _ := signet.NewStaticKeys(signet.Secret{ID: "hmac", Key: key})
	cv, err := signet.NewCavage(cvKeys, at)
	if err != nil {
		b.Fatal(err)
	}
	cvSigner, _ := signet.NewCavageSigner("hmac", key, at)
	cvOut, _ := http.NewRequest("POST", "http://api.example/v1/orders/42?expand=items", nil)

	var cases []benchCase
	for _, c := range []struct {
		name     string
		verifier signet.Verifier
		signer   signet.Signer
		out      *http.Request
	}{
		{"sasigning-path-method", sa, saSigner, saOut},
		{"cavage-hmac-sha256", cv, cvSigner, cvOut},
	} {
		if err := c.signer.Sign(c.out); err != nil {
			b.Fatal(err)
		}
		in := httptest.NewRequest(c.out.Method, c.out.URL.String(), nil)
		in.RequestURI, in.Header = c.out.URL.RequestURI(), c.out.Header
		cases = append(cases, benchCase{c.name, c.verifier, in})
	}
	return cases
}

// BenchmarkMiddleware measures a request through a fiber app's handler
// (app.Handler() on a reused *fasthttp.RequestCtx, no network) with and
// without the middleware, and core's verification of the same request, in
// the same run:
//
//	BenchmarkMiddleware/fiber/<case>/plain          the bare handler
//	BenchmarkMiddleware/fiber/<case>/signet         behind signetfiber.New
//	BenchmarkMiddleware/fiber/<case>/core-in-fiber  behind a handler calling core's
//	                                                Verify over the request as an
//	                                                *http.Request (no adapter): the
//	                                                floor for signet
//	BenchmarkMiddleware/fiber/<case>/core           that Verify alone, in a loop
//
// (signet − plain) / core is the cost of verifying in fiber relative to
// core's own; (core-in-fiber − plain) / core is what running one more fiber
// handler and verifying inside fiber's request path costs, adapter or not.
func BenchmarkMiddleware(b *testing.B) {
	ok := func(c *fiber.Ctx) error { return c.SendStatus(http.StatusNoContent) }
	for _, c := range benchCases(b) {
		var raw bytes.Buffer
		if err := c.request.Write(&raw); err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		coreInFiber := func(fc *fiber.Ctx) error {
			if _, err := c.verifier.Verify(ctx, signet.FromHTTP(c.request)); err != nil {
				return err
			}
			return fc.Next()
		}
		for _, h := range []struct {
			name     string
			handlers []fiber.Handler
		}{
			{"plain", []fiber.Handler{ok}},
			{"signet", []fiber.Handler{signetfiber.New(c.verifier), ok}},
			{"core-in-fiber", []fiber.Handler{coreInFiber, ok}},
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
			b.Run("fiber/"+c.name+"/"+h.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					handler(&fctx)
					fctx.Response.Reset() // what fasthttp's server does between requests
					fctx.ResetUserValues()
				}
				handler(&fctx)
				if code := fctx.Response.StatusCode(); code != http.StatusNoContent {
					b.Fatalf("status %d: %s", code, fctx.Response.Body())
				}
			})
		}
		b.Run("fiber/"+c.name+"/core", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.verifier.Verify(ctx, signet.FromHTTP(c.request)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
