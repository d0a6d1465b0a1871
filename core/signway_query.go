package signet

import (
	"encoding/binary"
	"slices"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// The Signway query parameters, in the order of signwayParamNames.
const (
	swAlgorithm = iota
	swCredential
	swDate
	swExpires
	swProxy
	swSignedHeaders
	swBody
	swSignature
	swParamCount
)

// signwayParamNames are the names of the Signway query parameters, exact
// and case-sensitive after form decoding, in the order Signway's parser
// checks them for presence (Signature, last, is not signed).
var signwayParamNames = [swParamCount]string{
	"X-Sw-Algorithm", "X-Sw-Credential", "X-Sw-Date", "X-Sw-Expires",
	"X-Sw-Proxy", "X-Sw-SignedHeaders", "X-Sw-Body", "X-Sw-Signature",
}

// signwayQuery is what one pass over a raw query finds: the raw (undecoded)
// value of the last occurrence of each Signway parameter, as Signway's
// parser keeps the last one, and what a strict verifier needs to know.
type signwayQuery struct {
	raw   [swParamCount]string // the last value, still form-encoded; aliases the query
	count [swParamCount]uint8  // occurrences, saturating at 255
	other bool                 // a parameter that is not a Signway one
}

// scan reads query as application/x-www-form-urlencoded does (Signway's
// form_urlencoded 1.1.0): pieces split on '&', empty pieces skipped, each
// split at its first '=' (none: an empty value), names decoded like values.
// ';' is an ordinary character. It allocates nothing.
func (q *signwayQuery) scan(query string) {
	for query != "" {
		piece := query
		if amp := strings.IndexByte(query, '&'); amp >= 0 {
			piece, query = query[:amp], query[amp+1:]
		} else {
			query = ""
		}
		if piece == "" {
			continue
		}
		name, value := piece, ""
		if eq := strings.IndexByte(piece, '='); eq >= 0 {
			name, value = piece[:eq], piece[eq+1:]
		}
		i := signwayParam(name)
		if i < 0 {
			q.other = true
			continue
		}
		q.raw[i] = value
		if q.count[i] < 255 {
			q.count[i]++
		}
	}
}

// signwayParam returns the index of the Signway parameter a raw name
// decodes to, or -1.
func signwayParam(raw string) int {
	if i := signwayParamIndex(raw); i >= 0 {
		return i // as signers write them
	}
	name := raw
	if needsFormDecoding(raw) {
		if len(raw) > 3*len("X-Sw-SignedHeaders") {
			return -1 // too long to decode to any of them
		}
		var buf [3 * len("X-Sw-SignedHeaders")]byte
		name = stringOf(appendFormDecoded(buf[:0], raw)) // only compared below
	}
	return signwayParamIndex(name)
}

// signwayParamIndex returns the index of the parameter named name, or -1.
func signwayParamIndex(name string) int {
	switch name {
	case "X-Sw-Algorithm":
		return swAlgorithm
	case "X-Sw-Credential":
		return swCredential
	case "X-Sw-Date":
		return swDate
	case "X-Sw-Expires":
		return swExpires
	case "X-Sw-Proxy":
		return swProxy
	case "X-Sw-SignedHeaders":
		return swSignedHeaders
	case "X-Sw-Body":
		return swBody
	case "X-Sw-Signature":
		return swSignature
	}
	return -1
}

// formDecoded returns the form-decoded value of raw: itself when there is
// nothing to decode, else its decoding appended to *scratch. The result is
// valid while *scratch is only appended to.
func formDecoded(scratch *[]byte, raw string) string {
	if !needsFormDecoding(raw) {
		return raw
	}
	start := len(*scratch)
	*scratch = appendFormDecoded(*scratch, raw)
	return stringOf((*scratch)[start:])
}

// needsFormDecoding reports whether raw has a '%', a '+' or a non-ASCII
// byte (decoding then checks its UTF-8), in one pass, eight bytes at a time.
func needsFormDecoding(raw string) bool {
	i := 0
	for ; i+8 <= len(raw); i += 8 {
		x := binary.LittleEndian.Uint64(bytesOf(raw[i : i+8]))
		pct, plus := x^('%'*lanes01), x^('+'*lanes01)
		// A byte of pct or plus is zero where raw has a '%' or a '+'.
		if (x|(pct-lanes01)&^pct|(plus-lanes01)&^plus)&lanes80 != 0 {
			return true
		}
	}
	for ; i < len(raw); i++ {
		if c := raw[i]; c == '%' || c == '+' || c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// appendFormDecoded appends the form decoding of raw: '+' is a space, %XX a
// byte, a '%' without two hex digits stays as it is, and bytes that are not
// valid UTF-8 afterwards become U+FFFD as Rust's String::from_utf8_lossy
// makes them.
func appendFormDecoded(dst []byte, raw string) []byte {
	start := len(dst)
	for i := 0; i < len(raw); i++ {
		run := i
		for i < len(raw) && !formSpecial[raw[i]] {
			i++
		}
		dst = append(dst, raw[run:i]...)
		switch {
		case i == len(raw):
		case raw[i] == '+':
			dst = append(dst, ' ')
		case i+2 < len(raw) && isHex(raw[i+1]) && isHex(raw[i+2]):
			dst = append(dst, unhex(raw[i+1])<<4|unhex(raw[i+2]))
			i += 2
		default:
			dst = append(dst, '%')
		}
	}
	if utf8.Valid(dst[start:]) {
		return dst
	}
	end := len(dst)
	dst = appendLossyUTF8(dst, dst[start:end])
	n := copy(dst[start:], dst[end:])
	return dst[:start+n]
}

// appendCanonicalDecoded appends the decoding of raw when raw is its own
// canonical encoding: exactly what appendSignwayEnc makes of an ASCII
// value, unreserved bytes as they are and every other byte as %XX in
// upper-case hex. It reports whether raw was; when not, what it appended is
// to be dropped and raw decoded by formDecoded. Signers encode X-Sw-Proxy
// so, and the canonical query then takes it as it came.
func appendCanonicalDecoded(dst []byte, raw string) ([]byte, bool) {
	start := len(dst)
	dst = slices.Grow(dst, len(raw))[:start+len(raw)] // decoding never lengthens
	out := dst[start:]
	n := 0
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if reservedSet[c] {
			if c != '%' || i+2 >= len(raw) {
				return dst[:start], false
			}
			hi, lo := upperHexValue[raw[i+1]], upperHexValue[raw[i+2]]
			if c = hi<<4 | lo; (hi|lo)&0x80 != 0 || c >= utf8.RuneSelf || !reservedSet[c] {
				return dst[:start], false
			}
			i += 2
		}
		out[n] = c
		n++
	}
	return dst[:start+n], true
}

// formSpecial marks the bytes form decoding changes.
var formSpecial = [256]bool{'%': true, '+': true}

// appendSignwayEnc appends s percent-encoded as Signway's canonical query
// encodes values (its FRAGMENT_SLASH set): every byte but the RFC 3986
// unreserved A-Z a-z 0-9 - . _ ~ as %XX with upper-case hex, so a space is
// %20, never '+'.
func appendSignwayEnc(dst []byte, s string) []byte {
	return appendPercentEncoded(dst, s, &reservedSet)
}

// reservedSet marks every byte but the RFC 3986 unreserved characters.
var reservedSet = func() (set percentEncodeSet) {
	for c := range set {
		set[c] = !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~')
	}
	return set
}()

// stringOf returns the bytes of b as a string without copying them. b must
// not be modified while the string is in use.
func stringOf(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
