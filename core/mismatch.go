package signet

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// mismatchDetailer is a scheme that tells, for the Cause of an
// invalid_signature, what it bound besides the key: what a server's logs
// need to tell a wrong secret from a wrong origin or algorithm.
type mismatchDetailer interface {
	// mismatchDetail describes what the attempt bound ("" for nothing of
	// note), never a signature, a signing string or a header's value.
	mismatchDetail(a *attempt) string
}

// mismatch is the answer to a signature that none of secrets verified. The
// client learns only that; the Cause, for the server's logs, says what the
// verifier tried: how many keys, with which algorithms, and what the scheme
// bound (see mismatchDetailer). It runs the scheme's policy again to find
// the keys that were tried: this costs the failing requests only.
func (p *pipeline) mismatch(a *attempt, s scheme, secrets []Secret) *Error {
	var algorithms []string
	tried := 0
	for i := range secrets {
		sec := &secrets[i]
		if sec.Key != nil && sec.Key.emptySecret() || s.check(a, sec) != nil {
			continue
		}
		if tried++; !slices.Contains(algorithms, a.algorithm) {
			algorithms = append(algorithms, a.algorithm)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "signet: no key verified the signature: tried %d", tried)
	if tried < len(secrets) {
		fmt.Fprintf(&b, " of the %d", len(secrets))
	}
	if len(secrets) == 1 {
		b.WriteString(" key")
	} else {
		b.WriteString(" keys")
	}
	if a.keyID != AnyKeyID {
		fmt.Fprintf(&b, " of key id %.128q", a.keyID)
	}
	fmt.Fprintf(&b, ", with %s", strings.Join(algorithms, ", "))
	if d, ok := s.(mismatchDetailer); ok {
		if detail := d.mismatchDetail(a); detail != "" {
			b.WriteString("; ")
			b.WriteString(detail)
		}
	}
	return &Error{kind: ErrInvalidSignature, message: "the signature does not match the request", cause: errors.New(b.String())}
}

// mismatchDetail names the label a Cavage signature was sent with when the
// key chose the algorithm: hs2019, or none.
func (v *Cavage) mismatchDetail(a *attempt) string {
	switch label := a.params.algorithm; {
	case label == "":
		return "no algorithm was sent, so the key's pin or type chose it (a client signing with another algorithm needs the key pinned to it)"
	case equalLower(label, "hs2019"):
		return fmt.Sprintf("algorithm %q was sent, so the key's pin or type chose it (a client signing with another algorithm needs the key pinned to it)", label)
	}
	return ""
}

// mismatchDetail names the origin a signed URL's signature was bound to.
func (v *SignedURL) mismatchDetail(a *attempt) string {
	switch c := v.cfg; {
	case !c.bindOrigin:
		return ""
	case c.origin != "":
		return fmt.Sprintf("origin %q (SignedURLOrigin)", c.origin)
	}
	origin := appendSignedURLOrigin(nil, a.req.Scheme(), a.req.Host())
	return fmt.Sprintf("origin %.300q, from the request (SignedURLBindOrigin; behind a proxy, use SignedURLOrigin)", origin)
}

// mismatchDetail names the origin a pysigned URL's signature was bound to.
func (v *Pysigned) mismatchDetail(a *attempt) string {
	var u pyURL
	if v.cfg.requestURL(a.req, &u) != nil { // parse read it: never
		return ""
	}
	origin := u.scheme + "://" + u.netloc
	if v.cfg.origin {
		return fmt.Sprintf("origin %q (PysignedOrigin)", origin)
	}
	return fmt.Sprintf("origin %.300q, from the request (behind a proxy, use PysignedOrigin)", origin)
}
