package signetfasthttp

import (
	"github.com/valyala/fasthttp"

	signet "github.com/signet-go/signet/core"
)

// ErrorHandler answers a request that failed verification. One that leaves
// the response as it found it (its status and body unchanged: it only logs,
// say) is followed by WriteError, never an empty 200; one that writes a
// body but leaves the status answers with the error's status, never the
// 200 a fasthttp response starts with.
type ErrorHandler func(rc *fasthttp.RequestCtx, err *signet.Error)

// Option configures New.
type Option func(*middleware)

// WithErrorHandler replaces WriteError, the default answer to a rejected
// request.
func WithErrorHandler(h ErrorHandler) Option {
	return func(m *middleware) {
		if h != nil {
			m.onError = answered(h)
		}
	}
}

// answered is h, followed by WriteError when h left the response as it
// found it, and by the error's status when h left only the status.
func answered(h ErrorHandler) ErrorHandler {
	return func(rc *fasthttp.RequestCtx, err *signet.Error) {
		before := responseState(&rc.Response)
		h(rc, err)
		switch after := responseState(&rc.Response); {
		case after == before:
			WriteError(rc, err)
		case after[0] == before[0]:
			rc.SetStatusCode(err.Status())
		}
	}
}

// responseState is what tells whether an error handler answered: the
// status, and the body's length, or -1 for a body stream (never read here:
// reading it would run the stream's writer).
func responseState(resp *fasthttp.Response) [2]int {
	if resp.IsBodyStream() {
		return [2]int{resp.StatusCode(), -1}
	}
	return [2]int{resp.StatusCode(), len(resp.Body())}
}

// WithSkipper lets requests for which skip returns true through unverified,
// e.g. CORS preflights or health checks.
func WithSkipper(skip func(*fasthttp.RequestCtx) bool) Option {
	return func(m *middleware) { m.skip = skip }
}

// WithServer names the server that serves New's handler; its settings are
// read on every request. If the server sets DisablePreParseMultipartForm,
// multipart/form-data bodies can be verified (without WithServer they get
// 503). If it normalises header names (DisableHeaderNamesNormalizing
// false), the view uses fasthttp's faster header lookup; otherwise, or
// with no server named, it reads the header block as received.
func WithServer(s *fasthttp.Server) Option {
	return func(m *middleware) { m.server = s }
}

type middleware struct {
	verifier signet.IntoVerifier
	onError  ErrorHandler
	skip     func(*fasthttp.RequestCtx) bool
	server   *fasthttp.Server
}

// New returns middleware that verifies every request with v, in the shape
// of fasthttp's own handler wrappers (fasthttp.CompressHandler). A verified
// request reaches next with its *signet.Result on rc (see Result and
// Credentials); any other is answered by the error handler. The verifier is
// handed rc as its context.Context, and reads the request through a view
// over fasthttp's buffers (see the package documentation and Verify). New
// panics when v is nil or a nil pointer (see signet.CheckVerifier), so the
// mistake shows at startup rather than on every request.
func New(v signet.Verifier, opts ...Option) func(next fasthttp.RequestHandler) fasthttp.RequestHandler {
	if err := signet.CheckVerifier(v); err != nil {
		panic("signetfasthttp: New: " + err.Error())
	}
	m := &middleware{verifier: signet.AsIntoVerifier(v), onError: WriteError}
	for _, o := range opts {
		if o != nil {
			o(m)
		}
	}
	return func(next fasthttp.RequestHandler) fasthttp.RequestHandler {
		return func(rc *fasthttp.RequestCtx) {
			if m.skip != nil && m.skip(rc) {
				next(rc)
				return
			}
			if err := Verify(rc, rc, m.verifier, m.server); err != nil {
				m.onError(rc, err)
				return
			}
			next(rc)
		}
	}
}

// WriteError is the default ErrorHandler: the error's status, its
// WWW-Authenticate challenge where the scheme defines one,
// X-Content-Type-Options: nosniff, and the JSON body {"error": code,
// "message": message}.
func WriteError(rc *fasthttp.RequestCtx, err *signet.Error) {
	err.SetHeaders(rc.Response.Header.Set)
	rc.SetContentType("application/json")
	rc.SetStatusCode(err.Status())
	body, _ := err.MarshalJSON() // never fails: two strings
	rc.SetBody(body)
}
