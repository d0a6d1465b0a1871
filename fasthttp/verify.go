package signetfasthttp

import (
	"context"
	"sync"

	"github.com/valyala/fasthttp"

	signet "github.com/signet-go/signet/core"
)

// Verify verifies the request of rc with v and, when it verifies, stores
// its Result on rc (a user value: fiber's c.Locals), read back with Result
// and Credentials. It is New's work, for adapters of frameworks built on
// fasthttp (package signetfiber uses it); ctx is handed to the verifier,
// server is the server that read the request (nil: fasthttp's defaults).
//
// Before verifying, it answers 400 malformed_signature to the requests the
// package doc lists: those fasthttp reads otherwise than net/http, and
// those the app would read otherwise than the verifier. It then closes the
// connection after the answer, as it does after any error that leaves a
// streamed body unread. For a request whose target is an absolute URI, it
// sets the Host header to that URI's host, as a server must read it (RFC
// 9112 §3.2.2) and as net/http does, so that the app reads the host
// verified.
//
// The verifier reads the request through a pooled view over fasthttp's own
// buffers and verifies into a pooled Result, which goes back to the pool
// when fasthttp is done with the request (it closes rc's user values then):
// a verifier of package signet allocates nothing for an HMAC scheme without
// a body.
func Verify(ctx context.Context, rc *fasthttp.RequestCtx, v signet.IntoVerifier, server *fasthttp.Server) *signet.Error {
	vf := verifications.Get().(*verification)
	r := &vf.view
	r.open(rc, server)
	if err := r.refusal(); err != nil {
		r.close()
		verifications.Put(vf)
		rc.SetConnectionClose() // fasthttp may have framed the request otherwise than the client
		return err
	}
	r.setHostFromTarget()
	err := signet.AsError(v.VerifyInto(ctx, r, &vf.res))
	if err != nil && rc.Request.IsBodyStream() && !r.streamRead {
		// fasthttp before v1.78 would read the rest of the body as the
		// next request
		rc.SetConnectionClose()
	}
	r.close() // the view's strings alias fasthttp's buffers: not past Verify
	if err != nil {
		verifications.Put(vf) // its Result untouched by a failed verification
		return err
	}
	rc.SetUserValue(resultKey{}, vf) // fasthttp calls vf.Close once the request is done
	return nil
}

func (r *request) refusal() *signet.Error {
	// In net/http's order: the Host, the target, then the framing.
	if err := r.block.Refusal(true); err != nil { // as HTTP/1.1: a repeated Host only
		return err
	}
	if !r.targetAgrees() {
		return errTarget
	}
	if err := r.block.Refusal(r.ctx.Request.Header.IsHTTP11()); err != nil {
		return err
	}
	if r.trailersAdded() { // a streamed body's are read later, with it (see Body)
		return errTrailers
	}
	return nil
}

// errTarget answers a request whose target is neither origin-form ("/…")
// nor "*", unless it is an absolute URI net/http reads (url.ParseRequestURI)
// with the host fasthttp reads from it, the one URI().Host() (fiber's
// c.Hostname()) gives the app (their cases aside). net/http answers 400 a
// target it cannot parse; for one it can, fasthttp may read another host
// (it ends the host at the first '/' only, not at '?' or '#'; before v1.68
// it takes what follows the first '@', not the last), which the app would
// serve while the signature was checked against the host net/http reads.
// This refuses an authority-form target ("CONNECT host:443") too: fasthttp
// reads the Host header's host for it.
var errTarget = signet.NewError(signet.ErrMalformed, "the request-target is not a path or an absolute URI whose host fasthttp reads as written")

// verification is what Verify pools: the view it reads a request through
// and the Result it verifies into. A verified request's is its user value,
// pooled again when fasthttp is done with the request (it removes every
// user value then, calling Close on those that are io.Closers).
type verification struct {
	res  signet.Result
	view request
}

var verifications = sync.Pool{New: func() any { return new(verification) }}

// Close drops the Result's credentials and pools vf.
func (vf *verification) Close() error {
	vf.res = signet.Result{}
	verifications.Put(vf)
	return nil
}

// resultKey is the user-value key of the *signet.Result; an unexported
// type, so no other package's key can collide with it.
type resultKey struct{}

// Result returns the verification result Verify stored on rc.
//
// It is valid while fasthttp serves the request: Verify pools it and reuses
// it for another request once this one is done, as fasthttp reuses rc. To
// keep it longer, copy it (kept := *res): the copy's strings, Covered and
// Details stay valid.
func Result(rc *fasthttp.RequestCtx) (*signet.Result, bool) {
	vf, ok := rc.UserValue(resultKey{}).(*verification)
	if !ok || vf == nil {
		return nil, false
	}
	return &vf.res, true
}

// SetResult stores a copy of res on rc as Verify stores a verified
// request's, for tests of handlers that read Result and Credentials
// without signing requests.
func SetResult(rc *fasthttp.RequestCtx, res signet.Result) {
	rc.SetUserValue(resultKey{}, &verification{res: res})
}

// Credentials returns the verified caller's credentials (the matching
// signet.Secret's Credentials) when they are of type T: the dynamic type
// stored there, or an interface it implements (a Client value is not found
// as *Client, nor the reverse).
func Credentials[T any](rc *fasthttp.RequestCtx) (T, bool) {
	res, _ := Result(rc)
	return signet.CredentialsOf[T](res)
}
