package signet

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
)

// Signer signs outgoing requests: it sets the headers (or query parameters)
// its scheme defines. It mutates r, so it is given a request the caller
// owns; signethttp.Transport clones the caller's request before signing.
type Signer interface {
	Sign(r *http.Request) error
}

// outgoing returns the Request view of a client request, as the server will
// see it.
func outgoing(r *http.Request) Request { return outgoingRequest{r} }

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

// Header returns the header's values; Content-Length, which a client request
// keeps in r.ContentLength, is reported as the request will send it.
func (o outgoingRequest) Header(name string) []string {
	if name == "Content-Length" && o.r.Header[name] == nil && o.r.ContentLength > 0 {
		return []string{strconv.FormatInt(o.r.ContentLength, 10)}
	}
	return o.r.Header[name]
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
