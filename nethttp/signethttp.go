package signethttp

import (
	"encoding/json"
	"net/http"

	signet "github.com/signet-go/signet/core"
)

// ErrorHandler answers a request that failed verification. One that writes
// nothing through w (it only logs, say) is followed by WriteError, never
// net/http's empty 200; one that writes a body or flushes without a status
// sends the error's status, not net/http's implicit 200.
type ErrorHandler func(w http.ResponseWriter, r *http.Request, err *signet.Error)

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

// answered is h, followed by WriteError when h wrote nothing.
func answered(h ErrorHandler) ErrorHandler {
	return func(w http.ResponseWriter, r *http.Request, err *signet.Error) {
		tw := &writeTracker{ResponseWriter: w, status: err.Status()}
		if h(tw, r, err); !tw.wrote {
			WriteError(w, r, err)
		}
	}
}

// writeTracker is a ResponseWriter that records whether anything was
// written through it, and sends status first when a body or a flush would
// otherwise send net/http's implicit 200.
type writeTracker struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (t *writeTracker) WriteHeader(code int) {
	t.wrote = true
	t.ResponseWriter.WriteHeader(code)
}

func (t *writeTracker) Write(b []byte) (int, error) {
	t.answer()
	return t.ResponseWriter.Write(b)
}

// Flush and FlushError (http.Flusher, http.ResponseController) flush the
// answer, its status first.
func (t *writeTracker) Flush() { _ = t.FlushError() }

func (t *writeTracker) FlushError() error {
	t.answer()
	return http.NewResponseController(t.ResponseWriter).Flush()
}

// answer sends status unless a status was sent.
func (t *writeTracker) answer() {
	if !t.wrote {
		t.WriteHeader(t.status)
	}
}

// Unwrap gives http.ResponseController the writer's other methods.
func (t *writeTracker) Unwrap() http.ResponseWriter { return t.ResponseWriter }

// WithSkipper lets requests for which skip returns true through unverified,
// e.g. CORS preflights or health checks.
func WithSkipper(skip func(*http.Request) bool) Option {
	return func(m *middleware) { m.skip = skip }
}

type middleware struct {
	verifier signet.Verifier
	onError  ErrorHandler
	skip     func(*http.Request) bool
}

// New returns middleware that verifies every request with v. A verified
// request reaches next with its *signet.Result on the context (see Result and
// Credentials); any other is answered by the error handler. New panics when
// v is nil or a nil pointer (see signet.CheckVerifier), so the mistake shows
// at startup rather than on every request.
func New(v signet.Verifier, opts ...Option) func(http.Handler) http.Handler {
	if err := signet.CheckVerifier(v); err != nil {
		panic("signethttp: New: " + err.Error())
	}
	m := &middleware{verifier: v, onError: WriteError}
	for _, o := range opts {
		if o != nil {
			o(m)
		}
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if m.skip != nil && m.skip(r) {
				next.ServeHTTP(w, r)
				return
			}
			res, err := signet.VerifyRequest(r.Context(), m.verifier, signet.FromHTTP(r))
			if err != nil {
				m.onError(w, r, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(signet.NewContext(r.Context(), res)))
		})
	}
}

// WriteError is the default ErrorHandler: the error's status, its
// WWW-Authenticate challenge where the scheme defines one,
// X-Content-Type-Options: nosniff, and the JSON body {"error": code,
// "message": message}.
func WriteError(w http.ResponseWriter, _ *http.Request, err *signet.Error) {
	err.SetHeaders(w.Header().Set)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(err.Status())
	json.NewEncoder(w).Encode(err)
}

// SetResult returns a shallow copy of r whose context carries a copy of res,
// as New hands a verified request to the next handler, for tests of
// handlers that read Result and Credentials without signing requests.
func SetResult(r *http.Request, res signet.Result) *http.Request {
	return r.WithContext(signet.NewContext(r.Context(), &res))
}

// Result returns the verification result New put on r's context.
func Result(r *http.Request) (*signet.Result, bool) { return signet.ResultFrom(r.Context()) }

// Credentials returns the verified caller's credentials when they are of
// type T: the dynamic type stored in signet.Secret.Credentials, or an
// interface it implements (a Client value is not found as *Client, nor the
// reverse).
func Credentials[T any](r *http.Request) (T, bool) { return signet.CredentialsFrom[T](r.Context()) }
