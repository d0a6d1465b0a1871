package signet

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// Sentinel errors. Every error a verifier returns is an *Error wrapping exactly
// one of them, so callers can branch with errors.Is. The comment after each
// is the status and machine code (Error.Code) it answers with.
var (
	ErrMissingSignature     = errors.New("missing signature")       // 401 missing_signature
	ErrMalformed            = errors.New("malformed signature")     // 400 malformed_signature
	ErrUnknownKey           = errors.New("unknown key")             // 401 unknown_key
	ErrUnsupportedAlgorithm = errors.New("unsupported algorithm")   // 400 unsupported_algorithm
	ErrInvalidSignature     = errors.New("invalid signature")       // 401 invalid_signature
	ErrExpired              = errors.New("signature expired")       // 401 expired
	ErrNotYetValid          = errors.New("signature not yet valid") // 401 not_yet_valid
	ErrMissingHeader        = errors.New("missing required header") // 400 missing_required_header
	ErrDigestMismatch       = errors.New("digest mismatch")         // 400 digest_mismatch
	ErrBodyTooLarge         = errors.New("body too large")          // 413 body_too_large
	ErrReplayed             = errors.New("replayed request")        // 401 replayed
	// ErrUnavailable reports that a KeyStore or NonceStore failed (a
	// database down, say) or returned a secret that verifies nothing: the
	// server's fault, not the client's.
	ErrUnavailable = errors.New("verification unavailable") // 503 verification_unavailable
)

// errorKinds maps each sentinel to its stable machine code and HTTP status.
// It is the only place where statuses are decided.
var errorKinds = map[error]struct {
	code   string
	status int
}{
	ErrMissingSignature:     {"missing_signature", http.StatusUnauthorized},
	ErrMalformed:            {"malformed_signature", http.StatusBadRequest},
	ErrUnknownKey:           {"unknown_key", http.StatusUnauthorized},
	ErrUnsupportedAlgorithm: {"unsupported_algorithm", http.StatusBadRequest},
	ErrInvalidSignature:     {"invalid_signature", http.StatusUnauthorized},
	ErrExpired:              {"expired", http.StatusUnauthorized},
	ErrNotYetValid:          {"not_yet_valid", http.StatusUnauthorized},
	ErrMissingHeader:        {"missing_required_header", http.StatusBadRequest},
	ErrDigestMismatch:       {"digest_mismatch", http.StatusBadRequest},
	ErrBodyTooLarge:         {"body_too_large", http.StatusRequestEntityTooLarge},
	ErrReplayed:             {"replayed", http.StatusUnauthorized},
	ErrUnavailable:          {"verification_unavailable", http.StatusServiceUnavailable},
}

// Error is the error every verifier returns: a sentinel (see Unwrap), a
// message safe to show the client, and for 401 answers of schemes that
// define one, a WWW-Authenticate challenge. Messages never contain secrets,
// expected signatures or canonical strings.
type Error struct {
	kind      error
	message   string
	challenge string
	cause     error // see Cause
}

// NewError returns an *Error of kind, one of the sentinels above, with a
// message for the client; for custom verifiers and key stores. Any other kind
// becomes ErrUnavailable.
func NewError(kind error, message string) *Error {
	if _, ok := errorKinds[kind]; !ok {
		kind = ErrUnavailable
	}
	return &Error{kind: kind, message: message}
}

func newError(kind error, format string, args ...any) *Error {
	return &Error{kind: kind, message: fmt.Sprintf(format, args...)}
}

// Error returns the human-readable message.
func (e *Error) Error() string { return e.message }

// Unwrap returns the sentinel, so errors.Is(err, ErrExpired) works.
func (e *Error) Unwrap() error { return e.kind }

// Cause is what lies behind e, for the server's logs:
//   - behind ErrUnavailable, the error a KeyStore or a NonceStore returned
//     (a database down, say) or a verifier outside this package returned;
//     or why a secret a KeyStore returned verifies nothing (empty, or
//     pinned to no algorithm name of the scheme), with its key id;
//   - the read error of a body that could not be read;
//   - behind ErrInvalidSignature, what the verifier tried: how many keys,
//     with which algorithms, the label a Cavage signature left the key to
//     resolve (hs2019 or none), the origin a signed URL or a pysigned URL
//     was bound to (the request's Host, when bound to the request's), the
//     path prefix put back (CavagePathPrefix, SignedURLPathPrefix,
//     PysignedPathPrefix); never a signature, a signing string or another
//     header's value.
//
// It is nil otherwise, never part of the client's answer (Error,
// MarshalJSON), and not wrapped (errors.Is matches e's sentinel only).
func (e *Error) Cause() error { return e.cause }

// Code is the stable machine-readable code, e.g. "invalid_signature".
func (e *Error) Code() string { return e.info().code }

// Status is the HTTP status to answer with (4xx for every client mistake).
func (e *Error) Status() int { return e.info().status }

// info is the code and status of e's kind; an Error not made by this
// package (its zero value) is answered as AsError answers it.
func (e *Error) info() struct {
	code   string
	status int
} {
	if k, ok := errorKinds[e.kind]; ok {
		return k
	}
	return errorKinds[ErrUnavailable]
}

// Challenge is the WWW-Authenticate value to send with the answer, or "".
func (e *Error) Challenge() string {
	if e.Status() != http.StatusUnauthorized {
		return ""
	}
	return e.challenge
}

// SetHeaders calls set with each header field the answer to e carries
// besides its body: WWW-Authenticate when e has a challenge, and
// X-Content-Type-Options: nosniff. An adapter passes its framework's setter
// (w.Header().Set, c.Header, c.Set).
func (e *Error) SetHeaders(set func(name, value string)) {
	if c := e.Challenge(); c != "" {
		set("WWW-Authenticate", c)
	}
	set("X-Content-Type-Options", "nosniff")
}

// MarshalJSON renders the error body every adapter sends:
// {"error": code, "message": message}.
func (e *Error) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}{e.Code(), e.message})
}

// AsError returns err as an *Error. Errors that did not come from signet
// (which verifiers of this package never return) become an ErrUnavailable
// server error with err as its Cause; a nil *Error and an Error not made by
// NewError (its zero value) become one too, so an adapter always has a
// status and a code to answer with. A nil err (no failure) is nil.
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	switch {
	case !errors.As(err, &e):
		return &Error{kind: ErrUnavailable, message: "the request could not be verified", cause: err}
	case e != nil:
		if _, ok := errorKinds[e.kind]; ok {
			return e
		}
	}
	return &Error{kind: ErrUnavailable, message: "the request could not be verified"}
}
