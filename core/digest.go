package signet

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"strings"
)

// checkDigest checks RFC 3230 Digest header values ("SHA-256=…,SHA-512=…")
// against body. Every SHA-256 and SHA-512 entry must match; other
// algorithms are ignored, and a header naming none of these two is
// ErrUnsupportedAlgorithm. Each sum is computed once, however many entries
// name its algorithm: a header repeating one entry thousands of times (it
// may be unsigned) must not hash the body that many times.
func checkDigest(values []string, body []byte) error {
	supported := false
	var sum256 [sha256.Size]byte
	var sum512 [sha512.Size]byte
	var have256, have512 bool
	for _, v := range values {
		for v != "" {
			var item string
			item, v, _ = strings.Cut(v, ",")
			alg, value, ok := strings.Cut(trimOWS(item), "=")
			if !ok {
				return newError(ErrMalformed, "the Digest header must be algorithm=base64 pairs")
			}
			var want []byte
			switch {
			case strings.EqualFold(alg, "SHA-256"):
				if !have256 {
					sum256, have256 = digestSHA256(body), true
				}
				want = sum256[:]
			case strings.EqualFold(alg, "SHA-512"):
				if !have512 {
					sum512, have512 = digestSHA512(body), true
				}
				want = sum512[:]
			default:
				continue
			}
			supported = true
			var buf [sha512.Size + 2]byte // what the 88 characters of a SHA-512 sum decode into, before the padding is dropped
			got, err := buf[:0], errDigestLength
			if base64.StdEncoding.DecodedLen(len(value)) <= len(buf) {
				got, err = appendBase64(got, value)
			}
			if err != nil || len(got) != len(want) {
				return newError(ErrMalformed, "the Digest %s value must be the standard base64 of %d bytes", alg, len(want))
			}
			if !equalBytes(got, want) {
				return newError(ErrDigestMismatch, "the body does not match the Digest header")
			}
		}
	}
	if !supported {
		return newError(ErrUnsupportedAlgorithm, "the Digest header must carry SHA-256 or SHA-512")
	}
	return nil
}

var errDigestLength = errors.New("digest value too long")

// digestSHA256 and digestSHA512 hash a body for checkDigest (tests count
// their calls).
var (
	digestSHA256 = sha256.Sum256
	digestSHA512 = sha512.Sum512
)

// digestHeader returns the Digest header value a signer sends for body.
func digestHeader(body []byte) string {
	s := sha256.Sum256(body)
	return "SHA-256=" + base64.StdEncoding.EncodeToString(s[:])
}
