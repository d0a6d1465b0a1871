package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"slices"

	"github.com/gofiber/fiber/v3"

	signetfiber "github.com/signet-go/signet/fiberv3"
)

func init() { frameworks["fiberv3"] = newFiberV3Server }

// newFiberV3Server serves the app with fiber v3 and its signetfiber, on
// fasthttp, as newFiberServer does with fiber v2: one catch-all handler
// routes every request as received and answers the control endpoints.
//
// Beside what fiber v2 answers itself (see newFiberServer; a method outside
// RequestMethods is 501 in v3), fiber v3 routes on the raw path: a request
// whose target does not start with '/' once fasthttp has read it ("*", an
// authority-form or unparsable target) reaches no handler, and fiber
// answers it 404 through its ErrorHandler, here in the contract's JSON.
// Those are deviations from CONFORMANCE.md, documented in docs/adapters.md.
//
// fiber v3 also runs the app.Use handlers for a request fasthttp failed to
// read (a body over BodyLimit, a malformed trailer) before its
// ErrorHandler answers, and skips the routes: the control endpoints are a
// route, so that such a request never changes the config, and
// fiberV3OwnError's answer replaces whatever the Use handlers wrote.
func newFiberV3Server(a *app) server {
	f := fiber.New(fiber.Config{
		StrictRouting:                true,
		CaseSensitive:                true,
		UnescapePath:                 false,
		ReadBufferSize:               32 << 10,
		BodyLimit:                    32 << 20,
		DisablePreParseMultipartForm: true,
		RequestMethods:               fiberV3Methods,
		ErrorHandler:                 fiberV3OwnError,
	})
	f.All(controlPrefix+"*", func(c fiber.Ctx) error {
		if !isControl(string(c.Request().Header.RequestURI())) {
			return c.Next() // "/_conformance", which the pattern matches too
		}
		a.controlFasthttp(c.RequestCtx())
		return nil
	})
	protected := signetfiber.New(a)
	f.Use(func(c fiber.Ctx) error {
		switch {
		case isControl(string(c.Request().Header.RequestURI())):
			return nil // a request fasthttp failed to read: fiberV3OwnError answers
		case a.active.Load() == nil:
			fasthttpError(c.RequestCtx(), http.StatusServiceUnavailable, "no config is active: PUT /_conformance/config first")
			return nil
		}
		return protected(c) // on success, c.Next() runs echoFiberV3
	}, echoFiberV3)
	return fiberV3Server{f}
}

// fiberV3Methods are fiberMethods, after fiber v3's defaults.
var fiberV3Methods = append(slices.Clone(fiber.DefaultMethods), fiberMethods[len(fiber.DefaultMethods):]...)

// fiberV3Server adapts a fiber v3 *fiber.App to the server interface.
type fiberV3Server struct{ app *fiber.App }

func (s fiberV3Server) Serve(ln net.Listener) error {
	return s.app.Listener(ln, fiber.ListenConfig{DisableStartupMessage: true}) // stdout has only the "listening" line
}

func (s fiberV3Server) Shutdown(ctx context.Context) error { return s.app.ShutdownWithContext(ctx) }

// echoFiberV3 answers a verified request with its echo.
func echoFiberV3(c fiber.Ctx) error {
	res, _ := signetfiber.Result(c)
	return c.JSON(newEcho(res, c.Method(), string(c.Request().Header.RequestURI()), c.Request().Body()))
}

// fiberV3OwnError answers, in the contract's JSON, what fiber v3 refuses
// before any handler runs (a *fiber.Error of a 4xx status), and any other
// error as the server's own trouble.
func fiberV3OwnError(c fiber.Ctx, err error) error {
	status, message := http.StatusInternalServerError, ""
	if e := (*fiber.Error)(nil); errors.As(err, &e) {
		status, message = e.Code, e.Message
	}
	ownError(c.RequestCtx(), status, message)
	return nil
}
