package signetgin

import (
	"github.com/gin-gonic/gin"

	signet "github.com/signet-go/signet/core"
)

// ResultKey is the gin.Context key under which New stores the
// *signet.Result of a verified request.
const ResultKey = "github.com/signet-go/signet/gin.Result"

// ErrorHandler answers a request that failed verification. The chain is
// aborted after it returns. One that only records the error in c.Errors
// leaves the answer to a middleware before New (gin's idiom), with the
// error's status set (no such middleware: that status, no body); one that
// only sets a status answers that status; one that neither answers, records
// nor sets a status (it only logs, say) is followed by WriteError, never
// gin's empty 200.
type ErrorHandler func(c *gin.Context, err *signet.Error)

// Option configures New.
type Option func(*middleware)

// WithErrorHandler replaces the default answer to a rejected request.
func WithErrorHandler(h ErrorHandler) Option {
	return func(m *middleware) {
		if h != nil {
			m.onError = h
		}
	}
}

// WithSkipper lets requests for which skip returns true through unverified,
// e.g. CORS preflights or health checks.
func WithSkipper(skip func(*gin.Context) bool) Option {
	return func(m *middleware) { m.skip = skip }
}

type middleware struct {
	verifier signet.Verifier
	onError  ErrorHandler
	skip     func(*gin.Context) bool
}

// New returns gin middleware that verifies every request with v. It panics
// when v is nil or a nil pointer (see signet.CheckVerifier), so the mistake
// shows at startup rather than on every request.
func New(v signet.Verifier, opts ...Option) gin.HandlerFunc {
	if err := signet.CheckVerifier(v); err != nil {
		panic("signetgin: New: " + err.Error())
	}
	m := &middleware{verifier: v, onError: WriteError}
	for _, o := range opts {
		if o != nil {
			o(m)
		}
	}
	return m.handle
}

func (m *middleware) handle(c *gin.Context) {
	if m.skip != nil && m.skip(c) {
		c.Next()
		return
	}
	res, err := signet.VerifyRequest(c.Request.Context(), m.verifier, signet.FromHTTP(c.Request))
	if err != nil {
		errs, status := len(c.Errors), c.Writer.Status()
		m.onError(c, err)
		switch {
		case c.Writer.Written() || c.Writer.Status() != status: // it answered, or set a status
		case len(c.Errors) != errs: // a middleware before New answers; the error's status until it does
			c.Status(err.Status())
		default:
			WriteError(c, err)
		}
		c.Abort()
		return
	}
	if body, ok := signet.BufferedBody(c.Request); ok {
		c.Set(gin.BodyBytesKey, body)
	}
	c.Set(ResultKey, res)
	c.Request = c.Request.WithContext(signet.NewContext(c.Request.Context(), res))
	c.Next()
}

// WriteError is the default ErrorHandler: the error's status, challenge
// and JSON body with X-Content-Type-Options: nosniff, and the error in
// c.Errors (private: for logging and error-reporting middlewares, not for
// the response).
func WriteError(c *gin.Context, err *signet.Error) {
	err.SetHeaders(c.Header)
	_ = c.Error(err).SetType(gin.ErrorTypePrivate)
	c.AbortWithStatusJSON(err.Status(), err)
}

// SetResult stores a copy of res in c and on c.Request's context, as New
// stores a verified request's, for tests of handlers that read Result and
// Credentials without signing requests.
func SetResult(c *gin.Context, res signet.Result) {
	c.Set(ResultKey, &res)
	if c.Request != nil {
		c.Request = c.Request.WithContext(signet.NewContext(c.Request.Context(), &res))
	}
}

// Result returns the verification result New stored in c.
func Result(c *gin.Context) (*signet.Result, bool) {
	v, _ := c.Get(ResultKey)
	res, ok := v.(*signet.Result)
	return res, ok && res != nil
}

// Credentials returns the verified caller's credentials when they are of
// type T: the dynamic type stored in signet.Secret.Credentials, or an
// interface it implements (a Client value is not found as *Client, nor the
// reverse).
func Credentials[T any](c *gin.Context) (T, bool) {
	res, _ := Result(c)
	return signet.CredentialsOf[T](res)
}
