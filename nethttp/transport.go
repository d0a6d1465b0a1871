package signethttp

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	signet "github.com/signet-go/signet/core"
)

// Transport is an http.RoundTripper that signs every request with Signer
// before Base sends it. The caller's request is never modified: Transport
// signs a clone.
//
// An http.Client sends each redirect through the Transport again. A redirect
// is signed again only when every hop so far stayed on the first request's
// origin (scheme, host and port); otherwise it is sent unsigned, so that no
// other server receives a signature it could replay to yours, nor steers
// a redirect back to yours to have a request of its choosing signed. The
// origins compared are the caller's URLs, not where a signer sent them (a
// SignwaySigner sends every request to its gateway): a Response's Request
// is the caller's request, as without signing.
type Transport struct {
	// Signer signs the outgoing requests. Required.
	Signer signet.Signer
	// Base sends the signed requests; nil means http.DefaultTransport.
	Base http.RoundTripper
}

// RoundTrip signs a clone of req and sends it.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.Signer == nil || req.URL == nil {
		closeBody(req)
		return nil, errors.New("signethttp: Transport needs a Signer and a request with a URL")
	}
	base := t.base()
	if !stayedHome(req) {
		return base.RoundTrip(req) // a redirect that went elsewhere: not for our signature
	}
	signed := req.Clone(req.Context())
	if err := t.Signer.Sign(signed); err != nil {
		closeBody(req)
		return nil, err
	}
	resp, err := base.RoundTrip(signed)
	if resp != nil {
		resp.Request = req // what a redirect of it is judged by (see stayedHome)
	}
	return resp, err
}

// CloseIdleConnections closes the idle connections of Base, if it can, as
// http.Client.CloseIdleConnections asks of its Transport.
func (t *Transport) CloseIdleConnections() {
	if c, ok := t.base().(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// base is the RoundTripper that sends the signed requests.
func (t *Transport) base() http.RoundTripper {
	if t.Base == nil {
		return http.DefaultTransport
	}
	return t.Base
}

// stayedHome reports whether req, and every request it is a redirect of,
// has the origin of the first one (RoundTrip makes each Response's Request
// the caller's). A redirect whose previous request is unknown has not.
func stayedHome(req *http.Request) bool {
	home := origin(req.URL)
	for r := req; r.Response != nil; r = r.Response.Request {
		if prev := r.Response.Request; prev == nil || prev.URL == nil || origin(prev.URL) != home {
			return false
		}
	}
	return true
}

// origin is u's scheme, host and port in one form: lower-cased, the default
// port written out, a trailing dot dropped, an IP address canonical.
func origin(u *url.URL) string {
	scheme, host, port := strings.ToLower(u.Scheme), strings.TrimSuffix(strings.ToLower(u.Hostname()), "."), u.Port()
	if addr, err := netip.ParseAddr(host); err == nil {
		host = addr.Unmap().String()
	}
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[scheme]
	}
	return scheme + "://" + net.JoinHostPort(host, port)
}

// closeBody closes req's body, as a RoundTripper must even when it fails.
func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}
