// Package signetfiber verifies signed requests in fiber v3 applications.
//
//	import signetfiber "github.com/signet-go/signet/fiberv3"
//
// It is the fiber v3 counterpart of github.com/signet-go/signet/fiber: the
// same names and behaviour, over fiber.Ctx (an interface in v3). New returns a fiber.Handler in the style of fiber's own middlewares
// (a Config with Next, SuccessHandler and ErrorHandler). A verified request
// reaches the next handler with its *signet.Result in c.Locals, read back
// with Result and the typed Credentials:
//
//	app.Use(signetfiber.New(verifier))
//	app.Get("/orders", func(c fiber.Ctx) error {
//		client, _ := signetfiber.Credentials[Client](c)
//		…
//	})
//
// A rejected request is answered by WriteError (or Config.ErrorHandler): the
// *signet.Error's status, its WWW-Authenticate challenge where the scheme
// has one, and {"error": code, "message": message} as JSON (fiber v3's
// c.JSON: application/json; charset=utf-8).
//
// # The request as received, without net/http
//
// The middleware calls signetfasthttp.Verify, the work of package
// github.com/signet-go/signet/fasthttp, whose documentation tells what the
// verifier reads: the request as received (the raw request-target, every
// value of a header, the body as received, never the one c.Body()
// decompresses) through a view over fasthttp's own buffers, with no
// *http.Request built and, for an HMAC scheme without a body, no
// allocation; and which requests it answers 400 malformed_signature before
// verifying, because fasthttp reads them otherwise than net/http.
//
// Do not call c.Request().RequestURI() before the middleware runs: fasthttp
// then replaces the raw request-target with its normalised form ("/a/../b"
// becomes "/b", "%2F" becomes "/"), and a signature over the target as sent
// no longer verifies. c.OriginalURL() and c.Request().Header.RequestURI()
// read the raw one without changing it.
//
// # Lifetime of values
//
// fasthttp reuses its buffers once a handler returns. A signet.KeyStore you
// write is called during Verify with a key id that aliases the request:
// clone it (strings.Clone) if your store keeps it, in a cache say.
//
// New reuses its Results too, as fiber reuses c: it verifies into a pooled
// Result, which goes back to the pool when fasthttp is done with the request
// (it then closes the values in c.Locals). So the pointer Result returns is
// valid while the request is served (every handler and middleware, the
// app's ErrorHandler), and so is a context made with it; to keep the Result
// longer, copy it (kept := *res): the copy's strings, Covered and Details
// own their memory.
//
// # fiber v3's context
//
// The verifier is called with c.Context(), the context fiber v3 keeps for
// the request (c.UserContext() in fiber v2), so a key store sees what
// earlier middlewares put there with c.SetContext. The Result is in c.Locals
// only, whatever fiber.Config.PassLocalsToContext says: putting it on
// c.Context() as well would cost an allocation per request
// (context.WithValue). To hand it to code that takes a context.Context, do
// it in a SuccessHandler:
//
//	signetfiber.New(verifier, signetfiber.Config{
//		SuccessHandler: func(c fiber.Ctx) error {
//			res, _ := signetfiber.Result(c)
//			c.SetContext(signet.NewContext(c.Context(), res))
//			return c.Next()
//		},
//	})
//
// # What fiber v3 answers itself
//
// fiber v3 routes on the path fasthttp reads as received: a request whose
// target is "*" (OPTIONS *) or an absolute URI with a query and no path
// ("http://host?q") reaches no handler, and fiber answers it 404 itself.
//
// When fasthttp fails to read a request (a body beyond BodyLimit, a
// malformed one), fiber v3 still runs the handlers registered with app.Use
// before its ErrorHandler answers: the middleware then verifies what was
// read, and a handler after it that the request reaches may run before the
// error replaces its answer. Register handlers with side effects on routes
// (app.Get, app.Post, …), not with app.Use.
//
// # fiber settings
//
// The fasthttp server settings of package signetfasthttp's documentation are
// fiber.Config's, under the same names as in fiber v2:
//
//   - ReadBufferSize (4096 bytes by default) bounds the header block: fiber
//     answers a larger one 431 before any middleware runs. Signature
//     headers of public-key schemes, several signed headers or big cookies
//     can exceed it: raise it (8192 or 16384) if clients send them.
//   - BodyLimit (4 MiB by default) bounds the bodies fasthttp reads; keep it
//     at or above the verifier's limit (signet.WithMaxBodyBytes, 1 MiB by
//     default) so that the verifier's 413 {"error": "body_too_large"} is the
//     one clients see. With StreamRequestBody the view reads the stream up to
//     the verifier's limit and gives the bytes back to the request for the
//     handler; a request rejected with its stream unread has its connection
//     closed after the answer.
//   - With DisablePreParseMultipartForm false (the default), fasthttp parses
//     a multipart/form-data body into a form and keeps no raw bytes, so a
//     scheme that signs the body cannot verify it: such requests get 503
//     verification_unavailable. Set DisablePreParseMultipartForm to true to
//     verify them.
//   - RequestMethods: fiber v3 answers a method outside it 501 before any
//     middleware (fiber v2: 400); add custom methods there.
//   - DisableHeaderNormalizing, CaseSensitive, StrictRouting and
//     UnescapePath do not change what is verified: the middleware reads the
//     app's server (c.App().Server()), header names are matched
//     case-insensitively on the raw header block, and the request-target is
//     always the raw one. An app served by a fasthttp.Server of your own
//     (app.Handler()) must have the same DisableHeaderNormalizing as that
//     server's DisableHeaderNamesNormalizing, and the same
//     DisablePreParseMultipartForm.
package signetfiber
