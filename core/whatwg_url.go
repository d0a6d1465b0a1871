package signet

import (
	"errors"
	"strings"
)

// This file re-serialises an absolute URL the way the WHATWG URL Standard's
// basic URL parser and serialiser do, as the Rust url crate 2.3.1 (which
// Signway uses) implements them, for the special schemes http, https, ws,
// wss and ftp. net/url is not WHATWG: it keeps case, default ports and dot
// segments, and percent-encodes other characters. Supported, exactly:
//
//   - leading and trailing C0 controls and spaces stripped, tabs, CR and LF
//     removed everywhere;
//   - the scheme lower-cased; any run of '/' and '\' after it skipped;
//   - userinfo before the last '@' of the authority, split at its first ':',
//     percent-encoded with the userinfo set, dropped when empty;
//   - the host: [IPv6] compressed and lower-cased; otherwise percent-decoded,
//     lower-cased, checked for forbidden code points, an IPv4 address in any
//     of its forms (0x7f.1) re-printed in dotted decimal, a trailing dot kept;
//     xn-- labels must be valid Punycode; non-ASCII labels only when every
//     character is a Latin-1 letter (see appendIDNALabel);
//   - the port: digits only, at most 65535, dropped when it is the scheme's
//     default;
//   - the path: '\' as '/', "." and ".." segments (also %2e forms) resolved,
//     the path percent-encode set, "/" at least;
//   - the query with the special-query set, the fragment with the fragment
//     set; an empty "?" or "#" kept;
//   - existing %XX escapes never decoded, re-cased or re-encoded.
//
// Rejected: relative references, file: and every non-special scheme (Signway
// cannot forward to them), and internationalised host names outside the
// Latin-1 letters.

// Why a URL cannot be normalised. The messages go to clients as they are.
var (
	errURLRelative  = errors.New("it is not an absolute URL")
	errURLScheme    = errors.New("its scheme is not http, https, ws, wss or ftp")
	errURLEmptyHost = errors.New("it has no host")
	errURLHostChar  = errors.New("its host has a forbidden character")
	errURLIPv4      = errors.New("its host is not a valid IPv4 address")
	errURLIPv6      = errors.New("its host is not a valid IPv6 address")
	errURLIDNA      = errors.New("its host is not a valid internationalised domain name")
	errURLIDNAScope = errors.New("its host has non-ASCII characters other than Latin-1 letters: send it in its xn-- form")
	errURLPort      = errors.New("its port is not a number up to 65535")
)

// specialPort returns the default port of a special scheme, or -1.
func specialPort(scheme string) int {
	switch scheme {
	case "http", "ws":
		return 80
	case "https", "wss":
		return 443
	case "ftp":
		return 21
	}
	return -1
}

func hasTabOrNewline(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '\t' || c == '\n' || c == '\r' {
			return true
		}
	}
	return false
}

