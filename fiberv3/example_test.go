package signetfiber_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/gofiber/fiber/v3"

	signet "github.com/signet-go/signet/core"
	signetfiber "github.com/signet-go/signet/fiberv3"
)

// Protect a fiber app, then send it a signed request and an unsigned one.
func Example() {
	key := signet.NewHMACKey([]byte("shared-secret"))
	keys, _ := signet.NewStaticKeys(signet.Secret{ID: "reports", Key: key, Credentials: "reporting job"})
	verifier, _ := signet.NewSASigning(keys)

	app := fiber.New()
	app.Use(signetfiber.New(verifier))
	app.Get("/reports", func(c fiber.Ctx) error {
		caller, _ := signetfiber.Credentials[string](c)
		return c.SendString("hello, " + caller)
	})

	signer, _ := signet.NewSASigningSigner(key)
	for _, sign := range []bool{true, false} {
		r, _ := http.NewRequest("GET", "http://api.example/reports", nil)
		if sign {
			signer.Sign(r)
		}
		resp, err := app.Test(r)
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		fmt.Println(resp.StatusCode, string(body))
	}
	// Output:
	// 200 hello, reporting job
	// 401 {"error":"missing_signature","message":"send the signature in the Signature header"}
}

// Skip verification for CORS preflights, answer rejections in your own
// format, and hand the Result to code that takes a context.Context.
func ExampleNew_config() {
	key := signet.NewHMACKey([]byte("secret"))
	keys, _ := signet.NewStaticKeys(signet.Secret{ID: "k", Key: key})
	verifier, _ := signet.NewSASigning(keys)
	signer, _ := signet.NewSASigningSigner(key)

	app := fiber.New()
	app.Use(signetfiber.New(verifier, signetfiber.Config{
		Next: func(c fiber.Ctx) bool { return c.Method() == fiber.MethodOptions },
		SuccessHandler: func(c fiber.Ctx) error {
			res, _ := signetfiber.Result(c)
			c.SetContext(signet.NewContext(c.Context(), res))
			return c.Next()
		},
		ErrorHandler: func(c fiber.Ctx, err *signet.Error) error {
			err.SetHeaders(c.Set) // the challenge, where the scheme has one, and nosniff
			return c.Status(err.Status()).SendString("rejected: " + err.Code())
		},
	}))
	app.All("/", func(c fiber.Ctx) error {
		if res, ok := signet.ResultFrom(c.Context()); ok { // in code that takes a context.Context
			return c.SendString("through, signed with key " + res.KeyID)
		}
		return c.SendString("through")
	})

	for i, method := range []string{"OPTIONS", "GET", "GET"} {
		r, _ := http.NewRequest(method, "http://api.example/", nil)
		if i == 2 { // the same GET, signed
			_ = signer.Sign(r)
		}
		resp, _ := app.Test(r)
		body, _ := io.ReadAll(resp.Body)
		fmt.Println(method, resp.StatusCode, string(body))
	}
	// Output:
	// OPTIONS 200 through
	// GET 401 rejected: missing_signature
	// GET 200 through, signed with key k
}

// A handler's test can give it a verified caller without signing requests.
func ExampleSetResult() {
	type client struct{ Name string }
	app := fiber.New()
	app.Get("/whoami", func(c fiber.Ctx) error {
		who, ok := signetfiber.Credentials[client](c)
		if !ok {
			return c.SendStatus(fiber.StatusUnauthorized)
		}
		return c.SendString(who.Name)
	})

	test := fiber.New()
	test.Use(func(c fiber.Ctx) error {
		signetfiber.SetResult(c, signet.Result{KeyID: "k1", Credentials: client{"billing"}})
		return c.Next()
	})
	test.Use("/", app)
	resp, err := test.Test(httptest.NewRequest("GET", "/whoami", nil))
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, string(body))
	// Output: 200 billing
}

// A custom ErrorHandler answers in the application's own envelope. It
// keeps the WWW-Authenticate challenge (Cavage 401s) and nosniff with
// err.SetHeaders, and reads the machine-readable code and the status.
func ExampleConfig_errorHandler() {
	keys, _ := signet.NewStaticKeys(signet.Secret{ID: "client-1", Key: signet.NewHMACKey([]byte("shared-secret")), Algorithm: "hmac-sha256"})
	verifier, _ := signet.NewCavage(keys,
		signet.CavageRequiredHeaders("(request-target)", "host", "date"),
		signet.CavageDigest(signet.DigestRequire))

	app := fiber.New()
	app.Use(signetfiber.New(verifier, signetfiber.Config{
		ErrorHandler: func(c fiber.Ctx, err *signet.Error) error {
			err.SetHeaders(c.Set) // WWW-Authenticate (Cavage 401s) and nosniff
			return c.Status(err.Status()).JSON(fiber.Map{"ok": false, "code": err.Code()})
		},
	}))
	app.Get("/orders", func(c fiber.Ctx) error { return c.SendString("orders") })

	for _, signature := range []string{"", `keyId="client-1"`} {
		r := httptest.NewRequest("GET", "/orders", nil)
		if signature != "" {
			r.Header.Set("Signature", signature)
		}
		resp, err := app.Test(r)
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		fmt.Printf("%d %q %s %s\n", resp.StatusCode, resp.Header.Get("WWW-Authenticate"),
			resp.Header.Get("X-Content-Type-Options"), body)
	}
	// Output:
	// 401 "Signature realm=\"signet\",headers=\"(request-target) host date\"" nosniff {"code":"missing_signature","ok":false}
	// 400 "" nosniff {"code":"malformed_signature","ok":false}
}
