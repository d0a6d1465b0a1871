package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	signet "github.com/signet-go/signet/core"
	signethttp "github.com/signet-go/signet/nethttp"
)

// server is what a framework serves the app with. *http.Server is one.
type server interface {
	// Serve accepts connections on ln until Shutdown, then returns nil or
	// http.ErrServerClosed.
	Serve(ln net.Listener) error
	// Shutdown stops accepting and waits for the requests in flight.
	Shutdown(ctx context.Context) error
}

// frameworks maps the -framework names to the function that puts the app
// behind that framework's signet middleware. net/http's entry is here;
// every other framework adds its own from an init function in a file of its
// own.
var frameworks = map[string]func(*app) server{
	"nethttp": newNetHTTPServer,
}

// newNetHTTPServer serves the app with plain net/http and signethttp.
func newNetHTTPServer(a *app) server {
	protected := signethttp.New(a)(http.HandlerFunc(echoHTTP))
	return newHTTPServer(a.handler(protected))
}

// newHTTPServer is the *http.Server of the frameworks on net/http. It hands
// "OPTIONS *" to h like any other request: by default http.Server answers
// it with 200 itself, unsigned, before any handler.
func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, DisableGeneralOptionsHandler: true}
}

// maxEchoedBody bounds the body the echo handlers read, as the servers on
// fasthttp bound every body (MaxRequestBodySize, BodyLimit).
const maxEchoedBody = 32 << 20

// readEchoedBody reads the body of an accepted request for its echo, within
// maxEchoedBody; a body that is larger or cannot be read (a bad chunk, say)
// gets the contract's 413 body_too_large or 400 malformed_signature, as on
// fasthttp.
func readEchoedBody(w http.ResponseWriter, r *http.Request) ([]byte, *signet.Error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxEchoedBody))
	switch {
	case err == nil:
		return body, nil
	case errors.As(err, new(*http.MaxBytesError)):
		return nil, signet.BodyTooLarge(maxEchoedBody)
	default:
		return nil, signet.NewError(signet.ErrMalformed, "the body could not be read")
	}
}

// echoHTTP answers a verified request with its echo.
func echoHTTP(w http.ResponseWriter, r *http.Request) {
	body, e := readEchoedBody(w, r)
	if e != nil {
		signethttp.WriteError(w, r, e)
		return
	}
	res, _ := signethttp.Result(r)
	writeJSON(w, http.StatusOK, newEcho(res, r.Method, r.RequestURI, body))
}

// app is the framework-neutral part of the conformance server: the active
// configuration and the /_conformance/ control endpoints.
type app struct {
	active atomic.Pointer[state] // nil until a config is applied
}

// errNotConfigured is what app.Verify answers before any config; app.handler
// answers 503 itself before a request gets that far.
var errNotConfigured = errors.New("no config is active")

// Verify implements signet.Verifier with the active config's verifier, so a
// framework's middleware is built once and follows every config change.
func (a *app) Verify(ctx context.Context, r signet.Request) (*signet.Result, error) {
	st := a.active.Load()
	if st == nil {
		return nil, errNotConfigured
	}
	return st.verifier.Verify(ctx, r)
}

// configure replaces the active config with the one data describes.
func (a *app) configure(data []byte) error {
	st, err := parseConfig(data)
	if err != nil {
		return err
	}
	a.active.Store(st)
	return nil
}

// setClock applies a {"now": …} body to the active config's clock: as in a
// config, now null or absent ({}) is the real clock.
func (a *app) setClock(data []byte) error {
	var body struct {
		Now *float64 `json:"now"`
	}
	if !bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		return errors.New(`the clock body must be a JSON object: {"now": unix seconds}`)
	}
	if err := decodeStrict(data, &body); err != nil {
		return err
	}
	now := body.Now
	st := a.active.Load()
	if st == nil {
		return errors.New("no config is active: PUT /_conformance/config first")
	}
	return st.clock.set(now)
}

