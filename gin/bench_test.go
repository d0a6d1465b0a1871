package signetgin_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	signet "github.com/signet-go/signet/core"
	signetgin "github.com/signet-go/signet/gin"
)

// BenchmarkMiddleware measures a request through a gin router with and
// without the middleware, in the same run:
//
//	BenchmarkMiddleware/gin/<case>/plain   the router and handler alone
//	BenchmarkMiddleware/gin/<case>/signet  behind signetgin.New
//	BenchmarkMiddleware/gin/<case>/core    core's Verify of the same request alone
func BenchmarkMiddleware(b *testing.B) {
	key := signet.NewHMACKey([]byte("benchmark-secret"))
	keys, _ := signet.NewStaticKeys(signet.Secret{ID: "app-1", Key: key})
	verifier, err := signet.NewSASigning(keys)
	if err != nil {
		b.Fatal(err)
	}
	signer, _ := signet.NewSASigningSigner(key)
	req := httptest.NewRequest("GET", "/v1/orders/42", nil)
	if err := signer.Sign(req); err != nil {
		b.Fatal(err)
	}
	ok := func(c *gin.Context) { c.Status(http.StatusNoContent) }
	plain := gin.New()
	plain.GET("/v1/orders/:id", ok)
	protected := gin.New()
	protected.Use(signetgin.New(verifier))
	protected.GET("/v1/orders/:id", ok)

	for _, c := range []struct {
		name   string
		router *gin.Engine
	}{{"plain", plain}, {"signet", protected}} {
		b.Run("gin/sasigning-path-method/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			w := httptest.NewRecorder()
			for b.Loop() {
				c.router.ServeHTTP(w, req)
			}
			if w.Code != http.StatusNoContent {
				b.Fatalf("status %d", w.Code)
			}
		})
	}
	b.Run("gin/sasigning-path-method/core", func(b *testing.B) {
		b.ReportAllocs()
		ctx := req.Context()
		for b.Loop() {
			if _, err := verifier.Verify(ctx, signet.FromHTTP(req)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
