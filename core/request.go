package signet

import (
	"errors"
	"io"
	"net/http"
)

// Request is the narrow, framework-neutral view of an incoming request that
// verifiers read. Adapters implement it over their framework's request; use
// FromHTTP for net/http (and so gin and echo).
//
// Strings and slices it returns may alias the framework's memory: they are
// valid only while Verify runs and must not be modified. Whatever outlives
// Verify is copied by the verifier.
//
// Adapters implement Request, so it will not gain methods: a capability a
// later scheme needs will be an optional interface that verifiers look for,
// as IntoVerifier is for verifiers.
type Request interface {
	// Method is the request method as received (not case-folded).
	Method() string
	// Scheme is "https" when the connection was TLS, else "http".
	Scheme() string
	// Host is the Host header (or HTTP/2 :authority) as received.
	Host() string
	// RequestURI is the raw request-target, path and query undecoded,
	// exactly as received.
	RequestURI() string
	// Header returns every value of the header, in order. name is in
	// canonical form (see net/textproto.CanonicalMIMEHeaderKey).
	Header(name string) []string
	// Body returns the whole body, reading at most limit bytes, and leaves
	// it readable for the handler. A body over the limit is an *Error
	// wrapping ErrBodyTooLarge. Repeated calls return the same bytes.
	Body(limit int64) ([]byte, error)
}

// FromHTTP returns the Request view of r. It does not allocate. Body, when
// called, replaces r.Body with an in-memory copy so the handler can read it.
func FromHTTP(r *http.Request) Request { return httpRequest{r} }

// BufferedBody returns the body a verifier read from r through FromHTTP and
// left in memory for the handler, so an adapter can hand the same bytes to
// its framework (gin's BodyBytesKey, say) instead of reading twice.
func BufferedBody(r *http.Request) ([]byte, bool) {
	b, ok := r.Body.(*bufferedBody)
	if !ok {
		return nil, false
	}
	return b.data, true
}

// httpRequest is the view of an *http.Request. A struct of one pointer is
// stored in an interface without allocating.
type httpRequest struct{ r *http.Request }

func (h httpRequest) Method() string { return h.r.Method }

func (h httpRequest) Scheme() string {
	if h.r.TLS != nil {
		return "https"
	}
	return "http"
}

func (h httpRequest) Host() string { return h.r.Host }

func (h httpRequest) RequestURI() string {
	if h.r.RequestURI != "" {
		return h.r.RequestURI
	}
	return h.r.URL.RequestURI() // an outgoing request, e.g. in a test
}

func (h httpRequest) Header(name string) []string { return h.r.Header[name] }

func (h httpRequest) Body(limit int64) ([]byte, error) {
	return h.body(limit, func() (*bufferedBody, []byte) { return new(bufferedBody), nil })
}

// body is Body, keeping a body it reads for the handler in the storage
// spare returns, called only then: the reader and room for the bytes of a
// small body, allocated with something else (see httpView).
func (h httpRequest) body(limit int64, spare func() (*bufferedBody, []byte)) ([]byte, error) {
	switch b := h.r.Body.(type) {
	case nil:
		return nil, nil
	case *bufferedBody: // read by an earlier verifier, under its own limit
		if int64(len(b.data)) > limit {
			return nil, BodyTooLarge(limit)
		}
		return b.data, nil
	}
	if h.r.Body == http.NoBody {
		return nil, nil
	}
	if h.r.ContentLength > limit { // before anything is allocated or read
		return nil, BodyTooLarge(limit)
	}
	b, room := spare()
	data, err := readBody(h.r.Body, h.r.ContentLength, limit, room)
	h.r.Body.Close()
	if err != nil {
		return nil, err
	}
	b.data, b.off = data, 0
	h.r.Body = b
	return data, nil
}

// bufferedBody is a request body already read for verification and handed to
// the handler from memory.
type bufferedBody struct {
	data []byte
	off  int // what the handler has read
}

func (b *bufferedBody) Read(p []byte) (int, error) {
	if b.off >= len(b.data) {
		return 0, io.EOF
	}
	n := copy(p, b.data[b.off:])
	b.off += n
	return n, nil
}

