// Package signetfasthttp verifies signed requests in fasthttp servers, and
// reads a fasthttp request for the verifiers of package signet as net/http
// would, for this package's middleware and for adapters of frameworks built
// on fasthttp (package signetfiber, for fiber v2 and v3).
//
//	import signetfasthttp "github.com/signet-go/signet/fasthttp"
//
// New wraps a fasthttp.RequestHandler as fasthttp's own wrappers do
// (fasthttp.CompressHandler). A verified request reaches the handler with
// its *signet.Result on the *fasthttp.RequestCtx, read back with Result and
// the typed Credentials:
//
//	protect := signetfasthttp.New(verifier)
//	server := &fasthttp.Server{Handler: protect(func(rc *fasthttp.RequestCtx) {
//		client, _ := signetfasthttp.Credentials[Client](rc)
//		…
//	})}
//
// A rejected request is answered by WriteError (or the handler of
// WithErrorHandler): the *signet.Error's status, its WWW-Authenticate
// challenge where the scheme has one, and {"error": code, "message":
// message} as application/json.
//
// # The request as received, without net/http
//
// The verifier reads the request through a view over fasthttp's own
// buffers: the method, the Host header and the request-target exactly as
// they came on the request line (never fasthttp's decoded or normalised
// path), every value of a header in order, as net/http would give them (a
// repeated Content-Type, say, is seen whole although fasthttp keeps only
// its last value; as with net/http, Host is not among the headers), and the
// body as received (never decompressed). Nothing is copied and no
// *http.Request is built: views and Results are pooled, and a request
// verified with an HMAC scheme without a body allocates nothing, in this
// package or in the core.
//
// Do not call rc.Request.RequestURI() before the middleware runs: fasthttp then replaces the raw request-target with its normalised
// form ("/a/../b" becomes "/b", "%2F" becomes "/"), and a signature over
// the target as sent no longer verifies. rc.Request.Header.RequestURI()
// reads the raw one without changing it.
//
// Before verifying, the middleware answers 400 malformed_signature the
// requests that fasthttp reads otherwise than net/http, or that the app
// would read otherwise than the verifier:
//   - more than one Host header;
//   - a request-target that is neither a path, "*" nor an absolute URI
//     whose host fasthttp reads as net/http does; refused as well: a CONNECT
//     request's target that is not a path ("host:port", "*", an absolute
//     URI: net/http reads each as an authority), and a path starting with
//     "//" from which fasthttp reads a host ("//h/p?u=http://x", or "//h/p"
//     without a Host header);
//   - a Transfer-Encoding header in an HTTP/1.0 request;
//   - a value folded over several lines with a ':' in a continuation line
//     (which some fasthttp versions read as a field of its own);
//   - a chunked request with trailer fields, which fasthttp adds to its
//     headers (net/http keeps them apart): a trailer would read as a header
//     the signature did not cover.
//
// With StreamRequestBody, trailers arrive only with the body, so such a
// request is refused when the verifier reads the body. A scheme that does
// not sign the body never reads it, and the handler may then see trailer
// fields among the headers, unverified. With fasthttp before v1.75 a Cookie
// trailer is not detected at all: fasthttp merges it into the request's
// cookies. Newer fasthttp versions refuse some of these requests
// themselves. docs/adapters.md lists what else tells the two servers apart.
//
// # Lifetime of values
//
// fasthttp reuses its buffers once a handler returns. The view's strings
// alias them and are valid only while Verify runs; the core copies what it
// keeps. A signet.KeyStore you write is called during Verify with a key id
// that aliases the request: clone it (strings.Clone) if your store keeps
// it, in a cache say.
//
// The Results are reused too, as fasthttp reuses the RequestCtx: the
// middleware verifies into a pooled Result, which goes back to the pool
// when fasthttp is done with the request (it then closes the request's
// user values). So the pointer Result returns is valid while the request
// is served; to keep the Result longer, copy it (kept := *res): the copy's
// strings, Covered and Details own their memory.
//
// The verifier is handed rc as its context.Context. A RequestCtx that no
// fasthttp server made (a zero one, in a handler's test) panics when asked
// for Done or Err: to test a handler, give it a Result with SetResult, or
// call rc.Init first.
//
// # Server settings
//
//   - Headers: fasthttp reads the whole header block into its
//     per-connection read buffer, fasthttp.Server.ReadBufferSize (4096 bytes
//     by default), and refuses a larger block before any handler runs.
//     Signature headers of public-key schemes, several signed headers or big
//     cookies can exceed it: raise it (8192 or 16384) if clients send them.
//   - Bodies: fasthttp reads the whole body into memory before the handler
//     runs, up to fasthttp.Server.MaxRequestBodySize (4 MiB by default). A
//     larger body is answered before the handler runs, through
//     Server.ErrorHandler: fasthttp's default answers 400 "Error when
//     parsing request" in plain text; set an ErrorHandler that answers
//     fasthttp.ErrBodyTooLarge with 413 if clients should see that. The
//     verifier's own limit (signet.WithMaxBodyBytes, 1 MiB by default) then
//     decides which bodies are verified; keep MaxRequestBodySize at or above
//     it so that the verifier's 413 {"error": "body_too_large"} is the one
//     clients see.
//     With StreamRequestBody the view reads the stream up to the verifier's
//     limit and gives the bytes back to the request as a stream for the
//     handler (rc.RequestBodyStream(), or rc.Request.Body()); a request
//     rejected with its stream unread has its connection closed after the
//     answer (fasthttp before v1.78 would read the rest as a request).
//   - Multipart bodies: unless DisablePreParseMultipartForm, fasthttp parses
//     a multipart/form-data body into a form while reading it and keeps no
//     raw bytes, so a scheme that signs the body cannot verify it: such
//     requests get 503 verification_unavailable. Set
//     DisablePreParseMultipartForm to verify them, and name the server with
//     WithServer so that the middleware knows.
//   - Header names are matched case-insensitively, as net/http does,
//     whatever DisableHeaderNamesNormalizing says. With that setting fasthttp
//     keeps names as sent ("x-role" beside "X-Role"), so the view reads the
//     header block as received; it does the same when no server is named,
//     since it cannot tell. Name a normalising server with WithServer to use
//     fasthttp's faster lookup (the fiber adapters pass their app's server).
package signetfasthttp
