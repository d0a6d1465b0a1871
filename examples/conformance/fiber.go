package main

import (
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
			a.controlFasthttp(c.Context())
			return nil
		case a.active.Load() == nil:
			fasthttpError(c.Context(), http.StatusServiceUnavailable, "no config is active: PUT /_conformance/config first")
			return nil
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

// fiberOwnError answers, in the contract's JSON, what fiber refuses before
// any handler runs (a *fiber.Error of a 4xx status: its errors are not
// signet's), and any other error as the server's own trouble.
func fiberOwnError(c *fiber.Ctx, err error) error {
	status, message := http.StatusInternalServerError, ""
	if e := (*fiber.Error)(nil); errors.As(err, &e) {
		status, message = e.Code, e.Message
	}
	ownError(c.Context(), status, message)
	return nil
}
