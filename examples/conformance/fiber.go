package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"slices"

	"github.com/gofiber/fiber/v2"

	signetfiber "github.com/signet-go/signet/fiber"
)

func init() { frameworks["fiber"] = newFiberServer }

// newFiberServer serves the app with fiber and signetfiber, on fasthttp:
// one catch-all handler routes every request as received, as app.handler
// does for net/http, and answers the control endpoints the same way.
//
// fiber itself answers before any handler runs where net/http does not: a
// method outside fiber's RequestMethods (400 "Invalid http method",
// text/plain); and through its ErrorHandler, here in the contract's JSON, a
// header block larger than ReadBufferSize (431), a body larger than
// BodyLimit (413 body_too_large, whatever max_body_bytes allows) and a
// request fasthttp cannot parse (400 malformed_signature). fiber
// v2 finds a request's routes by its method's index in RequestMethods, so
// no config lets an arbitrary method through: RequestMethods is
// fiberMethods, the registered methods and two common others, instead of
// fiber's nine. Any other method is a deviation from CONFORMANCE.md,
// documented in docs/adapters.md.
func newFiberServer(a *app) server {
	f := fiber.New(fiber.Config{
		DisableStartupMessage: true, // stdout has only the "listening" line
		// A catch-all Use handler sees every path; these keep fiber from
		// decoding or folding it anywhere (the verifier reads the raw
		// request-target regardless).
		StrictRouting: true,
		CaseSensitive: true,
		UnescapePath:  false,
		// Cavage signature headers may reach 8 KiB, with their signed
		// headers beside them.
		ReadBufferSize: 32 << 10,
		BodyLimit:      32 << 20,
		// Keep multipart bodies as received, so that they can be verified.
		DisablePreParseMultipartForm: true,
		RequestMethods:               fiberMethods,
		ErrorHandler:                 fiberOwnError,
	})
	protected := signetfiber.New(a)
	// The raw request-target is c.Request().Header.RequestURI();
	// c.Request().RequestURI() would replace it with fasthttp's normalised
	// form, before the verifier reads it.
	f.Use(func(c *fiber.Ctx) error {
		switch {
		case isControl(string(c.Request().Header.RequestURI())):
			return a.controlFiber(c)
		case a.active.Load() == nil:
			return fiberError(c, http.StatusServiceUnavailable, "no config is active: PUT /_conformance/config first")
		}
		return protected(c) // on success, c.Next() runs echoFiber
	}, echoFiber)
	return fiberServer{f}
}

// fiberMethods are the methods the fiber server routes to the scheme:
// fiber's defaults first (fiber looks a method up in order), then the other
// methods of IANA's HTTP Method Registry but PRI (HTTP/2's connection
// preface), then QUERY and PURGE. fiber answers any other method 400.
var fiberMethods = append(slices.Clone(fiber.DefaultMethods),
	"ACL", "BASELINE-CONTROL", "BIND", "CHECKIN", "CHECKOUT", "COPY", "LABEL", "LINK", "LOCK", "MERGE",
	"MKACTIVITY", "MKCALENDAR", "MKCOL", "MKREDIRECTREF", "MKWORKSPACE", "MOVE", "ORDERPATCH",
	"PROPFIND", "PROPPATCH", "REBIND", "REPORT", "SEARCH", "UNBIND", "UNCHECKOUT", "UNLINK", "UNLOCK",
	"UPDATE", "UPDATEREDIRECTREF", "VERSION-CONTROL",
	"QUERY", "PURGE",
)

// fiberServer adapts a *fiber.App to the server interface.
type fiberServer struct{ app *fiber.App }

func (s fiberServer) Serve(ln net.Listener) error { return s.app.Listener(ln) }

func (s fiberServer) Shutdown(ctx context.Context) error { return s.app.ShutdownWithContext(ctx) }

// echoFiber answers a verified request with its echo.
func echoFiber(c *fiber.Ctx) error {
	res, _ := signetfiber.Result(c)
	return c.JSON(newEcho(res, c.Method(), string(c.Request().Header.RequestURI()), c.BodyRaw()))
}

// controlFiber serves PUT /_conformance/config and PUT /_conformance/clock,
// answering as app.control does.
func (a *app) controlFiber(c *fiber.Ctx) error {
	apply := a.controlEndpoint(string(c.Request().Header.RequestURI()))
	if apply == nil {
		return fiberError(c, http.StatusNotFound, "404 page not found")
	}
	if c.Method() != http.MethodPut {
		c.Set(fiber.HeaderAllow, http.MethodPut)
		return fiberError(c, http.StatusMethodNotAllowed, http.StatusText(http.StatusMethodNotAllowed))
	}
	data := bytes.Clone(c.BodyRaw()) // fasthttp reuses its buffer
	err := errors.New("http: request body too large")
	if len(data) <= maxControlBody {
		err = apply(data)
	}
	if err != nil {
		return c.Status(http.StatusBadRequest).JSON(map[string]string{"error": "invalid_config", "message": err.Error()})
	}
	c.Status(http.StatusNoContent)
	return nil
}

// fiberOwnError answers, in the contract's JSON, what fiber refuses before
// any handler runs (a *fiber.Error of a 4xx status: its errors are not
// signet's), and any other error as the server's own trouble.
func fiberOwnError(c *fiber.Ctx, err error) error {
	status, code, message := http.StatusInternalServerError, "verification_unavailable", "the request could not be served"
	if e := (*fiber.Error)(nil); errors.As(err, &e) && e.Code >= 400 && e.Code < 500 {
		status, code, message = e.Code, "malformed_signature", e.Message
	}
	if status == http.StatusRequestEntityTooLarge {
		code = "body_too_large"
	}
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Status(status).JSON(map[string]string{"error": code, "message": message})
}

// fiberError answers as net/http's http.Error does.
func fiberError(c *fiber.Ctx, status int, message string) error {
	c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Status(status).SendString(message + "\n")
}
