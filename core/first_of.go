package signet

import (
	"context"
	"errors"
	"fmt"
)

// FirstOf is a verifier of several schemes on one route: a request is
// verified by the first of its verifiers whose signature it carries. It
// serves clients moving from one scheme to another, or a route taking both
// signed requests and signed URLs.
type FirstOf struct {
	verifiers []IntoVerifier
}

// NewFirstOf returns a verifier trying each of vs in turn while they answer
// ErrMissingSignature: the first to find its signature answers, verified or
// not (a request whose Cavage signature fails is never tried as a signed
// URL). A request none of them finds a signature in gets the first one's
// answer, so put first the verifier whose answer to an unsigned request
// should go out (a Cavage verifier's 401 carries its challenge).
// Result.Scheme says which verified the request. A request costs the
// verifier that answers it, and the error of each one before it (a few
// allocations).
//
// Each verifier must look for its signature where the others do not:
// SASigning's default header, Signature, is where Cavage reads a signature
// sent without Authorization, so beside a Cavage verifier an SASigning one
// needs another header (SASigningHeader), which NewFirstOf checks.
func NewFirstOf(vs ...Verifier) (*FirstOf, error) {
	if len(vs) == 0 {
		return nil, errors.New("signet: NewFirstOf needs at least one Verifier")
	}
	f := &FirstOf{verifiers: make([]IntoVerifier, len(vs))}
	cavage, sasigningHeader := false, ""
	for i, v := range vs {
		if err := CheckVerifier(v); err != nil {
			return nil, fmt.Errorf("signet: NewFirstOf's verifier %d: %w", i, err)
		}
		switch v := v.(type) {
		case *Cavage:
			cavage = true
		case *SASigning:
			sasigningHeader = v.cfg.header
		}
		f.verifiers[i] = AsIntoVerifier(v)
	}
	if cavage && (sasigningHeader == "Signature" || sasigningHeader == "Authorization") {
		return nil, fmt.Errorf("signet: NewFirstOf: SASigning reads its signature from the %s header, where Cavage reads one too: give SASigning another header (SASigningHeader)", sasigningHeader)
	}
	return f, nil
}

// Verify verifies r with the first verifier that finds its signature.
func (f *FirstOf) Verify(ctx context.Context, r Request) (*Result, error) {
	var first error
	for _, v := range f.verifiers {
		res, err := v.Verify(ctx, r)
		if !errors.Is(err, ErrMissingSignature) {
			return res, err
		}
		if first == nil {
			first = err
		}
	}
	return nil, first
}

// VerifyInto is Verify into res (see IntoVerifier).
func (f *FirstOf) VerifyInto(ctx context.Context, r Request, res *Result) error {
	var first error
	for _, v := range f.verifiers {
		err := v.VerifyInto(ctx, r, res)
		if !errors.Is(err, ErrMissingSignature) {
			return err
		}
		if first == nil {
			first = err
		}
	}
	return first
}
