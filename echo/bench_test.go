package signetecho_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"

	signet "github.com/signet-go/signet/core"
	signetecho "github.com/signet-go/signet/echo"
)

// BenchmarkMiddleware measures a request through an echo router with and
// without the middleware, in the same run:
//
//	BenchmarkMiddleware/echo/<case>/plain   the router and handler alone
//	BenchmarkMiddleware/echo/<case>/signet  behind signetecho.New
//	BenchmarkMiddleware/echo/<case>/core    core's Verify of the same request alone
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
	ok := func(c echo.Context) error { return c.NoContent(http.StatusNoContent) }
	plain := echo.New()
	plain.GET("/v1/orders/:id", ok)
	protected := echo.New()
	protected.Use(signetecho.New(verifier))
	protected.GET("/v1/orders/:id", ok)

	for _, c := range []struct {
		name string
		e    *echo.Echo
	}{{"plain", plain}, {"signet", protected}} {
		b.Run("echo/sasigning-path-method/"+c.name, func(b *testing.B) {
			b.ReportAllocs()
			w := httptest.NewRecorder()
			for b.Loop() {
				c.e.ServeHTTP(w, req)
			}
			if w.Code != http.StatusNoContent {
				b.Fatalf("status %d", w.Code)
			}
		})
	}
	b.Run("echo/sasigning-path-method/core", func(b *testing.B) {
		b.ReportAllocs()
		ctx := req.Context()
		for b.Loop() {
			if _, err := verifier.Verify(ctx, signet.FromHTTP(req)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
