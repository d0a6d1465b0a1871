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
	// What a signature covers, the same on both sides: a timestamp bounds
	// how long a captured request stays valid, "\n" keeps fields apart.
	covers := []signet.SASigningOption{
		signet.SASigningFields("method", "path", "query", "body", "timestamp"),
		signet.SASigningDelimiter("\n"),
	}
	verifier, _ := signet.NewSASigning(keys, covers...)

	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(signetgin.New(verifier))
	r.GET("/reports", func(c *gin.Context) {
		caller, _ := signetgin.Credentials[client](c)
		c.String(http.StatusOK, "hello, %s", caller.Name)
	})

	signer, _ := signet.NewSASigningSigner(key, covers...)
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

// A custom error handler answers in the application's own envelope. It
// keeps the WWW-Authenticate challenge (Cavage 401s) and nosniff with
// err.SetHeaders, and reads the machine-readable code and the status.
func ExampleWithErrorHandler() {
	keys, _ := signet.NewStaticKeys(signet.Secret{ID: "client-1", Key: signet.NewHMACKey([]byte("shared-secret")), Algorithm: "hmac-sha256"})
	verifier, _ := signet.NewCavage(keys,
		signet.CavageRequiredHeaders("(request-target)", "host", "date"),
		signet.CavageDigest(signet.DigestRequire))

	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(signetgin.New(verifier, signetgin.WithErrorHandler(func(c *gin.Context, err *signet.Error) {
		err.SetHeaders(c.Header) // WWW-Authenticate (Cavage 401s) and nosniff
		c.AbortWithStatusJSON(err.Status(), gin.H{"ok": false, "code": err.Code()})
	})))
	r.GET("/orders", func(c *gin.Context) { c.String(http.StatusOK, "orders") })

	for _, signature := range []string{"", `keyId="client-1"`} {
		req := httptest.NewRequest("GET", "/orders", nil)
		if signature != "" {
			req.Header.Set("Signature", signature)
		}
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		fmt.Printf("%d %q %s %s\n", w.Code, w.Header().Get("WWW-Authenticate"),
			w.Header().Get("X-Content-Type-Options"), w.Body)
	}
	// Output:
	// 401 "Signature realm=\"signet\",headers=\"(request-target) host date\"" nosniff {"code":"missing_signature","ok":false}
	// 400 "" nosniff {"code":"malformed_signature","ok":false}
}

// A handler's test can give it a verified caller without signing requests:
// Result and Credentials find it, and so does signet.ResultFrom on
// c.Request's context, as behind New.
func ExampleSetResult() {
	handler := func(c *gin.Context) {
		who, ok := signetgin.Credentials[client](c)
		res, onContext := signet.ResultFrom(c.Request.Context())
		if !ok || !onContext {
			c.Status(http.StatusUnauthorized)
			return
		}
		c.String(http.StatusOK, "hello, %s (key %s)", who.Name, res.KeyID)
	}

	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest("GET", "/reports", nil)
	signetgin.SetResult(c, signet.Result{KeyID: "k", Credentials: client{"reporting job"}})
	handler(c)
	fmt.Println(w.Code, w.Body)
	// Output:
	// 200 hello, reporting job (key k)
}
