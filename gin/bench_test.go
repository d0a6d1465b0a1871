package signetgin_test

import (
	"net/http"
	"testing"

	"github.com/gin-gonic/gin"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
	signetgin "github.com/signet-go/signet/gin"
)

// BenchmarkMiddleware measures a request through a gin router with and
// without the middleware, and core's Verify alone, in the same run
// (BenchmarkMiddleware/gin/<case>/{plain,signet,core}).
func BenchmarkMiddleware(b *testing.B) {
	signettest.BenchMiddleware(b, "gin", func(v signet.Verifier) http.Handler {
		router := gin.New()
		if v != nil {
			router.Use(signetgin.New(v))
		}
		router.GET("/v1/orders/:id", func(c *gin.Context) { c.Status(http.StatusNoContent) })
		return router
	})
}
