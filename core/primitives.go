package signet

import (
	"crypto"
	"crypto/hmac"
	_ "crypto/md5" // registers crypto.MD5 for hashByName
	_ "crypto/sha1"
	_ "crypto/sha256"
	_ "crypto/sha3"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash"
	"net/textproto"
	"slices"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// hashByName maps Python hashlib names, which SASigning and pysigned
// configurations use, to Go hash functions.
var hashByName = map[string]crypto.Hash{
	"md5":      crypto.MD5,
	"sha1":     crypto.SHA1,
	"sha224":   crypto.SHA224,
	"sha256":   crypto.SHA256,
	"sha384":   crypto.SHA384,
	"sha512":   crypto.SHA512,
	"sha3_224": crypto.SHA3_224,
	"sha3_256": crypto.SHA3_256,
	"sha3_384": crypto.SHA3_384,
	"sha3_512": crypto.SHA3_512,
}

// mac is a keyed HMAC state with room for its sum and for the message being
// built, borrowed from a Key's pool for one computation.
type mac struct {
	hash.Hash
	sum [sha512.Size]byte
}

// borrowMAC returns a reset HMAC state of k for h. Give it back with
// returnMAC.
func (k *Key) borrowMAC(h crypto.Hash) *mac {
	if m, ok := k.macs[h].Get().(*mac); ok {
		m.Reset()
		return m
	}
	return &mac{Hash: hmac.New(h.New, k.secret)}
}

func (k *Key) returnMAC(h crypto.Hash, m *mac) { k.macs[h].Put(m) }

// sumMAC writes msg to a pooled HMAC state of k and returns the tag in m's
// buffer; the caller returns m when done with the tag.
func (k *Key) sumMAC(h crypto.Hash, msg []byte) (*mac, []byte) {
	m := k.borrowMAC(h)
	m.Write(msg)
	return m, m.Sum(m.sum[:0])
}

// bytesOf returns the bytes of s without copying them, for reading APIs
// that take a []byte (decoders, hashes). The result must not be modified.
func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// within reports whether s starts inside t's memory: s is t, or a part of
// it, rather than a string of its own.
func within(s, t string) bool {
	if s == "" || t == "" {
		return false
	}
	p, start := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(t)))
	return p >= start && p < start+uintptr(len(t))
}

// equalBytes compares in constant time (for equal lengths), as
// subtle.ConstantTimeCompare does but eight bytes at a time: every byte is
// read and nothing branches on them.
func equalBytes(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	var diff uint64
	for len(a) >= 8 && len(b) >= 8 { // b as long: no bounds checks
		diff |= binary.LittleEndian.Uint64(a) ^ binary.LittleEndian.Uint64(b)
		a, b = a[8:], b[8:]
	}
	for i := 0; i < len(a) && i < len(b); i++ {
		diff |= uint64(a[i] ^ b[i])
	}
	return subtle.ConstantTimeEq(int32(uint32(diff)|uint32(diff>>32)), 0) == 1
}

// appendNodeBase64 decodes s as Node's Buffer.from(s, "base64") does: both
// alphabets, padding optional, other characters skipped, stopping at the
// first '='.
func appendNodeBase64(dst []byte, s string) []byte {
	var acc uint32
	bits := 0
	for i := 0; i < len(s) && s[i] != '='; i++ {
		v := nodeBase64[s[i]]
		if v < 0 {
			continue
		}
		acc = acc<<6 | uint32(v)
		if bits += 6; bits >= 8 {
			bits -= 8
			dst = append(dst, byte(acc>>bits))
		}
	}
	return dst
}

var nodeBase64 = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") {
		t[c] = int8(i)
	}
	t['-'], t['_'] = 62, 63
	return t
}()

