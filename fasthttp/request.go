package signetfasthttp

import (
	"bytes"
	"errors"
	"io"
	"net/textproto"
	"net/url"
	"strings"
	"unsafe"

	"github.com/valyala/fasthttp"

	signet "github.com/signet-go/signet/core"
)

// request is the signet.Request view of a fasthttp request. Its strings
// alias fasthttp's buffers without copying, so they are valid only while
// Verify runs (the core copies what it keeps). Views are pooled with the
// Result they verify into (see verification), and closed as soon as Verify
// returns.
type request struct {
	ctx *fasthttp.RequestCtx
	// server is the server that read the request, nil for fasthttp's
	// defaults: how it read the header names and a multipart body.
	server *fasthttp.Server
	// block is the header block as received.
	block signet.HeaderBlock
	// values holds every value Header returned during this verification,
	// so that no returned slice is overwritten by a later call.
	values []string
	// target is what a request-target that is neither origin-form nor "*"
	// was found to be, once parsed (see absolute), and absHost its host.
	target  targetFacts
	absHost string
	// streamRead is set once Body read a streamed body (the server's
	// StreamRequestBody) from the connection.
	streamRead bool
}

// targetFacts is what parsing a request-target that is neither origin-form
// nor "*" found. Its zero value is "not parsed yet".
type targetFacts uint8

const (
	targetParsed   targetFacts = 1 << iota
	targetAbsolute             // an absolute URI with a host, as net/http reads it
)

// maxPooled keeps a request with thousands of header values from pinning a
// large scratch slice in the pool.
const maxPooled = 256

// open points r at the request of ctx, read by server.
func (r *request) open(ctx *fasthttp.RequestCtx, server *fasthttp.Server) {
	r.ctx, r.server = ctx, server
	r.block.Reset(ctx.Request.Header.RawHeaders())
}

// close drops r's references to the request, so that r can be pooled. The
// scratch space keeps its backing arrays (their stale strings are never
// read again: they are overwritten before use) unless it grew too large to
// keep.
func (r *request) close() {
	r.ctx, r.server = nil, nil
	r.target, r.absHost, r.streamRead = 0, "", false
	r.block.Reset(nil)
	r.values = r.values[:0]
	if cap(r.values) > maxPooled {
		r.values = nil
	}
}

// Method is the method of the request line, as received.
func (r *request) Method() string { return unsafeString(r.ctx.Request.Header.Method()) }

// Scheme is "https" when the connection is TLS, else "http".
func (r *request) Scheme() string {
	if r.ctx.IsTLS() {
		return "https"
	}
	return "http"
}

// Host is the host of an absolute-form request-target ("GET http://host/p
// HTTP/1.1"), whose Host header a server ignores (RFC 9112 §3.2.2), as
// net/http reads it (percent-escapes decoded, the case kept); else the Host
// header, as received, read as any header value is (see Header).
//
// The middleware refuses, before verifying, a request whose target is
// neither origin-form nor "*" unless it is such an absolute URI and its
// host is the one fasthttp parsed, URI().Host() (see refusal): only then is
// the host read here the host the app reads.
func (r *request) Host() string {
	if host, ok := r.absolute(); ok {
		return host
	}
	if r.block.Folded() { // fasthttp keeps a fold's leading spaces
		start := len(r.values)
		if r.values = r.block.AppendValues(r.values, fasthttp.HeaderHost); len(r.values) > start {
			return r.values[start]
		}
	}
	return textproto.TrimString(unsafeString(r.ctx.Request.Header.Host()))
}

// absolute returns the host (and port) of the request-target when it is an
// absolute URI with a host, as net/http reads it (url.ParseRequestURI:
// percent-escapes decoded, user info dropped), parsing it on the first call
// only. An origin-form target ("/…", the usual case) or "*" costs one
// comparison.
func (r *request) absolute() (string, bool) {
	if r.target == 0 {
		target := r.RequestURI()
		if isOriginOrAsterisk(target) {
			return "", false
		}
		r.target = targetParsed
		if u, err := url.ParseRequestURI(target); err == nil && u.Host != "" {
			r.target, r.absHost = r.target|targetAbsolute, u.Host
		}
	}
	return r.absHost, r.target&targetAbsolute != 0
}