// appendWHATWGURL appends the WHATWG serialisation of the absolute URL
// input. input must be valid UTF-8 (Signway's form decoder makes it so).
func appendWHATWGURL(dst []byte, input string) ([]byte, error) {
	s := input
	for s != "" && s[0] <= ' ' {
		s = s[1:]
	}
	for s != "" && s[len(s)-1] <= ' ' {
		s = s[:len(s)-1]
	}
	if hasTabOrNewline(s) {
		clean := make([]byte, 0, len(s))
		for i := 0; i < len(s); i++ {
			if c := s[i]; c != '\t' && c != '\n' && c != '\r' {
				clean = append(clean, c)
			}
		}
		s = string(clean)
	}

	// Scheme.
	i := 0
	for i < len(s) && (isASCIILetter(s[i]) || i > 0 && (isDigit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')) {
		i++
	}
	if i == 0 || i == len(s) || s[i] != ':' {
		return dst, errURLRelative
	}
	start := len(dst)
	for j := 0; j < i; j++ {
		dst = append(dst, lower(s[j]))
	}
	defaultPort := specialPort(stringOf(dst[start:]))
	if defaultPort < 0 {
		return dst[:start], errURLScheme
	}
	dst = append(dst, "://"...)
	rest := s[i+1:]
	for rest != "" && (rest[0] == '/' || rest[0] == '\\') {
		rest = rest[1:]
	}

	// Authority: up to the first '/', '\', '?' or '#'.
	end := 0
	for end < len(rest) && rest[end] != '/' && rest[end] != '\\' && rest[end] != '?' && rest[end] != '#' {
		end++
	}
	auth := rest[:end]
	rest = rest[end:]
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		user, password, _ := strings.Cut(auth[:at], ":")
		mark := len(dst)
		dst = appendPercentEncoded(dst, user, &userinfoSet)
		if password != "" {
			dst = append(dst, ':')
			dst = appendPercentEncoded(dst, password, &userinfoSet)
		}
		if len(dst) > mark {
			dst = append(dst, '@')
		}
		auth = auth[at+1:]
	}
	hostEnd, inBrackets := len(auth), false
	for j := 0; j < len(auth); j++ {
		switch auth[j] {
		case '[':
			inBrackets = true
		case ']':
			inBrackets = false
		case ':':
			if !inBrackets {
				hostEnd = j
				j = len(auth)
			}
		}
	}
	if hostEnd == 0 {
		return dst[:start], errURLEmptyHost
	}
	var err error
	if dst, err = appendURLHost(dst, auth[:hostEnd]); err != nil {
		return dst[:start], err
	}
	if hostEnd < len(auth) {
		port, digits := 0, auth[hostEnd+1:]
		for j := 0; j < len(digits); j++ {
			if !isDigit(digits[j]) {
				return dst[:start], errURLPort
			}
			if port = port*10 + int(digits[j]-'0'); port > 65535 {
				return dst[:start], errURLPort
			}
		}
		if digits != "" && port != defaultPort {
			dst = append(dst, ':')
			dst = appendUint(dst, uint64(port))
		}
	}

	// Path.
	pathStart := len(dst)
	dst = append(dst, '/')
	if rest != "" && (rest[0] == '/' || rest[0] == '\\') {
		rest = rest[1:]
	}
	for {
		segment := len(dst)
		slash := false
		end := 0
		for end < len(rest) && !pathEnds[rest[end]] {
			end++
		}
		dst = appendPercentEncoded(dst, rest[:end], &pathSet)
		rest = rest[end:]
		if rest != "" && (rest[0] == '/' || rest[0] == '\\') {
			dst = append(dst, '/')
			slash = true
			rest = rest[1:]
		}
		buffer := dst[segment:]
		if slash {
			buffer = buffer[:len(buffer)-1]
		}
		switch {
		case isDoubleDotSegment(buffer):
			dst = dst[:segment]
			if last := strings.LastIndexByte(stringOf(dst[:len(dst)-1]), '/'); last >= pathStart {
				dst = dst[:len(dst)-1] // the slash before the ".."
			}
			if len(dst) > pathStart { // shorten the path: drop its last segment
				dst = dst[:pathStart+strings.LastIndexByte(stringOf(dst[pathStart:]), '/')+1]
			}
			if slash && dst[len(dst)-1] != '/' {
				dst = append(dst, '/')
			}
		case isSingleDotSegment(buffer):
			dst = dst[:segment]
		}
		if !slash {
			break
		}
	}

	// Query and fragment.
	if rest != "" && rest[0] == '?' {
		query := rest[1:]
		if j := strings.IndexByte(query, '#'); j >= 0 {
			query, rest = query[:j], query[j:]
		} else {
			rest = ""
		}
		dst = append(dst, '?')
		dst = appendPercentEncoded(dst, query, &specialQuerySet)
	}
	if rest != "" { // '#'
		dst = append(dst, '#')
		dst = appendPercentEncoded(dst, rest[1:], &fragmentSet)
	}
	return dst, nil
}

func isSingleDotSegment(b []byte) bool {
	return len(b) == 1 && b[0] == '.' || len(b) == 3 && strings.EqualFold(stringOf(b), "%2e")
}

func isDoubleDotSegment(b []byte) bool {
	switch len(b) {
	case 2:
		return b[0] == '.' && b[1] == '.'
	case 4:
		return b[0] == '.' && strings.EqualFold(stringOf(b[1:]), "%2e") ||
			b[3] == '.' && strings.EqualFold(stringOf(b[:3]), "%2e")
	case 6:
		return strings.EqualFold(stringOf(b), "%2e%2e")
	}
	return false
}