// splitRequestURI splits a raw request-target into its undecoded path and
// query as net/http's server reads them (url.ParseRequestURI). An
// absolute-form target ("http://host/p?q", "http:/p?q") is split at its
// first '?', then loses its scheme and authority; its path is "/" if it has
// none. Any other target is split at its first '?': an origin-form one
// ("/p?q", the usual case), "*", and what net/http refuses (400) or reads no
// path from ("http:p"), whose path, not starting with '/', matches no
// signer's. A '#' is an ordinary byte: clients never send a fragment, and
// net/http's server keeps what follows one in URL.RawQuery, where a handler
// reads it as more of the query.
func splitRequestURI(uri string) (path, query string) {
	if uri != "" && uri[0] != '/' {
		if scheme, rest, ok := strings.Cut(uri, ":"); ok && isURIScheme(scheme) {
			rest, query, _ = strings.Cut(rest, "?")
			if strings.HasPrefix(rest, "//") { // an authority, up to the path
				i := strings.IndexByte(rest[2:], '/')
				if i < 0 {
					return "/", query
				}
				rest = rest[2+i:]
			}
			if strings.HasPrefix(rest, "/") {
				return rest, query
			}
		}
	}
	path, query, _ = strings.Cut(uri, "?")
	return path, query
}

// splitTarget is splitRequestURI of r's request-target, but for a CONNECT
// authority (see isConnectAuthority): all path, matching no signer's.
func splitTarget(r Request) (path, query string) {
	uri := r.RequestURI()
	if isConnectAuthority(r, uri) {
		return uri, ""
	}
	return splitRequestURI(uri)
}

// isConnectAuthority reports whether uri, r's request-target, is a CONNECT
// request's that is not a path: net/http reads it as an authority
// ("CONNECT http://h/p" has the path "//h/p"), no URL a signer signed.
func isConnectAuthority(r Request, uri string) bool {
	return uri != "" && uri[0] != '/' && r.Method() == "CONNECT"
}

// isURIScheme reports whether s is a URI scheme (RFC 3986 §3.1): a letter,
// then letters, digits, '+', '-' or '.'; what net/http and Python's urlsplit
// recognise.
func isURIScheme(s string) bool {
	if s == "" || !isASCIILetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isASCIILetter(c) && !('0' <= c && c <= '9') && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// hasEncodedSlash reports whether path holds %2F (or %2f).
func hasEncodedSlash(path string) bool {
	for i := strings.IndexByte(path, '%'); i >= 0 && i+2 < len(path); i++ { // most paths have no '%'
		if path[i] == '%' && path[i+1] == '2' && path[i+2]|0x20 == 'f' {
			return true
		}
	}
	return false
}

// appendUnescapedPath appends the percent-decoded path to dst the way a WSGI
// server and Django derive request.path: every valid %XX is decoded
// (including %2F), an invalid escape is kept as written, '+' stays '+', and
// bytes that do not form valid UTF-8 after decoding are re-escaped as %XX.
func appendUnescapedPath(dst []byte, path string) []byte {
	start := len(dst)
	for i := 0; i < len(path); i++ {
		c := path[i]
		if c == '%' && i+2 < len(path) && isHex(path[i+1]) && isHex(path[i+2]) {
			dst = append(dst, unhex(path[i+1])<<4|unhex(path[i+2]))
			i += 2
			continue
		}
		dst = append(dst, c)
	}
	if utf8.Valid(dst[start:]) {
		return dst
	}
	return reescapeInvalidUTF8(dst, start)
}

// reescapeInvalidUTF8 rewrites dst[start:] with every byte that is not part
// of valid UTF-8 written as %XX (Django's repercent_broken_unicode).
func reescapeInvalidUTF8(dst []byte, start int) []byte {
	decoded := string(dst[start:]) // a copy: dst is rewritten below
	dst = dst[:start]
	for i := 0; i < len(decoded); {
		r, size := utf8.DecodeRuneInString(decoded[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, '%', upperHex[decoded[i]>>4], upperHex[decoded[i]&15])
		} else {
			dst = append(dst, decoded[i:i+size]...)
		}
		i += size
	}
	return dst
}

const upperHex = "0123456789ABCDEF"

// lowerHexValue and upperHexValue map the hex digits of one case to their
// value, and every other byte to 0x80.
var lowerHexValue, upperHexValue = hexValues('a'), hexValues('A')

func hexValues(a byte) (t [256]byte) {
	for c := range t {
		switch {
		case isDigit(byte(c)):
			t[c] = byte(c) - '0'
		case a <= byte(c) && byte(c) < a+6:
			t[c] = byte(c) - a + 10
		default:
			t[c] = 0x80
		}
	}
	return t
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	default:
		return c - 'a' + 10
	}
}

