package signet

import (
	"slices"
	"strconv"
)

// mismatchDetailer is a scheme that tells, for the Cause of an
// invalid_signature, what it bound besides the key: what a server's logs
// need to tell a wrong secret from a wrong origin or algorithm.
type mismatchDetailer interface {
	// appendMismatchDetail appends to dst what the attempt bound (nothing
	// for nothing of note), never a signature, a signing string or a
	// header's value but the Host.
	appendMismatchDetail(dst []byte, a *attempt) []byte
}

// mismatch is the answer to a signature that none of secrets verified. The
// client learns only that; the Cause, for the server's logs, says what the
// verifier tried: how many keys, with which algorithms, and what the scheme
// bound (see mismatchDetailer). It runs the scheme's policy again to find
// the keys that were tried (check sets only the attempt's algorithm), so
// that the requests that verify pay nothing for it; the text is built with
// appends, not fmt, as a flood of bad requests pays for it.
func (p *pipeline) mismatch(a *attempt, s scheme, secrets []Secret) *Error {
	var distinct [4]string // the algorithms tried: a few at most
	algorithms, tried := distinct[:0], 0
	for i := range secrets {
		sec := &secrets[i]
		if sec.Key.unusable() != "" || s.check(a, sec) != nil {
			continue
		}
		if tried++; !slices.Contains(algorithms, a.algorithm) {
			algorithms = append(algorithms, a.algorithm)
		}
	}
	b := make([]byte, 0, 384) // room for the longest details
	b = append(b, "signet: no key verified the signature: tried "...)
	b = strconv.AppendInt(b, int64(tried), 10)
	if tried < len(secrets) {
		b = append(b, " of the "...)
		b = strconv.AppendInt(b, int64(len(secrets)), 10)
	}
	if len(secrets) == 1 {
		b = append(b, " key"...)
	} else {
		b = append(b, " keys"...)
	}
	if a.keyID != AnyKeyID {
		b = appendQuoted(append(b, " of key id "...), a.keyID, 128)
	}
	b = append(b, ", with "...)
	for i, alg := range algorithms {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, alg...)
	}
	if d, ok := s.(mismatchDetailer); ok {
		n := len(b) + len("; ")
		if b = d.appendMismatchDetail(append(b, "; "...), a); len(b) == n { // nothing of note
			b = b[:n-len("; ")]
		}
	}
	return &Error{kind: ErrInvalidSignature, message: "the signature does not match the request", cause: &mismatchCause{b}}
}

// mismatchCause is the Cause of an invalid_signature: its text, made into a
// string only when a log reads it.
type mismatchCause struct{ text []byte }

func (c *mismatchCause) Error() string { return string(c.text) }

// appendQuoted appends s, cut to its first max bytes, as a Go string
// literal: a value from the request cannot break a log line.
func appendQuoted(dst []byte, s string, max int) []byte {
	return strconv.AppendQuote(dst, s[:min(len(s), max)])
}

// appendMismatchDetail names the label a Cavage signature was sent with
// when the key chose the algorithm (hs2019, or none), and the path prefix
// put back before a signed (request-target).
func (v *Cavage) appendMismatchDetail(dst []byte, a *attempt) []byte {
	start := len(dst)
	switch label := a.params.algorithm; {
	case label == "":
		dst = append(dst, "no algorithm was sent"...)
	case equalLower(label, "hs2019"):
		dst = append(appendQuoted(append(dst, "algorithm "...), label, 16), " was sent"...)
	}
	if len(dst) > start {
		dst = append(dst, ", so the key's pin or type chose it (a client signing with another algorithm needs the key pinned to it)"...)
	}
	if a.params.plan == nil || !slices.Contains(a.params.plan.covered, "(request-target)") {
		return dst
	}
	return appendPrefixDetail(dst, len(dst) > start, v.cfg.pathPrefix, "CavagePathPrefix")
}

// appendMismatchDetail names the origin a signed URL's signature was bound
// to, and the path prefix put back on the path.
func (v *SignedURL) appendMismatchDetail(dst []byte, a *attempt) []byte {
	switch c := v.cfg; {
	case !c.bindOrigin:
	case c.origin != "":
		dst = append(appendQuoted(append(dst, "origin "...), c.origin, len(c.origin)), " (SignedURLOrigin)"...)
	default:
		var room [64]byte
		origin := appendSignedURLOrigin(room[:0], a.req.Scheme(), a.req.Host())
		dst = appendQuoted(append(dst, "origin "...), string(origin), 300)
		dst = append(dst, ", from the request (SignedURLBindOrigin; behind a proxy, use SignedURLOrigin)"...)
	}
	return appendPrefixDetail(dst, v.cfg.bindOrigin, v.cfg.prefix, "SignedURLPathPrefix")
}

// appendPrefixDetail appends, after another detail if there is one, the
// path prefix put back on the path, if any, and the option that set it.
func appendPrefixDetail(dst []byte, afterAnother bool, prefix, option string) []byte {
	if prefix == "" {
		return dst
	}
	if afterAnother {
		dst = append(dst, "; "...)
	}
	dst = appendQuoted(append(dst, "path prefix "...), prefix, len(prefix))
	return append(append(append(dst, ", put back on the path ("...), option...), ')')
}

// appendMismatchDetail names the origin a pysigned URL's signature was
// bound to, and the path prefix put back on the path.
func (v *Pysigned) appendMismatchDetail(dst []byte, a *attempt) []byte {
	var u pyURL
	if v.cfg.requestURL(a.req, &u) != nil { // parse read it: never
		return dst
	}
	dst = appendQuoted(append(dst, "origin "...), u.scheme+"://"+u.netloc, 300)
	if v.cfg.origin {
		dst = append(dst, " (PysignedOrigin)"...)
	} else {
		dst = append(dst, ", from the request (behind a proxy, use PysignedOrigin)"...)
	}
	return appendPrefixDetail(dst, true, v.cfg.prefix, "PysignedPathPrefix")
}
