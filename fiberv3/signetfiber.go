package signetfiber

import (
	"github.com/gofiber/fiber/v3"

	signet "github.com/signet-go/signet/core"
	signetfasthttp "github.com/signet-go/signet/fasthttp"
)

// Config defines the config for the middleware, in the shape of fiber's
// bundled middlewares. Every field is optional.
type Config struct {
	// Next defines a function to skip the middleware: requests for which it
	// returns true reach the next handler unverified (CORS preflights,
	// health checks).
	//
	// Optional. Default: nil
	Next func(c fiber.Ctx) bool

	// SuccessHandler runs for a verified request, once Result and
	// Credentials can read its *signet.Result.
	//
	// Optional. Default: c.Next()
	SuccessHandler fiber.Handler

	// ErrorHandler answers a request that failed verification. Its error
	// goes to the app's fiber.Config.ErrorHandler; returning nil means the
	// request was handled, as in fiber's own middlewares (one may serve it
	// unverified with c.Next()). One that only logs should end with
	// return WriteError(c, err): returning nil without answering leaves
	// fiber's default, 200 with an empty body (unlike signetfasthttp's and
	// signetecho's middleware, which then answer with the default).
	//
	// Optional. Default: WriteError (the status, the WWW-Authenticate
	// challenge and the JSON body {"error": code, "message": message})
	ErrorHandler func(c fiber.Ctx, err *signet.Error) error
}

// ConfigDefault is the default config.
var ConfigDefault = Config{
	SuccessHandler: func(c fiber.Ctx) error { return c.Next() },
	ErrorHandler:   WriteError,
}

// configDefault fills in the defaults of the fields config leaves unset.
func configDefault(config ...Config) Config {
	if len(config) < 1 {
		return ConfigDefault
	}
	cfg := config[0]
	if cfg.SuccessHandler == nil {
		cfg.SuccessHandler = ConfigDefault.SuccessHandler
	}
	if cfg.ErrorHandler == nil {
		cfg.ErrorHandler = ConfigDefault.ErrorHandler
	}
	return cfg
}

// New returns middleware that verifies every request with verifier. A
// verified request goes on to Config.SuccessHandler (by default the next
// handler) with its *signet.Result in c.Locals, read back with Result and
// Credentials; any other is answered by Config.ErrorHandler. Requests that
// fasthttp reads otherwise than net/http (several Host headers, an unusual
// request-target, a Transfer-Encoding header outside HTTP/1.1, a folded
// value with a ':' in a continuation line, trailer fields) are refused
// before verifying: the ErrorHandler gets a 400 malformed_signature for
// them (see signetfasthttp's package doc). For a request
// whose target is an absolute URI, it sets the Host header to that URI's
// host, as a server must read it and as net/http does, so that
// c.Get("Host") is the host verified.
//
// The verifier reads the request through a view over fasthttp's own buffers
// (no *http.Request is built; see signetfasthttp.Verify, which New calls)
// and is handed c.Context(), the context fiber v3 keeps for the request
// (what earlier middlewares set with c.SetContext). It verifies into a
// pooled Result, so that a verifier of package signet allocates nothing:
// see Result for how long it is valid. New panics when verifier is nil or a
// nil pointer (see signet.CheckVerifier), as fiber's middlewares do for a
// missing requirement, so the mistake shows at startup rather than on the
// first request.
func New(verifier signet.Verifier, config ...Config) fiber.Handler {
	if err := signet.CheckVerifier(verifier); err != nil {
		panic("signetfiber: New: " + err.Error())
	}
	cfg := configDefault(config...)
	into := signet.AsIntoVerifier(verifier)
	return func(c fiber.Ctx) error {
		if cfg.Next != nil && cfg.Next(c) {
			return c.Next()
		}
		if err := signetfasthttp.Verify(c.Context(), c.RequestCtx(), into, c.App().Server()); err != nil {
			return cfg.ErrorHandler(c, err)
		}
		return cfg.SuccessHandler(c)
	}
}

// WriteError is the default ErrorHandler: the error's status, its
// WWW-Authenticate challenge where the scheme defines one,
// X-Content-Type-Options: nosniff, and the JSON body {"error": code,
// "message": message} with fiber v3's c.JSON Content-Type,
// application/json; charset=utf-8.
func WriteError(c fiber.Ctx, err *signet.Error) error {
	err.SetHeaders(c.Set)
	return c.Status(err.Status()).JSON(err)
}

// Result returns the verification result New stored for c.
//
// It is valid while fiber serves the request (in the handlers after New, in
// the middlewares before it once c.Next returns, in the app's ErrorHandler):
// New pools it and reuses it for another request once this one is done, as
// fiber reuses c. To keep it longer, copy it (kept := *res): the copy's
// strings, Covered and Details stay valid.
func Result(c fiber.Ctx) (*signet.Result, bool) { return signetfasthttp.Result(c.RequestCtx()) }

// SetResult stores a copy of res for c as New stores a verified request's,
// for tests of handlers that read Result and Credentials without signing
// requests.
func SetResult(c fiber.Ctx, res signet.Result) { signetfasthttp.SetResult(c.RequestCtx(), res) }

// Credentials returns the verified caller's credentials (the matching
// signet.Secret's Credentials) when they are of type T: the dynamic type
// stored there, or an interface it implements (a Client value is not found
// as *Client, nor the reverse).
func Credentials[T any](c fiber.Ctx) (T, bool) { return signetfasthttp.Credentials[T](c.RequestCtx()) }