// isBase64Of reports whether s is the padded standard base64 encoding of n
// bytes, without decoding it.
func isBase64Of(s string, n int) bool {
	if len(s) != base64.StdEncoding.EncodedLen(n) {
		return false
	}
	data := len(s) - (3-n%3)%3 // characters before the padding
	for i := 0; i < data; i++ {
		if !base64Alphabet[s[i]] {
			return false
		}
	}
	return strings.Count(s[data:], "=") == len(s)-data
}

// base64Alphabet marks the characters of standard base64.
var base64Alphabet = func() (set [256]bool) {
	for _, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") {
		set[c] = true
	}
	return set
}()

// parseUnixSeconds parses s, a plain decimal unix time (at most 12
// digits, no sign).
func parseUnixSeconds(s string) (int64, bool) {
	if s == "" || len(s) > 12 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int64(s[i]-'0')
	}
	return n, true
}

// isUnixSeconds reports whether s is a plain decimal unix time (see
// parseUnixSeconds).
func isUnixSeconds(s string) bool {
	_, ok := parseUnixSeconds(s)
	return ok
}

// isToken reports whether s is a non-empty HTTP token (RFC 9110 §5.6.2): a
// header name, a method.
func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		if !tokenBytes[s[i]] {
			return false
		}
	}
	return s != ""
}

// tokenBytes marks the RFC 9110 tchar bytes.
var tokenBytes = func() (set [256]bool) {
	for c := range set {
		set[c] = c > ' ' && c < 0x7f && strings.IndexByte(`"(),/:;<=>?@[\]{}`, byte(c)) < 0
	}
	return set
}()

// first returns the first of values, or "".
func first(values []string) string {
	if len(values) == 0 {
		return ""
	}
	return values[0]
}

func upper(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c - 'A' + 'a'
	}
	return c
}

// appendLossyUTF8 appends src with every maximal subpart of an ill-formed
// sequence replaced by one U+FFFD (Unicode §3.9), as Rust's
// String::from_utf8_lossy, the WHATWG decoder and Python's
// errors="replace" all do.
func appendLossyUTF8(dst, src []byte) []byte {
	for i := 0; i < len(src); {
		n, valid := utf8Subpart(src[i:])
		if valid {
			dst = append(dst, src[i:i+n]...)
		} else {
			dst = append(dst, "\uFFFD"...)
		}
		i += n
	}
	return dst
}

// utf8Subpart measures the sequence at the start of b (not empty): a
// well-formed one (valid), or the maximal subpart of an ill-formed one, at
// least one byte.
func utf8Subpart(b []byte) (n int, valid bool) {
	c := b[0]
	if c < 0x80 {
		return 1, true
	}
	var size int
	lo, hi := byte(0x80), byte(0xBF) // the range of the second byte
	switch {
	case 0xC2 <= c && c <= 0xDF:
		size = 2
	case c == 0xE0:
		size, lo = 3, 0xA0
	case 0xE1 <= c && c <= 0xEC, c == 0xEE, c == 0xEF:
		size = 3
	case c == 0xED:
		size, hi = 3, 0x9F
	case c == 0xF0:
		size, lo = 4, 0x90
	case 0xF1 <= c && c <= 0xF3:
		size = 4
	case c == 0xF4:
		size, hi = 4, 0x8F
	default: // 0x80–0xC1, 0xF5–0xFF never start a sequence
		return 1, false
	}
	for i := 1; i < size; i++ {
		if i >= len(b) || b[i] < lo || b[i] > hi {
			return i, false
		}
		lo, hi = 0x80, 0xBF
	}
	return size, true
}

