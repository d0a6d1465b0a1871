package signetecho_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/labstack/echo/v5"

	signet "github.com/signet-go/signet/core"
	signetecho "github.com/signet-go/signet/echov5"
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
	e.GET("/reports", func(c *echo.Context) error {
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

// cavageVerifier is the Cavage verifier of the examples: its 401s carry a
// WWW-Authenticate challenge.
func cavageVerifier() signet.Verifier {
	keys, _ := signet.NewStaticKeys(signet.Secret{ID: "client-1", Key: signet.NewHMACKey([]byte("shared-secret")), Algorithm: "hmac-sha256"})
	verifier, _ := signet.NewCavage(keys,
		signet.CavageRequiredHeaders("(request-target)", "host", "date"),
		signet.CavageDigest(signet.DigestRequire))
	return verifier
}

// send sends e an unsigned request and one with a malformed signature, and
// prints each answer's status, challenge, nosniff and body.
func send(e *echo.Echo) {
	for _, signature := range []string{"", `keyId="client-1"`} {
		req := httptest.NewRequest("GET", "/orders", nil)
		if signature != "" {
			req.Header.Set("Signature", signature)
		}
		w := httptest.NewRecorder()
		e.ServeHTTP(w, req)
		fmt.Printf("%d %q %s %s", w.Code, w.Header().Get("WWW-Authenticate"),
			w.Header().Get("X-Content-Type-Options"), w.Body)
	}
}

// The default ErrorHandler returns an error with the status that marshals
// to signet's JSON body, which echo.DefaultHTTPErrorHandler writes as it
// is; an application's HTTPErrorHandler decides the answer: errors.As finds
// the *signet.Error, with its code and status. The challenge (Cavage 401s)
// and nosniff are already on the response.
func ExampleHTTPError() {
	e := echo.New()
	e.HTTPErrorHandler = func(c *echo.Context, err error) {
		var se *signet.Error
		if errors.As(err, &se) {
			c.JSON(se.Status(), map[string]any{"ok": false, "code": se.Code()})
			return
		}
		echo.DefaultHTTPErrorHandler(false)(c, err)
	}
	e.Use(signetecho.New(cavageVerifier()))
	e.GET("/orders", func(c *echo.Context) error { return c.String(http.StatusOK, "orders") })
	send(e)
	// Output:
	// 401 "Signature realm=\"signet\",headers=\"(request-target) host date\"" nosniff {"code":"missing_signature","ok":false}
	// 400 "" nosniff {"code":"malformed_signature","ok":false}
}

// A custom ErrorHandler answers in the application's own envelope. It
// keeps the WWW-Authenticate challenge (Cavage 401s) and nosniff with
// err.SetHeaders, and reads the machine-readable code and the status.
func ExampleConfig_errorHandler() {
	mw, err := signetecho.Config{
		Verifier: cavageVerifier(),
		ErrorHandler: func(c *echo.Context, err *signet.Error) error {
			err.SetHeaders(c.Response().Header().Set) // WWW-Authenticate (Cavage 401s) and nosniff
			return c.JSON(err.Status(), map[string]any{"ok": false, "code": err.Code()})
		},
	}.ToMiddleware()
	if err != nil {
		panic(err)
	}
	e := echo.New()
	e.Use(mw)
	e.GET("/orders", func(c *echo.Context) error { return c.String(http.StatusOK, "orders") })
	send(e)
	// Output:
	// 401 "Signature realm=\"signet\",headers=\"(request-target) host date\"" nosniff {"code":"missing_signature","ok":false}
	// 400 "" nosniff {"code":"malformed_signature","ok":false}
}

// A handler's test can give it a verified caller without signing requests:
// Result and Credentials find it, and so does signet.ResultFrom on the
// request's context, as behind the middleware.
func ExampleSetResult() {
	handler := func(c *echo.Context) error {
		who, ok := signetecho.Credentials[client](c)
		res, onContext := signet.ResultFrom(c.Request().Context())
		if !ok || !onContext {
			return c.NoContent(http.StatusUnauthorized)
		}
		return c.String(http.StatusOK, "hello, "+who.Name+" (key "+res.KeyID+")")
	}

	w := httptest.NewRecorder()
	c := echo.New().NewContext(httptest.NewRequest("GET", "/reports", nil), w)
	signetecho.SetResult(c, signet.Result{KeyID: "k", Credentials: client{"reporting job"}})
	handler(c)
	fmt.Println(w.Code, w.Body)
	// Output:
	// 200 hello, reporting job (key k)
}
