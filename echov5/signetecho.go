package signetecho

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"

	signet "github.com/signet-go/signet/core"
)

// ResultKey is the echo.Context key under which the middleware stores the
// *signet.Result of a verified request.
const ResultKey = "github.com/signet-go/signet/echov5.Result"

// Config configures the middleware, in echo's style.
type Config struct {
	// Verifier verifies the requests. Required: ToMiddleware refuses a nil
	// one, or a nil pointer (see signet.CheckVerifier).
	Verifier signet.Verifier
	// Skipper lets requests through unverified when it returns true
	// (default: none).
	Skipper middleware.Skipper
	// BeforeFunc runs before verification.
	BeforeFunc middleware.BeforeFunc
	// SuccessHandler runs after a successful verification, before the
	// handler.
	SuccessHandler func(c *echo.Context)
	// ErrorHandler answers a rejected request. Its error is returned to
	// echo; returning nil after answering means the error was handled (see
	// ContinueOnIgnoredError), and returning nil without answering (it only
	// logs, say) is followed by HTTPError: a rejected request never gets
	// echo's empty 200. Default: HTTPError, an error with the status that
	// marshals to the JSON body, the challenge and X-Content-Type-Options:
	// nosniff set on the response already (an HTTPErrorHandler that answers
	// another status should delete the challenge). A custom ErrorHandler
	// keeps both with err.SetHeaders(c.Response().Header().Set).
	ErrorHandler func(c *echo.Context, err *signet.Error) error
	// ContinueOnIgnoredError calls the handler when ErrorHandler returns
	// nil without answering, for routes that also serve unsigned requests:
	// return nil for signet.ErrMissingSignature only, or a forged request
	// is served as an unsigned one. After a body error
	// (signet.ErrBodyTooLarge without a Content-Length, a failed read) the
	// body is spent: the handler cannot read it.
	ContinueOnIgnoredError bool
}

// New returns middleware verifying every request with v. It panics only
// when v is nil or a nil pointer (see signet.CheckVerifier); use
// Config.ToMiddleware to get an error instead.
func New(v signet.Verifier) echo.MiddlewareFunc { return NewWithConfig(Config{Verifier: v}) }

// NewWithConfig returns the middleware of c, in echo's XWithConfig idiom: it
// panics where Config.ToMiddleware returns an error.
func NewWithConfig(c Config) echo.MiddlewareFunc {
	mw, err := c.ToMiddleware()
	if err != nil {
		panic(err)
	}
	return mw
}

// ToMiddleware validates c and returns the middleware.
func (c Config) ToMiddleware() (echo.MiddlewareFunc, error) {
	if err := signet.CheckVerifier(c.Verifier); err != nil {
		return nil, errors.New("signetecho: Config.Verifier: " + err.Error())
	}
	if c.Skipper == nil {
		c.Skipper = middleware.DefaultSkipper
	}
	if c.ErrorHandler == nil {
		c.ErrorHandler = HTTPError
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(ctx *echo.Context) error {
			if c.Skipper(ctx) {
				return next(ctx)
			}
			if c.BeforeFunc != nil {
				c.BeforeFunc(ctx)
			}
			req := ctx.Request()
			res, verr := signet.VerifyRequest(req.Context(), c.Verifier, signet.FromHTTP(req))
			if verr != nil {
				return c.reject(ctx, bodyLimited(verr), next)
			}
			ctx.Set(ResultKey, res)
			ctx.SetRequest(req.WithContext(signet.NewContext(req.Context(), res)))
			if c.SuccessHandler != nil {
				c.SuccessHandler(ctx)
			}
			return next(ctx)
		}
	}, nil
}

// reject hands a rejected request to the ErrorHandler, and answers it with
// HTTPError when the ErrorHandler returned nil without answering (it logs,
// say): never echo's empty 200. Whether it answered is watched on the
// response it writes to: a writer between it and echo's Response (Gzip with
// a MinLength, a user's without Unwrap) may hold the answer back, leaving
// Response.Committed false.
func (c Config) reject(ctx *echo.Context, verr *signet.Error, next echo.HandlerFunc) error {
	w := &answerWatch{ResponseWriter: ctx.Response()}
	ctx.SetResponse(w)
	err := c.ErrorHandler(ctx, verr)
	if ctx.Response() == http.ResponseWriter(w) {
		ctx.SetResponse(w.ResponseWriter)
	}
	switch {
	case err != nil:
		return err
	case w.answered: // the handler never runs after that
		return nil
	case c.ContinueOnIgnoredError:
		return next(ctx)
	}
	return HTTPError(ctx, verr)
}

// bodyLimited is err, or a 413 when echo's BodyLimit middleware cut the body
// off while the verifier read it (its reader fails with a 413 error).
func bodyLimited(err *signet.Error) *signet.Error {
	if echo.StatusCode(err.Cause()) == http.StatusRequestEntityTooLarge {
		return signet.BodyTooLarge(0) // echo's limit: not known here
	}
	return err
}

// HTTPError is the default ErrorHandler: the challenge and
// X-Content-Type-Options: nosniff on the response, and an error that echo's
// DefaultHTTPErrorHandler answers with err's status (echo.HTTPStatusCoder)
// and JSON body (it marshals to err's). An application's HTTPErrorHandler
// gets the *signet.Error back with errors.As (see ExampleHTTPError).
func HTTPError(c *echo.Context, err *signet.Error) error {
	err.SetHeaders(c.Response().Header().Set)
	return httpError{err}
}

// httpError is a *signet.Error as echo v5 answers errors: with the status
// of StatusCode and, being a json.Marshaler, the body it marshals to.
type httpError struct{ err *signet.Error }

func (e httpError) Error() string                { return e.err.Error() }
func (e httpError) Unwrap() error                { return e.err }
func (e httpError) StatusCode() int              { return e.err.Status() }
func (e httpError) MarshalJSON() ([]byte, error) { return json.Marshal(e.err) }

// SetResult stores a copy of res in c and on its request's context, as the
// middleware stores a verified request's, for tests of handlers that read
// Result and Credentials without signing requests.
func SetResult(c *echo.Context, res signet.Result) {
	c.Set(ResultKey, &res)
	if req := c.Request(); req != nil {
		c.SetRequest(req.WithContext(signet.NewContext(req.Context(), &res)))
	}
}

// Result returns the verification result the middleware stored in c.
func Result(c *echo.Context) (*signet.Result, bool) {
	res, ok := c.Get(ResultKey).(*signet.Result)
	return res, ok && res != nil
}

// Credentials returns the verified caller's credentials when they are of
// type T: the dynamic type stored in signet.Secret.Credentials, or an
// interface it implements (a Client value is not found as *Client, nor the
// reverse).
func Credentials[T any](c *echo.Context) (T, bool) {
	res, _ := Result(c)
	return signet.CredentialsOf[T](res)
}

// answerWatch is a response that notes whether anything was written to it.
type answerWatch struct {
	http.ResponseWriter
	answered bool
}

func (w *answerWatch) WriteHeader(code int) {
	w.answered = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *answerWatch) Write(b []byte) (int, error) {
	w.answered = true
	return w.ResponseWriter.Write(b)
}

func (w *answerWatch) Flush() {
	w.answered = true
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap is the response it watches, for echo.UnwrapResponse and
// http.ResponseController.
func (w *answerWatch) Unwrap() http.ResponseWriter { return w.ResponseWriter }