// appendBase64 appends the decoding of s as base64.StdEncoding.AppendDecode
// does, decoding the usual input (whole quanta of the alphabet, at most two
// '=' at the end) without its generality and handing anything else to it.
func appendBase64(dst []byte, s string) ([]byte, error) {
	n := len(s)
	if n == 0 || n%4 != 0 {
		return base64.StdEncoding.AppendDecode(dst, bytesOf(s))
	}
	start, size := len(dst), n/4*3
	dst = slices.Grow(dst, size)
	out := dst[start : start+size]
	var bad uint32                  // collects the invalid bit of every value
	q, o := s, out                  // the quanta left, and where they go
	for len(q) > 4 && len(o) >= 4 { // all but the last quantum (o is as long)
		v := stdBase64[0][q[0]] | stdBase64[1][q[1]] | stdBase64[2][q[2]] | stdBase64[3][q[3]]
		bad |= v
		binary.BigEndian.PutUint32(o, v<<8) // its last byte is the next quantum's first
		q, o = q[4:], o[3:]
	}
	// The last quantum, where padding reads as 'A' (0) and only its bytes
	// are kept.
	j, pad := len(out)-3, 0
	q = s[n-4:]
	c, d := stdBase64[2][q[2]], stdBase64[3][q[3]]
	if q[3] == '=' {
		pad, d = 1, 0
		if q[2] == '=' {
			pad, c = 2, 0
		}
	}
	v := stdBase64[0][q[0]] | stdBase64[1][q[1]] | c | d
	if (bad|v)&base64Invalid != 0 {
		return base64.StdEncoding.AppendDecode(dst[:start], bytesOf(s))
	}
	out[j], out[j+1], out[j+2] = byte(v>>16), byte(v>>8), byte(v)
	return dst[:start+size-pad], nil
}

// stdBase64[k] maps each byte of the standard base64 alphabet to its value
// shifted into place as the kth character of a quantum (a 24-bit group),
// and every other byte to base64Invalid.
var stdBase64 = func() (t [4][256]uint32) {
	for k := range t {
		for c := range t[k] {
			t[k][c] = base64Invalid
		}
		for i, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") {
			t[k][c] = uint32(i) << (18 - 6*k)
		}
	}
	return t
}()

const base64Invalid = 1 << 31

// withoutParams returns the raw query q without the pairs whose raw name
// (the bytes before the first '=') drop reports: the parameters a signer
// added to a request that a redirect brings back.
func withoutParams(q string, drop func(name string) bool) string {
	kept := make([]string, 0, strings.Count(q, "&")+1)
	for pair := range strings.SplitSeq(q, "&") {
		if name, _, _ := strings.Cut(pair, "="); !drop(name) {
			kept = append(kept, pair)
		}
	}
	return strings.Join(kept, "&")
}

// unreserved marks the unreserved characters of RFC 3986: ASCII letters,
// digits and - . _ ~, what Python's quote_plus(safe="") and Go's
// url.QueryEscape keep as they are.
var unreserved = func() (t [256]bool) {
	for _, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~") {
		t[c] = true
	}
	return t
}()

// isASCII reports whether s is ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// prefixKey is the first 8 bytes of s, big-endian, zero-padded: comparing
// keys orders strings as comparing them does, but for ties.
func prefixKey(s string) uint64 {
	if len(s) >= 8 {
		return binary.BigEndian.Uint64(bytesOf(s[:8]))
	}
	return shortPrefixKey(s)
}

// prefixKeyAt is prefixKey(q[start:end]), from eight bytes of q read at
// once, masked to the string's length, when q has them.
func prefixKeyAt(q string, start, end int) uint64 {
	if start+8 > len(q) {
		return shortPrefixKey(q[start:end])
	}
	return binary.BigEndian.Uint64(bytesOf(q[start:start+8])) &^ (^uint64(0) >> (8 * min(end-start, 8)))
}

// shortPrefixKey is prefixKey of s shorter than 8 bytes.
func shortPrefixKey(s string) uint64 {
	var k uint64
	for i := 0; i < len(s); i++ {
		k = k<<8 | uint64(s[i])
	}
	return k << (8 * (8 - len(s)))
}

// connectionHeader reports whether the canonical header name is about the
// connection rather than the request: HTTP/2 forbids these fields (Go's
// HTTP/2 client drops them) and proxies remove them, so a signature over
// one, or carried in one, would not survive either.
func connectionHeader(canonical string) bool {
	switch canonical {
	case "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Upgrade", "Te", "Trailer":
		return true
	}
	return false
}

// checkSignable refuses to sign a connection header, named in any case.
func checkSignable(name string) error {
	if connectionHeader(textproto.CanonicalMIMEHeaderKey(name)) {
		return fmt.Errorf("signet: cannot sign %s, a connection header, which HTTP/2 never sends and proxies drop", name)
	}
	return nil
}

// trimOWS trims spaces and tabs (HTTP's optional white space, and what
// Rust's str::trim removes from a visible-ASCII header value).
func trimOWS(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// isASCIILetter reports whether c is an ASCII letter.
func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
