package signetecho_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/labstack/echo/v4"

	signet "github.com/signet-go/signet/core"
	signetecho "github.com/signet-go/signet/echo"
)

type client struct{ Name string }

// Protect an echo server; handlers read the verified caller with
// Credentials, and rejections go through the app's HTTPErrorHandler.
func Example() {
	key := signet.NewHMACKey([]byte("shared-secret"))
	keys, _ := signet.NewStaticKeys(signet.Secret{ID: "reports", Key: key, Credentials: client{"reporting job"}})
	verifier, _ := signet.NewSASigning(keys)

	e := echo.New()
	e.Use(signetecho.New(verifier))
	e.GET("/reports", func(c echo.Context) error {
		caller, _ := signetecho.Credentials[client](c)
		return c.String(http.StatusOK, "hello, "+caller.Name)
	})

	signer, _ := signet.NewSASigningSigner(key)
	for _, sign := range []bool{true, false} {
		req := httptest.NewRequest("GET", "/reports", nil)
		if sign {
			_ = signer.Sign(req)
		}
		w := httptest.NewRecorder()
		e.ServeHTTP(w, req)
		fmt.Println(w.Code, w.Body.String())
	}
	// Output:
	// 200 hello, reporting job
	// 401 {"error":"missing_signature","message":"send the signature in the Signature header"}
}
