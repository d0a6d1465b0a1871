package signethttp

import (
	"errors"
	"net/http"

	signet "github.com/signet-go/signet/core"
)

// Transport is an http.RoundTripper that signs every request with Signer
// before Base sends it. The caller's request is never modified: Transport
// signs a clone.
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
	signed := req.Clone(req.Context())
	if err := t.Signer.Sign(signed); err != nil {
		closeBody(req)
		return nil, err
	}
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	return base.RoundTrip(signed)
}

// closeBody closes req's body, as a RoundTripper must even when it fails.
func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}
