package signetgin_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
	signetgin "github.com/signet-go/signet/gin"
)

// BenchmarkMiddleware measures a request through a gin router with and
// without the middleware, in the same run:
//
//	BenchmarkMiddleware/gin/<case>/plain   the router and handler alone
//	BenchmarkMiddleware/gin/<case>/signet  behind signetgin.New
//	BenchmarkMiddleware/gin/<case>/core    core's Verify of the same request alone
func BenchmarkMiddleware(b *testing.B) {
	ok := func(c *gin.Context) { c.Status(http.StatusNoContent) }
	for _, c := range signettest.BenchCases(b) {
		r := c.Request
		plain := gin.New()
		plain.GET("/v1/orders/:id", ok)
		protected := gin.New()
		protected.Use(signetgin.New(c.Verifier))
		protected.GET("/v1/orders/:id", ok)
		for _, h := range []struct {
			name   string
			router *gin.Engine
		}{{"plain", plain}, {"signet", protected}} {
			b.Run("gin/"+c.Name+"/"+h.name, func(b *testing.B) {
				b.ReportAllocs()
				w := httptest.NewRecorder()
				for b.Loop() {
					h.router.ServeHTTP(w, r)
				}
				if w.Code != http.StatusNoContent {
					b.Fatalf("status %d", w.Code)
				}
			})
		}
		b.Run("gin/"+c.Name+"/core", func(b *testing.B) {
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
