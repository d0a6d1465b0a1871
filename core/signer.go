package signet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"slices"
	"strconv"
)

// Signer signs outgoing requests: it sets the headers (or query parameters)
// its scheme defines. It mutates r, so it is given a request the caller
// owns; signethttp.Transport clones the caller's request before signing.
// Sign must be safe for concurrent use (a Transport calls it from every
// goroutine that sends through it), as every signer of this package is.
type Signer interface {
	Sign(r *http.Request) error
}

// outgoing returns the Request view of a client request, as the server will
// see it.
func outgoing(r *http.Request) Request { return outgoingRequest{r} }

// checkSpellings refuses a header map holding a key that is not in
// canonical form (set by assigning to the map) for a header the signer
// signs or sets, as signs reports of the canonical name: net/http sends
// every key, so the server would receive values beside the signed ones.
func checkSpellings(h http.Header, signs func(canonical string) bool) error {
	for k := range h {
		if c := textproto.CanonicalMIMEHeaderKey(k); c != k && signs(c) {
			return fmt.Errorf("signet: the request's headers hold %q, which net/http sends beside %s: set it with Header.Set or Header.Add", k, c)
		}
	}
	return nil
}

// errNoURL is a signer's error for a request without a URL, which net/http
// could not send either.
var errNoURL = errors.New("signet: the request has no URL")

type outgoingRequest struct{ r *http.Request }

// Method returns the method net/http sends: GET for an empty one.
func (o outgoingRequest) Method() string {
	if o.r.Method == "" {
		return http.MethodGet
	}
	return o.r.Method
}

func (o outgoingRequest) Scheme() string {
	if o.r.URL.Scheme == "https" {
		return "https"
	}
	return "http"
}

func (o outgoingRequest) Host() string {
	if o.r.Host != "" {
		return o.r.Host
	}
	return o.r.URL.Host
}

func (o outgoingRequest) RequestURI() string { return o.r.URL.RequestURI() }

// Header returns the header's values as net/http will send them:
// Content-Length, which it writes from r.ContentLength and the body and
// never from r.Header (see contentLength); User-Agent, of which it sends
// the first value, and none for ""; any other value trimmed of spaces and
// tabs (Header.Write; it refuses to send line breaks).
func (o outgoingRequest) Header(name string) []string {
	switch name {
	case "Content-Length":
		if n, ok := o.contentLength(); ok {
			return []string{strconv.FormatInt(n, 10)}
		}
		return nil
	case "User-Agent":
		if ua := o.r.Header[name]; len(ua) > 0 && ua[0] != "" {
			return []string{sentValue(ua[0])}
		}
		return nil
	}
	values := o.r.Header[name]
	for i, v := range values {
		if sentValue(v) != v { // copied only when net/http changes one
			sent := slices.Clone(values)
			for j := i; j < len(sent); j++ {
				sent[j] = sentValue(sent[j])
			}
			return sent
		}
	}
	return values
}

// sentValue is a header value as net/http writes it: trimmed of spaces and
// tabs.
func sentValue(v string) string { return textproto.TrimString(v) }

// contentLength returns the Content-Length net/http sends for the request,
// as its transferWriter decides (newTransferWriter, Request.outgoingLength,
// shouldSendContentLength; HTTP/2's shouldSendReqContentLength agrees): none
// for a chunked body; the length of a body of known length; for a body of
// unknown length (ContentLength 0 or -1), none, Go sending it chunked, so
// the body is read first (as Body does, setting ContentLength) to make its
// length known; without a body, 0 for POST, PUT and PATCH only.
func (o outgoingRequest) contentLength() (int64, bool) {
	r := o.r
	hasBody := r.Body != nil && r.Body != http.NoBody
	if hasBody && len(r.TransferEncoding) > 0 && r.TransferEncoding[0] == "chunked" {
		return 0, false
	}
	if hasBody && r.ContentLength <= 0 {
		if _, err := o.Body(0); err != nil {
			return 0, false // the request cannot be sent
		}
	}
	switch n := r.ContentLength; {
	case hasBody && n > 0:
		return n, true
	case hasBody: // read and empty: Go still sends it chunked or probes it
		return 0, false
	}
	switch o.Method() {
	case http.MethodPost, http.MethodPut, http.MethodPatch:
		return 0, true
	}
	return 0, false
}

// Body reads the body the request will send and puts an identical, rewindable
// one in its place. The client's own body has no limit.
func (o outgoingRequest) Body(int64) ([]byte, error) {
	if o.r.Body == nil || o.r.Body == http.NoBody {
		return nil, nil
	}
	data, err := io.ReadAll(o.r.Body)
	o.r.Body.Close()
	if err != nil {
		return nil, err
	}
	o.r.ContentLength = int64(len(data))
	o.r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	o.r.Body, _ = o.r.GetBody()
	return data, nil
}

// checkSentHost refuses to sign a host net/http does not send as it is: a
// non-ASCII name, which net/http converts to punycode (the error names that
// form when core can compute it: signed-URL's browserSignedURLHost); an IPv6
// zone, which it drops; anything else but a host name with an optional
// port, which it sends as an empty Host.
func checkSentHost(host string) error {
	if isASCII(host) {
		if err := checkSignedURLHost(host); err != nil {
			return fmt.Errorf("signet: the request's host %q is not sent as it is: %w", host, err)
		}
		return nil
	}
	name, port := splitSignedURLHostPort(host)
	if canonical, ok := browserSignedURLHost(name); ok {
		return fmt.Errorf("signet: the request's host %q is not ASCII, and net/http sends it in its punycode form: sign for %q (set r.Host or the URL's host to it)", host, canonical+port)
	}
	return fmt.Errorf("signet: the request's host %q is not ASCII, and net/http sends it in its punycode (xn--) form: sign for that form", host)
}

// signingError makes an error of the code a signer shares with its verifier
// (building the signing string), worded there for the client a verifier
// answers, read as the signer's: prefixed, its kind kept for errors.Is.
func signingError(err error) error {
	var e *Error
	if errors.As(err, &e) {
		return fmt.Errorf("signet: cannot sign the request: %w", err)
	}
	return err
}
