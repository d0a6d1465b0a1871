package signet

import (
	"context"
	"time"
)

// Result describes a verified request. Its fields are owned by the Result
// (nothing aliases the request), so it may outlive the request. A Result
// filled by IntoVerifier.VerifyInto belongs to whoever provided it: see
// there how long it stays valid.
//
// A Result from Verify has an unexported field (the context allocated with
// it), so compare Results field by field (go-cmp: cmpopts.IgnoreUnexported),
// and to keep one long after its request, copy the exported fields into a
// new Result: a copy of the whole struct keeps the request's context
// reachable.
type Result struct {
	// Scheme names the scheme that verified the request: SchemeSASigning,
	// SchemeCavage, SchemeSignway, SchemePysigned or SchemeSignedURL.
	Scheme string
	// KeyID is the id of the Secret that verified the request.
	KeyID string
	// Algorithm is the algorithm that verified it, e.g. "hmac-sha256".
	Algorithm string
	// Credentials are the matching Secret's credentials.
	Credentials any
	// Covered lists what the signature covers, in the scheme's own names
	// (header names, fields or components), in signing order. It may be
	// shared between results: read it, do not modify it.
	Covered []string
	// Created and Expires are the signature's validity window, when the
	// scheme carries one (zero otherwise).
	Created, Expires time.Time
	// Details holds what only one scheme reports: *SignwayDetails for
	// Signway, nil for the other schemes.
	Details any

	home *resultContext // the context allocated with this Result, if any
}

// The schemes' names, as Result.Scheme reports them.
const (
	SchemeSASigning = "sasigning"
	SchemeCavage    = "cavage"
	SchemeSignway   = "signway"
	SchemePysigned  = "pysigned"
	SchemeSignedURL = "signedurl"
)

// resultContext is a context carrying a Result, allocated together with it
// by Verify so that putting the Result on the request's context costs
// nothing more.
type resultContext struct {
	context.Context
	res Result
}

// resultWithBody is a resultContext allocated together with the reader of
// the request body the verifier buffered (see httpView), so that buffering
// costs only the bytes.
type resultWithBody struct {
	ctx  resultContext
	body bufferedBody
}

func (c *resultContext) Value(key any) any {
	if key == (resultKey{}) {
		return &c.res
	}
	return c.Context.Value(key)
}

// resultKey is the context key of a *Result; unexported so no other package
// can collide with it.
type resultKey struct{}

// NewContext returns a copy of ctx carrying r. For the Result a verifier
// returned, with the context it was given, that costs no allocation.
func NewContext(ctx context.Context, r *Result) context.Context {
	if r != nil && r.home != nil && &r.home.res == r && sameContext(r.home.Context, ctx) {
		return r.home
	}
	return context.WithValue(ctx, resultKey{}, r)
}

// sameContext compares contexts by identity; a context of an
// uncomparable type is never the same.
func sameContext(a, b context.Context) (same bool) {
	defer func() { _ = recover() }()
	return a == b
}

// ResultFrom returns the Result a middleware put on ctx.
func ResultFrom(ctx context.Context) (*Result, bool) {
	r, ok := ctx.Value(resultKey{}).(*Result)
	return r, ok && r != nil
}

// CredentialsFrom returns the verified caller's credentials from ctx when they
// are of type T: the dynamic type stored in Secret.Credentials, or an
// interface it implements (a Client value is not found as *Client, nor the
// reverse).
func CredentialsFrom[T any](ctx context.Context) (T, bool) {
	r, _ := ResultFrom(ctx)
	return CredentialsOf[T](r)
}

// CredentialsOf returns r's credentials when r is not nil and they are of
// type T; adapters build their typed accessors on it. T is the dynamic type
// stored in Secret.Credentials or an interface it implements: a Client
// value is not found as *Client, nor the reverse.
func CredentialsOf[T any](r *Result) (T, bool) {
	if r == nil {
		var zero T
		return zero, false
	}
	c, ok := r.Credentials.(T)
	return c, ok
}
