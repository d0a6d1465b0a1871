package signet

import (
	"context"
	"errors"
	"fmt"
)

// FirstOf is a verifier of several schemes, or several key stores, on one
// route: a request is accepted when one of its verifiers accepts it. It
// serves clients moving from one scheme to another, a route taking both
// signed requests and signed URLs, or keys kept in two stores.
type FirstOf struct {
	verifiers []IntoVerifier
}

// NewFirstOf returns a verifier that tries each of vs in turn. The first to
// accept the request answers with its Result (Result.Scheme says which).
// When none accepts it, the answer is the first error other than
// missing_signature (from the first verifier that found its signature, or
// refused the request before looking for one); when every verifier found
// no signature, the first verifier's missing_signature. So put first the
// verifier whose answer unsigned requests should get (a Cavage 401 carries
// its challenge). Each refusal costs a verification: a request the second
// verifier accepts pays for the first, a forged one for all. A FirstOf
// among vs is flattened into its verifiers.
//
// Each verifier must look for its signature where the others do not, so
// that the answer to a bad signature comes from its scheme: SASigning's
// default header, Signature, is where Cavage reads a signature sent
// without Authorization, so beside a Cavage verifier an SASigning one needs
// another header (SASigningHeader), which NewFirstOf checks. A verifier
// outside this package should answer NewError(ErrMissingSignature, …) when
// it finds no signature.
func NewFirstOf(vs ...Verifier) (*FirstOf, error) {
	f := new(FirstOf)
	for i, v := range vs {
		if err := CheckVerifier(v); err != nil {
			return nil, fmt.Errorf("signet: NewFirstOf's verifier %d: %w", i, err)
		}
		if nested, ok := v.(*FirstOf); ok {
			f.verifiers = append(f.verifiers, nested.verifiers...)
		} else {
			f.verifiers = append(f.verifiers, AsIntoVerifier(v))
		}
	}
	if len(f.verifiers) == 0 {
		return nil, errors.New("signet: NewFirstOf needs at least one Verifier")
	}
	cavageReads := map[string]bool{}
	for _, v := range f.verifiers {
		if c, ok := v.(*Cavage); ok {
			cavageReads["Authorization"] = true
			cavageReads["Signature"] = cavageReads["Signature"] || c.cfg.dialect == DialectDraft
		}
	}
	for _, v := range f.verifiers {
		if s, ok := v.(*SASigning); ok && cavageReads[s.cfg.header] {
			return nil, fmt.Errorf("signet: NewFirstOf: an SASigning verifier reads its signature from the %s header, where Cavage reads one too: give it another header (SASigningHeader)", s.cfg.header)
		}
	}
	return f, nil
}

// Verify returns the Result of the first verifier accepting r, or the
// error NewFirstOf describes.
func (f *FirstOf) Verify(ctx context.Context, r Request) (*Result, error) {
	var answer *Error
	for _, v := range f.verifiers {
		res, err := v.Verify(ctx, r)
		if err == nil && res != nil {
			return res, nil
		}
		answer = rather(answer, refusalOf(err))
	}
	return nil, refusal(answer)
}

// VerifyInto is Verify into res (see IntoVerifier).
func (f *FirstOf) VerifyInto(ctx context.Context, r Request, res *Result) error {
	var answer *Error
	for _, v := range f.verifiers {
		err := v.VerifyInto(ctx, r, res)
		if err == nil {
			return nil
		}
		answer = rather(answer, refusalOf(err))
	}
	return refusal(answer)
}

// refusalOf is a verifier's refusal as VerifyRequest makes it (AsError, and
// errNoResult for neither a Result nor an error), without AsError's
// allocation for the errors of signet's verifiers.
func refusalOf(err error) *Error {
	if e, ok := err.(*Error); ok && e != nil {
		if _, known := errorKinds[e.kind]; known {
			return e
		}
	}
	if err == nil {
		return errNoResult
	}
	return AsError(err)
}

// rather returns the answer to give of answer, from the verifiers before,
// and err, from the next: the first error that is not missing_signature,
// else the first.
func rather(answer, err *Error) *Error {
	if answer == nil || answer.kind == ErrMissingSignature && err.kind != ErrMissingSignature {
		return err
	}
	return answer
}

// refusal is the error for answer, which is nil only for a FirstOf that
// NewFirstOf did not build.
func refusal(answer *Error) error {
	if answer == nil {
		return errNoVerifiers
	}
	return answer
}

var errNoVerifiers = &Error{kind: ErrUnavailable, message: "the request could not be verified",
	cause: errors.New("signet: a FirstOf without verifiers: build it with NewFirstOf")}