// controlPrefix starts the paths of the control endpoints.
const controlPrefix = "/_conformance/"

// handler routes every request as received (no path cleaning, no
// redirects): control paths to the control endpoints, anything else to
// protected once a config is active, and 503 before.
func (a *app) handler(protected http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case isControl(r.RequestURI):
			a.control(w, r)
		case a.active.Load() == nil:
			http.Error(w, "no config is active: PUT /_conformance/config first", http.StatusServiceUnavailable)
		default:
			protected.ServeHTTP(w, r)
		}
	})
}

// isControl reports whether the request-target target is under
// /_conformance/, in origin-form or absolute-form.
func isControl(target string) bool {
	path, _ := splitTarget(target)
	return strings.HasPrefix(path, controlPrefix)
}

// controlEndpoint returns what applies the body of a PUT to the control
// endpoint the request-target target names, or nil when it names none.
func (a *app) controlEndpoint(target string) func([]byte) error {
	switch path, _ := splitTarget(target); path {
	case controlPrefix + "config":
		return a.configure
	case controlPrefix + "clock":
		return a.setClock
	}
	return nil
}

// splitTarget splits a raw request-target into its path and query as
// received: undecoded, anything after a '#' kept. An absolute-form target
// ("http://host/p?q") gives what follows its authority, so its empty path
// stays empty ("http://host?q" gives "" and "q"); any other target that
// does not start with '/' ("*", or CONNECT's authority-form) is the path
// as a whole.
func splitTarget(target string) (path, query string) {
	if !strings.HasPrefix(target, "/") {
		if i := strings.Index(target, "://"); i > 0 && isURIScheme(target[:i]) {
			rest := target[i+len("://"):]
			if j := strings.IndexAny(rest, "/?#"); j >= 0 {
				target = rest[j:]
			} else {
				target = ""
			}
		}
	}
	path, query, _ = strings.Cut(target, "?")
	return path, query
}

// isURIScheme reports whether s is a URI scheme (RFC 3986, section 3.1):
// a letter, then letters, digits, '+', '-' and '.'.
func isURIScheme(s string) bool {
	for i, c := range []byte(s) {
		letter := 'a' <= c|0x20 && c|0x20 <= 'z'
		if !letter && (i == 0 || !('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return s != ""
}

// maxControlBody bounds the body of a control request.
const maxControlBody = 1 << 20

// control serves PUT /_conformance/config and PUT /_conformance/clock.
func (a *app) control(w http.ResponseWriter, r *http.Request) {
	apply := a.controlEndpoint(r.RequestURI)
	if apply == nil {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPut {
		w.Header().Set("Allow", http.MethodPut)
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxControlBody))
	if err == nil {
		err = apply(data)
	}
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_config", "message": err.Error()})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// echo is the answer to an accepted request (CONFORMANCE.md, "What it
// answers"). Exactly one of Body and BodyB64 is set.
type echo struct {
	Scheme      string  `json:"scheme"`
	KeyID       string  `json:"key_id"`
	Credentials any     `json:"credentials"`
	Method      string  `json:"method"`
	Path        string  `json:"path"`
	Query       string  `json:"query"`
	Body        *string `json:"body,omitempty"`
	BodyB64     *string `json:"body_b64,omitempty"`
}

// newEcho describes a request verified as res, with the path and query of
// its raw request-target (splitTarget) and the body the handler read.
func newEcho(res *signet.Result, method, requestURI string, body []byte) echo {
	e := echo{Scheme: res.Scheme, KeyID: res.KeyID, Credentials: res.Credentials, Method: method}
	e.Path, e.Query = splitTarget(requestURI)
	if s := string(body); utf8.ValidString(s) {
		e.Body = &s
	} else {
		b64 := base64.StdEncoding.EncodeToString(body)
		e.BodyB64 = &b64
	}
	return e
}

// writeJSON answers status with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
