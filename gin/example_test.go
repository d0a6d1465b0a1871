package signetgin_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/gin-gonic/gin"

	signet "github.com/signet-go/signet/core"
	signetgin "github.com/signet-go/signet/gin"
)

type client struct{ Name string }

// Protect a gin router; handlers read the verified caller with Credentials.
func Example() {
	key := signet.NewHMACKey([]byte("shared-secret"))
	keys, _ := signet.NewStaticKeys(signet.Secret{ID: "reports", Key: key, Credentials: client{"reporting job"}})
	verifier, _ := signet.NewSASigning(keys)

	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(signetgin.New(verifier))
	r.GET("/reports", func(c *gin.Context) {
		caller, _ := signetgin.Credentials[client](c)
		c.String(http.StatusOK, "hello, %s", caller.Name)
	})

	signer, _ := signet.NewSASigningSigner(key)
	for _, sign := range []bool{true, false} {
		req := httptest.NewRequest("GET", "/reports", nil)
		if sign {
			_ = signer.Sign(req)
		}
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		fmt.Println(w.Code, w.Body.String())
	}
	// Output:
	// 200 hello, reporting job
	// 401 {"error":"missing_signature","message":"send the signature in the Signature header"}
}