// WriteTo lets io.Copy write the rest of the body without a buffer.
func (b *bufferedBody) WriteTo(w io.Writer) (int64, error) {
	n, err := w.Write(b.data[b.off:])
	b.off += n
	return int64(n), err
}

func (*bufferedBody) Close() error { return nil }

// httpView is the Request the pipeline hands the schemes for a FromHTTP
// request (see pipeline.run): the same view, except that the reader of a
// body it buffers is allocated with the Result (resultWithBody), one
// allocation less per request with a body, and so are the bytes of a small
// body when the Result has room for them (see resultAllocator).
type httpView attempt

func (v *httpView) Method() string              { return v.http.Method() }
func (v *httpView) Scheme() string              { return v.http.Scheme() }
func (v *httpView) Host() string                { return v.http.Host() }
func (v *httpView) RequestURI() string          { return v.http.RequestURI() }
func (v *httpView) Header(name string) []string { return v.http.Header(name) }

func (v *httpView) Body(limit int64) ([]byte, error) {
	a := (*attempt)(v)
	return a.http.body(limit, a.bodyStorage)
}

// ReadBody reads a request body for a verifier as FromHTTP's Body does, for
// adapters over frameworks that stream bodies: all of body, or an *Error
// wrapping ErrBodyTooLarge beyond limit bytes (or ErrMalformed when it
// fails to read). contentLength is the announced length, -1 when unknown.
// However large it is, the buffer starts at 64 KiB at most and grows with
// the bytes received (to 4 times as many, and exactly to the announced
// length at last), so that a client announcing a large body and sending
// little makes the server reserve little.
func ReadBody(body io.Reader, contentLength, limit int64) ([]byte, error) {
	if contentLength > limit {
		return nil, BodyTooLarge(limit)
	}
	return readBody(body, contentLength, limit, nil)
}

// readBody is ReadBody, for a contentLength no more than limit: a body
// announced shorter than room is read there, any other into a buffer of
// its own. The bytes returned have no spare capacity, so that appending to
// them never writes into room.
func readBody(body io.Reader, contentLength, limit int64, room []byte) ([]byte, error) {
	var buf []byte
	switch {
	case 0 <= contentLength && contentLength < int64(len(room)):
		buf = room[: 0 : contentLength+1] // +1: room to see EOF without growing
	case contentLength >= 0:
		buf = make([]byte, 0, min(contentLength, bodyChunk)+1)
	default:
		buf = make([]byte, 0, min(limit, 512)+1)
	}
	for {
		n, err := body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return nil, BodyTooLarge(limit)
		}
		if err == io.EOF {
			return buf[:len(buf):len(buf)], nil
		}
		if err != nil {
			return nil, bodyReadError(err, limit)
		}
		if len(buf) == cap(buf) {
			next := 2 * len(buf)
			if contentLength >= int64(len(buf)) { // the rest is announced: fewer copies
				next = int(min(4*int64(len(buf)), contentLength+1))
			}
			grown := make([]byte, len(buf), next) // exactly: never past the announced length
			copy(grown, buf)
			buf = grown
		}
	}
}

// bodyChunk is the most readBody allocates for a body ahead of its bytes.
const bodyChunk = 64 << 10

// bodyReadError is the answer to a body that failed to read: too large, if
// a limit the server set before the verifier (http.MaxBytesReader) cut it
// off; else malformed, with err as its cause.
func bodyReadError(err error, limit int64) *Error {
	if tooLarge := new(http.MaxBytesError); errors.As(err, &tooLarge) {
		return newError(ErrBodyTooLarge, "the request body is larger than the %d bytes this server accepts", min(tooLarge.Limit, limit))
	}
	return &Error{kind: ErrMalformed, message: "the request body could not be read", cause: err}
}

// BodyTooLarge is the *Error a Request's Body returns for a body over limit
// bytes (413 body_too_large); a limit of 0 or less stands for one the server
// set before the verifier, of a size the adapter does not know.
func BodyTooLarge(limit int64) *Error {
	if limit <= 0 {
		return &Error{kind: ErrBodyTooLarge, message: "the request body is larger than this server accepts"}
	}
	return newError(ErrBodyTooLarge, "the request body is larger than the %d bytes this server verifies", limit)
}