// isOriginOrAsterisk reports whether target is in origin-form ("/…") or
// asterisk-form ("*").
func isOriginOrAsterisk(target string) bool {
	return len(target) > 0 && target[0] == '/' || target == "*"
}

// targetAgrees reports whether the request-target is origin-form or "*",
// unless fasthttp reads a host from it, or an absolute URI with a host (as
// net/http reads it) that is, in any ASCII case, the host fasthttp parsed
// from it for the app (URI().Host(), fiber's c.Hostname()).
// Anything else net/http refuses (400), or fasthttp reads another host or
// path from: its host ends at the first '/' (not at '?' or '#') and follows
// the first '@' (not the last); a target that does not start with a scheme
// ("x/http://a/") gets the Host header's; so does a CONNECT request's
// target that is not a path, which net/http reads as an authority, its
// host ("CONNECT host:443", "CONNECT *", "CONNECT http://h/p", whose host
// net/http reads as "http:"); "//h/p" is host h and path /p when it holds
// a "://" ("//h/p?u=http://x") or the request has no Host header, where
// net/http serves the path "//h/p".
func (r *request) targetAgrees() bool {
	target := r.RequestURI()
	if r.Method() == fasthttp.MethodConnect && !strings.HasPrefix(target, "/") {
		return false // net/http reads it as an authority, its host
	}
	if isOriginOrAsterisk(target) {
		return !strings.HasPrefix(target, "//") ||
			!strings.Contains(target, "://") && len(r.ctx.Request.Header.Host()) > 0
	}
	host, ok := r.absolute()
	if !ok {
		return false
	}
	// URI, unlike Request.RequestURI, leaves the target as received (the
	// view's RequestURI) as it is.
	return equalFoldASCII(host, unsafeString(r.ctx.Request.URI().Host())) // ASCII case only
}

// setHostFromTarget makes the Host header of a request with an absolute-form
// target the target's host, as a server must read it (RFC 9112 §3.2.2) and
// as net/http does (r.Host): fasthttp keeps the header for Peek("Host")
// (fiber's c.Get("Host")), which would give the app a host the signature
// was not checked against.
func (r *request) setHostFromTarget() {
	if host, ok := r.absolute(); ok {
		r.ctx.Request.Header.SetHost(host)
	}
}

// RequestURI is the request-target of the request line, undecoded.
func (r *request) RequestURI() string { return unsafeString(r.ctx.Request.Header.RequestURI()) }

// Header returns every value of the header name, in order, as net/http's
// Request.Header would: Host is not a header (Host has it), nor is
// Transfer-Encoding; on a chunked request neither are Content-Length and
// Trailer, and trailers are not headers; a repeated identical Content-Length
// is one; values are trimmed of spaces and tabs, and the lines of a folded
// value (obs-fold) joined by one space.
//
// Most names are read from fasthttp's parsed headers. The header block as
// received is read instead where fasthttp's parsed headers would not answer
// that (see fromRaw), so that a repeated header is always seen whole. (Where
// fasthttp rewrites its copy of the block, for a folded value whose last
// line ends in a space or holds nothing else, the view reads the value as
// fasthttp joins it, which the app reads too.)
func (r *request) Header(name string) []string {
	start := len(r.values)
	switch {
	case r.fromRaw(name) && !r.block.Empty():
		r.values = r.block.AppendHeader(r.values, name)
	case name == fasthttp.HeaderHost || name == fasthttp.HeaderTransferEncoding,
		name == fasthttp.HeaderContentLength || name == fasthttp.HeaderTrailer:
		// Not headers; or, without a header block as received (a request
		// built in code, or sent without header lines), computed by
		// fasthttp: nobody sent them.
	default:
		for _, v := range r.ctx.Request.Header.PeekAll(name) {
			r.values = append(r.values, textproto.TrimString(unsafeString(v)))
		}
	}
	if len(r.values) == start {
		return nil
	}
	return r.values[start:len(r.values):len(r.values)]
}

