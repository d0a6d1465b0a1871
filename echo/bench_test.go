package signetecho_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
	signetecho "github.com/signet-go/signet/echo"
)

// BenchmarkMiddleware measures a request through an echo router with and
// without the middleware, in the same run:
//
//	BenchmarkMiddleware/echo/<case>/plain   the router and handler alone
//	BenchmarkMiddleware/echo/<case>/signet  behind signetecho.New
//	BenchmarkMiddleware/echo/<case>/core    core's Verify of the same request alone
func BenchmarkMiddleware(b *testing.B) {
	ok := func(c echo.Context) error { return c.NoContent(http.StatusNoContent) }
	for _, c := range signettest.BenchCases(b) {
		r := c.Request
		plain := echo.New()
		plain.GET("/v1/orders/:id", ok)
		protected := echo.New()
		protected.Use(signetecho.New(c.Verifier))
		protected.GET("/v1/orders/:id", ok)
		for _, h := range []struct {
			name string
			e    *echo.Echo
		}{{"plain", plain}, {"signet", protected}} {
			b.Run("echo/"+c.Name+"/"+h.name, func(b *testing.B) {
				b.ReportAllocs()
				w := httptest.NewRecorder()
				for b.Loop() {
					h.e.ServeHTTP(w, r)
				}
				if w.Code != http.StatusNoContent {
					b.Fatalf("status %d", w.Code)
				}
			})
		}
		b.Run("echo/"+c.Name+"/core", func(b *testing.B) {
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
