// Package signetfiber verifies signed requests in fiber (v2) applications.
//
//	import signetfiber "github.com/signet-go/signet/fiber"
//
// New returns a fiber.Handler in the style of fiber's own middlewares (a
// Config with Next, SuccessHandler and ErrorHandler). A verified request
// reaches the next handler with its *signet.Result in c.Locals, read back
// with Result and the typed Credentials:
//
//	app.Use(signetfiber.New(verifier))
//	app.Get("/orders", func(c *fiber.Ctx) error {
//		client, _ := signetfiber.Credentials[Client](c)
//		…
//	})
//
// A rejected request is answered by WriteError (or Config.ErrorHandler): the
// *signet.Error's status, its WWW-Authenticate challenge where the scheme
// has one, and {"error": code, "message": message} as application/json.
//
// # The request as received, without net/http
//
// The verifier reads the request through a view over fasthttp's own
// buffers (package signetfasthttp's, which New calls): the method, the Host header and the request-target exactly as
// they came on the request line (never fiber's decoded or normalised path),
// every value of a header in order, as net/http would give them (a repeated
// Content-Type, say, is seen whole although fasthttp keeps only its last
// value; as with net/http, Host is not among the headers), and the body as
// received (fasthttp's raw bytes, never the body c.Body() decompresses).
// Nothing is copied and no *http.Request is built: views and Results are
// pooled, and a request verified with an HMAC scheme without a body
// allocates nothing, in this package or in the core.
//
// Do not call c.Request().RequestURI() before the middleware runs: fasthttp
// then replaces the raw request-target with its normalised form ("/a/../b"
// becomes "/b", "%2F" becomes "/"), and a signature over the target as sent
// no longer verifies. c.OriginalURL() and c.Request().Header.RequestURI()
// read the raw one without changing it.
//
// Before verifying, the middleware answers 400 malformed_signature (through
// ErrorHandler) the requests that fasthttp reads otherwise than net/http:
//   - more than one Host header;
//   - a request-target that is neither a path, "*" nor an absolute URI whose
//     host fasthttp (c.Hostname()) reads as net/http does; a CONNECT
//     request's target that is not a path and a path "//host/p" from which
//     fasthttp reads a host are refused as well;
//   - a Transfer-Encoding header in an HTTP/1.0 request;
//   - a value folded over several lines with a ':' in a continuation line
//     (which some fasthttp versions read as a field of its own);
//   - a chunked request with trailer fields, which fasthttp adds to its
//     headers (signetfasthttp's package doc says when).
//
// docs/adapters.md lists what else tells the two servers apart.
//
// # Lifetime of values
//
// fasthttp reuses its buffers once a handler returns. The view's strings
// alias them and are valid only while Verify runs; the core copies what it
// keeps. A signet.KeyStore you write is called during Verify with a key id
// that aliases the request: clone it (strings.Clone) if your store keeps
// it, in a cache say.
//
// New reuses its Results too, as fiber reuses c: it verifies into a pooled
// Result (signet.AsIntoVerifier), which goes back to the pool when
// fasthttp is done with the request (it then closes the values in
// c.Locals). So the pointer Result returns is valid
// while the request is served (every handler and middleware, the app's
// ErrorHandler), and so is a context made with it; to keep the Result
// longer, copy it (kept := *res): the copy's strings, Covered and Details
// own their memory.
//
// The Result is in c.Locals only. Putting it on c.UserContext() as well
// would cost an allocation per request (context.WithValue), so New does not;
// to hand it to code that takes a context.Context, do it in a
// SuccessHandler:
//
//	signetfiber.New(verifier, signetfiber.Config{
//		SuccessHandler: func(c *fiber.Ctx) error {
//			res, _ := signetfiber.Result(c)
//			c.SetUserContext(signet.NewContext(c.UserContext(), res))
//			return c.Next()
//		},
//	})
//
// The verifier is called with c.UserContext(), so a key store sees what
// earlier middlewares put there.
//
// # fiber settings
//
//   - Headers: fasthttp reads the whole header block into its
//     per-connection read buffer, fiber.Config.ReadBufferSize (4096 bytes by
//     default), and answers a larger block with 431 before any middleware
//     runs. Signature headers of public-key schemes, several signed headers
//     or big cookies can exceed it: raise it (8192 or 16384) if clients send
//     them.
//   - Bodies: fasthttp reads the whole body into memory before the handler
//     runs, up to fiber.Config.BodyLimit (4 MiB by default; fiber answers a
//     larger body 413 through the app's fiber.Config.ErrorHandler before any
//     middleware runs, in plain text by default). The verifier's own limit
//     (signet.WithMaxBodyBytes, 1 MiB by default) then decides which bodies
//     are verified; keep BodyLimit at or above it so that the verifier's 413
//     {"error": "body_too_large"} is the one clients see. With
//     StreamRequestBody the view reads the stream up to the verifier's limit
//     and gives the bytes back to the request for the handler; a request
//     rejected with its stream unread has its connection closed after the
//     answer.
//   - Hosts: with EnableTrustedProxyCheck false (the default), c.Hostname(),
//     c.Protocol() and c.BaseURL() read any client's X-Forwarded-Host and
//     X-Forwarded-Proto, which signed URLs do not cover: set it (and
//     TrustedProxies), or read c.Get("Host"), the host verified.
//   - Multipart bodies: with fiber's default DisablePreParseMultipartForm
//     false, fasthttp parses a multipart/form-data body into a form while
//     reading it and keeps no raw bytes, so a scheme that signs the body
//     cannot verify it: such requests get 503 verification_unavailable.
//     Set DisablePreParseMultipartForm to true to verify them.
//   - Methods: fiber answers a method outside its RequestMethods list with
//     400 before any middleware; add custom methods there.
//   - DisableHeaderNormalizing, CaseSensitive, StrictRouting and
//     UnescapePath do not change what is verified: header names are matched
//     case-insensitively on the raw header block, and the request-target is
//     always the raw one. The middleware reads the app's fasthttp.Server
//     (app.Server()): an app served by a server of your own (app.Handler())
//     must have the same DisableHeaderNormalizing as that server's
//     DisableHeaderNamesNormalizing, and the same
//     DisablePreParseMultipartForm.
package signetfiber
