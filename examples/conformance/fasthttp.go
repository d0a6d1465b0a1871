package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/valyala/fasthttp"

	signetfasthttp "github.com/signet-go/signet/fasthttp"
)

func init() { frameworks["fasthttp"] = newFasthttpServer }

// newFasthttpServer serves the app with plain fasthttp and signetfasthttp:
// one handler routes every request as received, as app.handler does for
// net/http, and answers the control endpoints the same way.
//
// fasthttp itself answers before the handler runs where net/http does not,
// here in the contract's JSON (fasthttpOwnError): a header block larger
// than ReadBufferSize (431), a body larger than MaxRequestBodySize (413
// body_too_large, whatever max_body_bytes allows) and a request it cannot
// parse (400 malformed_signature). Unlike fiber, it serves any method.
func newFasthttpServer(a *app) server {
	s := &fasthttp.Server{
		// Cavage signature headers may reach 8 KiB, with their signed
		// headers beside them.
		ReadBufferSize:     32 << 10,
		MaxRequestBodySize: 32 << 20,
		// Keep multipart bodies as received, so that they can be verified.
		DisablePreParseMultipartForm: true,
		ErrorHandler:                 fasthttpOwnError,
	}
	protected := signetfasthttp.New(a, signetfasthttp.WithServer(s))(echoFasthttp)
	// The raw request-target is rc.Request.Header.RequestURI();
	// rc.Request.RequestURI() would replace it with fasthttp's normalised
	// form, before the verifier reads it.
	s.Handler = func(rc *fasthttp.RequestCtx) {
		switch {
		case isControl(string(rc.Request.Header.RequestURI())):
			a.controlFasthttp(rc)
		case a.active.Load() == nil:
			fasthttpError(rc, http.StatusServiceUnavailable, "no config is active: PUT /_conformance/config first")
		default:
			protected(rc)
		}
	}
	return fasthttpServer{s}
}

// fasthttpServer adapts a *fasthttp.Server to the server interface.
type fasthttpServer struct{ *fasthttp.Server }

func (s fasthttpServer) Shutdown(ctx context.Context) error { return s.ShutdownWithContext(ctx) }

// echoFasthttp answers a verified request with its echo.
func echoFasthttp(rc *fasthttp.RequestCtx) {
	res, _ := signetfasthttp.Result(rc)
	fasthttpJSON(rc, http.StatusOK, newEcho(res, string(rc.Method()), string(rc.Request.Header.RequestURI()), rc.Request.Body()))
}

// controlFasthttp serves PUT /_conformance/config and PUT /_conformance/clock,
// answering as app.control does.
func (a *app) controlFasthttp(rc *fasthttp.RequestCtx) {
	apply := a.controlEndpoint(string(rc.Request.Header.RequestURI()))
	if apply == nil {
		fasthttpError(rc, http.StatusNotFound, "404 page not found")
		return
	}
	if !rc.IsPut() {
		rc.Response.Header.Set("Allow", http.MethodPut)
		fasthttpError(rc, http.StatusMethodNotAllowed, http.StatusText(http.StatusMethodNotAllowed))
		return
	}
	data := bytes.Clone(rc.Request.Body()) // fasthttp reuses its buffer
	err := errors.New("http: request body too large")
	if len(data) <= maxControlBody {
		err = apply(data)
	}
	if err != nil {
		fasthttpJSON(rc, http.StatusBadRequest, map[string]string{"error": "invalid_config", "message": err.Error()})
		return
	}
	rc.SetStatusCode(http.StatusNoContent)
}

// fasthttpOwnError answers, in the contract's JSON, a request fasthttp
// refused to read (its server's ErrorHandler).
func fasthttpOwnError(rc *fasthttp.RequestCtx, err error) {
	status := http.StatusBadRequest
	switch {
	case errors.As(err, new(*fasthttp.ErrSmallBuffer)):
		status = http.StatusRequestHeaderFieldsTooLarge
	case errors.Is(err, fasthttp.ErrBodyTooLarge):
		status = http.StatusRequestEntityTooLarge
	}
	ownError(rc, status, err.Error())
}

// ownError answers, in the contract's JSON, what the server (fasthttp or
// fiber) refuses before any handler runs: a 4xx status (its errors are not
// signet's); any other as the server's own trouble.
func ownError(rc *fasthttp.RequestCtx, status int, message string) {
	code := "malformed_signature"
	switch {
	case status == http.StatusRequestEntityTooLarge:
		code = "body_too_large"
	case status < 400 || status >= 500:
		status, code, message = http.StatusInternalServerError, "verification_unavailable", "the request could not be served"
	}
	rc.Response.Header.Del("WWW-Authenticate") // a handler's, before fiber v3's ErrorHandler
	rc.Response.Header.Set("X-Content-Type-Options", "nosniff")
	fasthttpJSON(rc, status, map[string]string{"error": code, "message": message})
}

// fasthttpJSON answers status with v as JSON, as writeJSON does, in place
// of any body written before.
func fasthttpJSON(rc *fasthttp.RequestCtx, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		fasthttpError(rc, http.StatusInternalServerError, "the answer could not be written")
		return
	}
	rc.SetContentType("application/json")
	rc.SetStatusCode(status)
	rc.SetBody(append(body, '\n'))
}

// fasthttpError answers as net/http's http.Error does.
func fasthttpError(rc *fasthttp.RequestCtx, status int, message string) {
	rc.SetContentType("text/plain; charset=utf-8")
	rc.Response.Header.Set("X-Content-Type-Options", "nosniff")
	rc.SetStatusCode(status)
	rc.SetBodyString(message + "\n")
}