// percentEncodeSet marks the bytes a URL component percent-encodes.
type percentEncodeSet [256]bool

// The WHATWG percent-encode sets, as the url crate 2.3.1 defines them. Every
// set includes the C0 controls, DEL and every non-ASCII byte.
var (
	fragmentSet     = newPercentEncodeSet(" \"<>`")
	specialQuerySet = newPercentEncodeSet(" \"#<>'")
	pathSet         = newPercentEncodeSet(" \"#<>?`{}")
	userinfoSet     = newPercentEncodeSet(" \"#<>?`{}/:;=@[\\]^|")
)

func newPercentEncodeSet(ascii string) (set percentEncodeSet) {
	for c := range set {
		set[c] = c < 0x20 || c >= 0x7f || strings.IndexByte(ascii, byte(c)) >= 0
	}
	return set
}

func appendPercentEncoded(dst []byte, s string, set *percentEncodeSet) []byte {
	for {
		i := 0
		for i < len(s) && !set[s[i]] {
			i++
		}
		dst = append(dst, s[:i]...)
		if i == len(s) {
			return dst
		}
		c := s[i]
		dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
		s = s[i+1:]
	}
}

// pathEnds marks the bytes that end a path segment.
var pathEnds = func() (set [256]bool) {
	set['/'], set['\\'], set['?'], set['#'] = true, true, true, true
	return set
}()

// appendUint appends n in decimal.
func appendUint(dst []byte, n uint64) []byte {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + n%10)
		if n /= 10; n == 0 {
			break
		}
	}
	return append(dst, buf[i:]...)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isWHATWGNormal reports whether s is certainly its own WHATWG
// serialisation, with a lowercase special scheme, a plain ASCII domain
// (no userinfo, IPv4, IPv6 or xn-- labels), a non-default port without
// leading zeros, a path without dot segments, and nothing to percent-encode.
// It is the fast path of normalising a proxy URL a signer already
// normalised: when it returns false, appendWHATWGURL decides.
func isWHATWGNormal(s string) bool {
	i := strings.Index(s, "://")
	if i <= 0 {
		return false
	}
	defaultPort := specialPort(s[:i])
	if defaultPort < 0 {
		return false
	}
	s = s[i+3:]
	end := 0
	for end < len(s) && s[end] != '/' && s[end] != '?' && s[end] != '#' {
		end++
	}
	if end == len(s) || s[end] != '/' {
		return false // the path is at least "/"
	}
	host, port, hasPort := strings.Cut(s[:end], ":")
	if host == "" || strings.Contains(host, "xn--") || endsInANumber(host) {
		return false
	}
	for i := 0; i < len(host); i++ {
		if c := host[i]; !('a' <= c && c <= 'z' || isDigit(c) || c == '-' || c == '.' || c == '_') {
			return false
		}
	}
	if hasPort {
		n := 0
		for i := 0; i < len(port); i++ {
			if !isDigit(port[i]) || i == 0 && port[i] == '0' && len(port) > 1 {
				return false
			}
			if n = n*10 + int(port[i]-'0'); n > 65535 {
				return false
			}
		}
		if port == "" || n == defaultPort {
			return false
		}
	}
	s = s[end:]
	for s != "" && s[0] == '/' {
		s = s[1:]
		seg := 0
		for seg < len(s) && s[seg] != '/' && s[seg] != '?' && s[seg] != '#' {
			if pathSet[s[seg]] || s[seg] == '\\' {
				return false
			}
			seg++
		}
		if b := bytesOf(s[:seg]); isSingleDotSegment(b) || isDoubleDotSegment(b) {
			return false
		}
		s = s[seg:]
	}
	if s != "" && s[0] == '?' {
		s = s[1:]
		for s != "" && s[0] != '#' {
			if specialQuerySet[s[0]] {
				return false
			}
			s = s[1:]
		}
	}
	if s != "" { // '#'
		for i := 1; i < len(s); i++ {
			if fragmentSet[s[i]] {
				return false
			}
		}
	}
	return true
}
