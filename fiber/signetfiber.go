package signetfiber

import (
	"github.com/gofiber/fiber/v2"

	signet "github.com/signet-go/signet/core"
)

// Config defines the config for the middleware, in the shape of fiber's
// bundled middlewares. Every field is optional.
type Config struct {
	// Next defines a function to skip the middleware: requests for which it
	// returns true reach the next handler unverified (CORS preflights,
	// health checks).
	//
	// Optional. Default: nil
	Next func(c *fiber.Ctx) bool

	// SuccessHandler runs for a verified request, once Result and
	// Credentials can read its *signet.Result.
	//
	// Optional. Default: c.Next()
	SuccessHandler fiber.Handler

	// ErrorHandler answers a request that failed verification.
	//
	// Optional. Default: WriteError (the status, the WWW-Authenticate
	// challenge and the JSON body {"error": code, "message": message})
	ErrorHandler func(c *fiber.Ctx, err *signet.Error) error
}

// ConfigDefault is the default config.
var ConfigDefault = Config{
	SuccessHandler: func(c *fiber.Ctx) error { return c.Next() },
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
// Credentials; any other is answered by Config.ErrorHandler.
//
// The verifier reads the request through a view over fasthttp's own buffers
// (no *http.Request is built) and is handed c.UserContext(). New panics when
// verifier is nil, as fiber's middlewares do for a missing requirement, so
// the mistake shows at startup rather than on the first request.
func New(verifier signet.Verifier, config ...Config) fiber.Handler {
	if verifier == nil {
		panic("signetfiber: New needs a signet.Verifier")
	}
	cfg := configDefault(config...)
	return func(c *fiber.Ctx) error {
		if cfg.Next != nil && cfg.Next(c) {
			return c.Next()
		}
		r := acquireRequest(c)
		res, err := verifier.Verify(c.UserContext(), r)
		r.release() // the view's strings alias fasthttp's buffers: not past Verify
		if err != nil {
			return cfg.ErrorHandler(c, signet.AsError(err))
		}
		c.Locals(resultKey{}, res)
		return cfg.SuccessHandler(c)
	}
}

// WriteError is the default ErrorHandler: the error's status, its
// WWW-Authenticate challenge where the scheme defines one, and the JSON body
// {"error": code, "message": message} with Content-Type application/json.
func WriteError(c *fiber.Ctx, err *signet.Error) error {
	if challenge := err.Challenge(); challenge != "" {
		c.Set(fiber.HeaderWWWAuthenticate, challenge)
	}
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Status(err.Status()).JSON(err)
}

// resultKey is the c.Locals key of the *signet.Result; an unexported type, so
// no other package's key can collide with it.
type resultKey struct{}

// Result returns the verification result New stored for c.
//
// The *signet.Result owns its fields and may be kept after the handler
// returns; c itself may not (fiber reuses it).
func Result(c *fiber.Ctx) (*signet.Result, bool) {
	res, ok := c.Locals(resultKey{}).(*signet.Result)
	return res, ok && res != nil
}

// Credentials returns the verified caller's credentials (the matching
// signet.Secret's Credentials) when they are of type T.
func Credentials[T any](c *fiber.Ctx) (T, bool) {
	res, _ := Result(c)
	return signet.CredentialsOf[T](res)
}