// fromRaw reports whether name must be read from the header block as
// received rather than from fasthttp's parsed headers: a header fasthttp
// keeps one value of, rewrites or makes up (Content-Type, User-Agent,
// Content-Length, Connection, Cookie, Trailer), Host and Transfer-Encoding
// (no headers for net/http), any header of a chunked request (fasthttp adds
// the trailers to the headers), any header when fasthttp may have kept the
// names as sent (see namesAsSent), and any header of a block with a folded
// value (fasthttp joins the lines of one differently from net/http).
func (r *request) fromRaw(name string) bool {
	switch name {
	case fasthttp.HeaderContentType, fasthttp.HeaderUserAgent, fasthttp.HeaderContentLength,
		fasthttp.HeaderConnection, fasthttp.HeaderCookie, fasthttp.HeaderTrailer,
		fasthttp.HeaderHost, fasthttp.HeaderTransferEncoding:
		return true
	}
	return r.block.TransferEncoding() || r.block.Folded() || r.namesAsSent()
}

// namesAsSent reports whether fasthttp may have kept header names as sent,
// so that its case-sensitive lookup would miss fields net/http finds
// ("x-role" beside "X-Role"): the server does not normalise them, or no
// server was named (a handler cannot tell).
func (r *request) namesAsSent() bool {
	return r.server == nil || r.server.DisableHeaderNamesNormalizing
}

// trailersAdded reports whether fasthttp added the trailer fields of a
// chunked request, read with its body, to its headers (net/http keeps them
// apart, in Request.Trailer, and so does the view): a trailer would read as
// a header the signature did not cover, after the signed values of one it
// repeats in PeekAll (and VisitAll, fiber's c.GetReqHeaders). fasthttp
// before v1.75 keeps trailer fields among the others: it then holds more
// fields than the header block has, among those it keeps one by one as
// they came (all but the names keptApart), or more than one User-Agent.
// Later versions keep them apart, out of VisitAll, and list their names
// with the declared ones (VisitAllTrailer): PeekAll then finds a name more
// often than VisitAll does. (A Cookie trailer before v1.75 goes unseen:
// fasthttp merges it with the block's cookies.)
func (r *request) trailersAdded() bool {
	if !r.block.TransferEncoding() {
		return false // no body in chunks, no trailers
	}
	var h headerFields = &r.ctx.Request.Header
	held, agents := 0, 0
	h.VisitAll(func(name, _ []byte) {
		if equalFoldASCII(unsafeString(name), fasthttp.HeaderUserAgent) {
			agents++
		}
		if !keptApart(unsafeString(name)) {
			held++
		}
	})
	if agents > min(r.count(fasthttp.HeaderUserAgent), 1) {
		return true // fasthttp keeps one User-Agent of the block: the others are trailers
	}
	for name := range r.block.Names() {
		if !keptApart(name) {
			held--
		}
	}
	added := held > 0
	h.VisitAllTrailer(func(name []byte) {
		if added {
			return
		}
		// fasthttp's fields of that name in VisitAll, matched as PeekAll
		// matches them (case-sensitively when it keeps names as sent)
		visited := 0
		h.VisitAll(func(k, _ []byte) {
			if bytes.Equal(k, name) {
				visited++
			}
		})
		added = len(h.PeekAll(unsafeString(name))) > visited
	})
	return added
}

// headerFields is what trailersAdded reads of fasthttp's RequestHeader, in
// methods every version this module supports has (later versions deprecate
// VisitAll and VisitAllTrailer for iterators v1.51 lacks).
type headerFields interface {
	VisitAll(f func(key, value []byte))
	VisitAllTrailer(f func(key []byte))
	PeekAll(key string) [][]byte
}

// count returns how many fields of the header block are named name, in any
// case.
func (r *request) count(name string) int {
	n := 0
	for f := range r.block.Names() {
		if equalFoldASCII(f, name) {
			n++
		}
	}
	return n
}

