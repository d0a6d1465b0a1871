package signethttp

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	signet "github.com/signet-go/signet/core"
)

// Transport is an http.RoundTripper that signs every request with Signer
// before Base sends it. The caller's request is never modified: Transport
// signs a clone.
//
// An http.Client sends each redirect through the Transport again. A redirect
// that stays on the first request's scheme and host is signed again; one to
// another origin is sent unsigned, as the client drops Authorization there,
// so that no other server receives a signature it could replay to yours.
type Transport struct {
	// Signer signs the outgoing requests. Required.
	Signer signet.Signer
	// Base sends the signed requests; nil means http.DefaultTransport.
	Base http.RoundTripper
}

// RoundTrip signs a clone of req and sends it.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.Signer == nil {
		closeBody(req)
		return nil, errors.New("signethttp: Transport has no Signer")
	}
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	if !sameOrigin(req.URL, firstRequest(req).URL) {
		return base.RoundTrip(req) // a redirect elsewhere: not for our signature
	}
	signed := req.Clone(req.Context())
	if err := t.Signer.Sign(signed); err != nil {
		closeBody(req)
		return nil, err
	}
	return base.RoundTrip(signed)
}

// firstRequest returns the request the client was asked to send, which req
// is a redirect of (or req itself).
func firstRequest(req *http.Request) *http.Request {
	for req.Response != nil && req.Response.Request != nil {
		req = req.Response.Request
	}
	return req
}

// sameOrigin reports whether a and b have the same scheme and host (port
// included), ignoring case.
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Host, b.Host)
}

// closeBody closes req's body, as a RoundTripper must even when it fails.
func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}
