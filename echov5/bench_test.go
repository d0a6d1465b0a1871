package signetecho_test

import (
	"net/http"
	"testing"

	"github.com/labstack/echo/v5"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
	signetecho "github.com/signet-go/signet/echov5"
)

// BenchmarkMiddleware measures a request through an echo router with and
// without the middleware, and core's Verify alone, in the same run
// (BenchmarkMiddleware/echov5/<case>/{plain,signet,core}).
func BenchmarkMiddleware(b *testing.B) {
	signettest.BenchMiddleware(b, "echov5", func(v signet.Verifier) http.Handler {
		e := echo.New()
		if v != nil {
			e.Use(signetecho.New(v))
		}
		e.GET("/v1/orders/:id", func(c *echo.Context) error { return c.NoContent(http.StatusNoContent) })
		return e
	})
}