// keptApart reports whether fasthttp may read the header name into a field
// of its own, set it itself or drop it, rather than keep it in its list of
// fields as it came.
func keptApart(name string) bool {
	for _, n := range [...]string{fasthttp.HeaderHost, fasthttp.HeaderContentType, fasthttp.HeaderContentLength,
		fasthttp.HeaderUserAgent, fasthttp.HeaderCookie, fasthttp.HeaderTrailer, fasthttp.HeaderTransferEncoding,
		fasthttp.HeaderConnection} {
		if equalFoldASCII(name, n) {
			return true
		}
	}
	return false
}

// errTrailers answers a chunked request whose trailer fields fasthttp added
// to its headers (see trailersAdded).
var errTrailers = signet.NewError(signet.ErrMalformed, "the request has trailer fields after its chunked body, which this server would read as headers: send them as headers")

// Body returns the body as received (never decompressed), at most limit
// bytes. The handler still reads it: fasthttp keeps it in memory.
func (r *request) Body(limit int64) ([]byte, error) {
	req := &r.ctx.Request
	if r.multipartParsed() {
		return nil, signet.NewError(signet.ErrUnavailable, "this server is not configured to verify multipart/form-data bodies")
	}
	if req.IsBodyStream() {
		r.streamRead = true
		body, err := streamBody(r.ctx, limit)
		if err == nil && r.trailersAdded() { // read with the last chunk
			return nil, errTrailers
		}
		return body, err
	}
	body := req.Body()
	if int64(len(body)) > limit {
		return nil, signet.BodyTooLarge(limit)
	}
	return body, nil
}

// multipartParsed reports whether fasthttp parsed the body into a multipart
// form while reading it, keeping no raw bytes (what it does by default,
// unless the server's DisablePreParseMultipartForm: a multipart/form-data body of
// known length and without Content-Encoding). Its Body() would be a
// re-encoding of the form, not the bytes that were signed.
func (r *request) multipartParsed() bool {
	h := &r.ctx.Request.Header
	return len(h.MultipartFormBoundary()) > 0 && len(h.ContentEncoding()) == 0 && h.ContentLength() > 0 &&
		(r.server == nil || !r.server.DisablePreParseMultipartForm)
}

// streamBody reads a streamed body (the server's StreamRequestBody) within
// limit and gives it back to the request as a stream of the same bytes, so
// that the handler reads them through the stream (rc.RequestBodyStream()) or
// Body() alike.
func streamBody(ctx *fasthttp.RequestCtx, limit int64) ([]byte, error) {
	req := &ctx.Request
	// fasthttp's length is -1 for chunked and -2 for a body read to the
	// connection's end: both unknown.
	length := req.Header.ContentLength()
	body, err := signet.ReadBody(req.BodyStream(), max(int64(length), -1), limit)
	switch e := signet.AsError(err); {
	case e == nil:
		req.SetBodyStream(bytes.NewReader(body), length) // the length as it was: the headers unchanged
		return body, nil
	case errors.Is(e, signet.ErrBodyTooLarge):
		return nil, rejectStream(ctx, e)
	default:
		ctx.SetConnectionClose()
		return nil, e
	}
}

// maxDrain bounds how much of a rejected streamed body is read and thrown
// away so that the client gets the answer (closing a connection with unread
// data resets it), as net/http does.
const maxDrain = 256 << 10

// rejectStream discards the rest of a streamed body, up to maxDrain, and
// closes the connection after the answer unless the body ended within it
// (more is left, or its framing broke): the rest must not be read as the
// next request.
func rejectStream(ctx *fasthttp.RequestCtx, err *signet.Error) *signet.Error {
	if _, drained := io.CopyN(io.Discard, ctx.Request.BodyStream(), maxDrain+1); drained != io.EOF {
		ctx.SetConnectionClose()
	}
	return err
}

// unsafeString is b as a string without copying: valid while b is unchanged.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// equalFoldASCII reports whether a and b are equal in any ASCII case (and
// only ASCII: unlike strings.EqualFold, "K" is not the Kelvin sign).
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
