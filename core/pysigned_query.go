package signet

import (
	"crypto/ed25519"
	"encoding/binary"
	"slices"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// qsSpan locates a decoded name or value: bytes [off, off+n) of the query,
// or of the scratch buffer when inScratch (it needed decoding). plain says
// that the text is its own quote_plus encoding.
type qsSpan struct {
	off, n    uint32
	inScratch bool
	plain     bool
}

// qsPair is one name=value pair of a query. It holds no pointer, so a
// pooled slice of pairs costs the garbage collector nothing and sorting it
// writes no pointers. key is the first 8 bytes of the decoded name,
// big-endian, zero-padded: it orders most pairs without reading them.
// field is the raw name=value in the query, plain when it is already the
// quote_plus encoding of the decoded name and value, so that the canonical
// query copies it.
type qsPair struct {
	name, value qsSpan
	key         uint64
	field       qsSpan
}

// qsl is a query split and decoded as parse_qsl does, into spans of the
// query and of a scratch buffer.
type qsl struct {
	query   string
	scratch []byte
	order   []uint64 // scratch of appendCanonicalQuery
}

// str returns the text of s, aliasing the query or the scratch buffer
// (valid until the scratch buffer is reused).
func (q *qsl) str(s qsSpan) string {
	if s.inScratch {
		return unsafe.String(unsafe.SliceData(q.scratch[s.off:]), int(s.n))
	}
	return q.query[s.off : s.off+s.n]
}

// Classes of raw query bytes, as bits: unreserved (none), needing
// %-encoding in the canonical query, making the name or value need
// decoding; & and = are marked too, so that a scan stops at them.
const (
	qsPlain  = 0
	qsEncode = 1
	qsDecode = 2
	qsAmp    = 4 // &, which ends a field
	qsEq     = 8 // =, which ends a name
)

var qsClass = func() (t [256]uint8) {
	for c := range t {
		if !unreserved[c] {
			t[c] = qsEncode
		}
	}
	t['+'], t['%'] = qsDecode, qsDecode
	t['&'] |= qsAmp
	t['='] |= qsEq
	return t
}()

// maxScannedValue is how much of a raw value is classified byte by byte;
// the rest of a longer one (a sig) is searched for & + and % with IndexByte.
const maxScannedValue = 32

// next returns the pair of the next field parse_qsl keeps, from byte i of
// the query on: non-empty, with an =, and a non-empty raw value (blank
// values are dropped). ok is false when there is none; next is where the
// following field starts.
func (q *qsl) next(i int) (p qsPair, next int, ok bool) {
	for i < len(q.query) {
		eq, end, nameClass, valueClass := q.field(i)
		if eq >= 0 {
			name, nameCanonical := q.unquote(i, eq, nameClass)
			value, valueCanonical := q.unquote(eq+1, end, valueClass)
			p = qsPair{name: name, value: value, key: prefixKey(q.str(name)),
				field: qsSpan{off: uint32(i), n: uint32(end - i), plain: nameCanonical && valueCanonical}}
			return p, end + 1, true
		}
		i = end + 1
	}
	return qsPair{}, i, false
}

// field scans the field that starts at byte i of the query: it ends at end
// (the next & or the end of the query), and splits at eq, its first =, or
// eq is -1 when parse_qsl drops it (no =, or a blank value). The classes
// say whether the name and the value need decoding or encoding.
func (q *qsl) field(i int) (eq, end int, nameClass, valueClass uint8) {
	query := q.query
	j := i
	for ; j < len(query); j++ {
		c := qsClass[query[j]]
		if c&(qsAmp|qsEq) != 0 {
			break
		}
		nameClass |= c
	}
	if j == len(query) || query[j] == '&' {
		return -1, j, 0, 0 // no =
	}
	eq, end = j, j+1
	for limit := min(len(query), end+maxScannedValue); end < limit; end++ {
		c := qsClass[query[end]]
		if c&qsAmp != 0 {
			break
		}
		valueClass |= c // = included: it needs encoding
	}
	if end < len(query) && query[end] != '&' { // a long value (a sig): search the rest
		rest := query[end:]
		n := strings.IndexByte(rest, '&')
		if n < 0 {
			n = len(rest)
		}
		valueClass |= qsEncode // not known to be plain
		if strings.IndexByte(rest[:n], '%') >= 0 || strings.IndexByte(rest[:n], '+') >= 0 {
			valueClass |= qsDecode
		}
		end += n
	}
	if end == eq+1 {
		return -1, end, 0, 0 // a blank value
	}
	return eq, end, nameClass, valueClass
}

// key returns prefixKey of the name s.
func (q *qsl) key(s qsSpan) uint64 {
	if s.inScratch {
		return prefixKey(q.str(s))
	}
	return prefixKeyAt(q.query, int(s.off), int(s.off)+int(s.n))
}

// unquote decodes the raw name or value query[start:end], of the given
// class, as parse_qsl does: + becomes a space, then
// unquote(errors="replace"). Text without + or % is its own decoding; any
// other is decoded into the scratch buffer. canonical reports that the raw
// text is the quote_plus encoding of the decoded one.
func (q *qsl) unquote(start, end int, class uint8) (s qsSpan, canonical bool) {
	if class&qsDecode == 0 { // the usual case
		return qsSpan{off: uint32(start), n: uint32(end - start), plain: class == qsPlain}, class == qsPlain
	}
	return q.decode(start, end, class)
}

// decode decodes query[start:end], of the given class, into the scratch
// buffer. canonical reports that quote_plus encodes the decoded text back
// to the raw one: the raw text has only unreserved bytes, +, and escapes in
// upper-case hex of bytes that quote_plus escapes but space, and decodes to
// UTF-8 without replacements.
func (q *qsl) decode(start, end int, class uint8) (_ qsSpan, canonical bool) {
	canonical = class&qsEncode == 0 // else a raw byte that quote_plus escapes
	s := q.query[start:end]
	from := len(q.scratch)
	buf := slices.Grow(q.scratch, len(s))
	out := buf[from : from+len(s)] // decoding never lengthens the text
	n := 0
	escapedHigh := false // an escape decoded to a byte >= 0x80
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+':
			c = ' '
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			c = unhex(s[i+1])<<4 | unhex(s[i+2])
			escapedHigh = escapedHigh || c >= 0x80
			// upper-case hex (digits and A–F are <= F), of a byte that
			// quote_plus escapes (a space it writes as +)
			canonical = canonical && s[i+1] <= 'F' && s[i+2] <= 'F' && !unreserved[c] && c != ' '
			i += 2
		case c == '%': // a literal %, which quote_plus escapes
			canonical = false
		}
		out[n] = c
		n++
	}
	buf = buf[:from+n]
	if escapedHigh && !utf8.Valid(buf[from:]) {
		buf = replaceInvalidUTF8(buf, from)
		canonical = false
	}
	q.scratch = buf
	return qsSpan{off: uint32(from), n: uint32(len(buf) - from), inScratch: true}, canonical
}

// cmp orders pairs as Python sorts (name, value) tuples of str: by code
// point, name first. Byte-wise comparison of UTF-8 gives that order, and the
// keys give it for most pairs without reading their text.
func (q *qsl) cmp(a, b *qsPair) int {
	switch {
	case a.key < b.key:
		return -1
	case a.key > b.key:
		return 1
	}
	if c := strings.Compare(q.str(a.name), q.str(b.name)); c != 0 {
		return c
	}
	return strings.Compare(q.str(a.value), q.str(b.value))
}

// sort sorts pairs in place.
func (q *qsl) sort(pairs []qsPair) {
	slices.SortFunc(pairs, func(a, b qsPair) int { return q.cmp(&a, &b) })
}

// replaceInvalidUTF8 rewrites buf[start:] as Python decodes bytes with
// errors="replace": one U+FFFD per maximal subpart of an ill-formed
// sequence (Unicode §3.9, "U+FFFD Substitution of Maximal Subparts"), so a
// truncated sequence is one U+FFFD, and every other invalid byte is one.
func replaceInvalidUTF8(buf []byte, start int) []byte {
	first := -1 // the first ill-formed byte
	for i := start; i < len(buf); {
		n, valid := utf8Subpart(buf[i:])
		if !valid {
			first = i
			break
		}
		i += n
	}
	if first < 0 {
		return buf
	}
	tail := string(buf[first:]) // a copy: buf is rewritten from first on
	return appendLossyUTF8(buf[:first], bytesOf(tail))
}

// appendQuotePlus appends s encoded as Python's quote_plus(s, safe=""):
// its UTF-8 bytes, unreserved ones kept, space as +, every other byte as
// %XX in upper-case hex.
func appendQuotePlus(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && unreserved[s[j]] {
			j++
		}
		dst = append(dst, s[i:j]...)
		if j == len(s) {
			break
		}
		if c := s[j]; c == ' ' {
			dst = append(dst, '+')
		} else {
			dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
		}
		i = j + 1
	}
	return dst
}

// appendPyURLEncode appends pairs as Python's urlencode does: name=value
// with both quote_plus-encoded, joined by &.
func (q *qsl) appendPyURLEncode(dst []byte, pairs []qsPair) []byte {
	for i := range pairs {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = q.appendPair(dst, &pairs[i])
	}
	return dst
}

// appendPair appends name=value, each quote_plus-encoded.
func (q *qsl) appendPair(dst []byte, p *qsPair) []byte {
	if p.field.plain { // the raw name=value is their encoding
		return append(dst, q.query[p.field.off:p.field.off+p.field.n]...)
	}
	dst = q.appendQuotePlus(dst, p.name)
	dst = append(dst, '=')
	return q.appendQuotePlus(dst, p.value)
}

// appendQuotePlus appends the quote_plus encoding of s.
func (q *qsl) appendQuotePlus(dst []byte, s qsSpan) []byte {
	if s.plain {
		return append(dst, q.query[s.off:s.off+s.n]...)
	}
	return appendQuotePlus(dst, q.str(s))
}

// appendCanonicalQuery appends pairs sorted and encoded: the canonical
// query of pysigned's message. Up to maxPackedSort pairs are sorted by
// reference, as packed keys (the first seven bytes of the name and the
// pair's index) in q.order, without moving them; more are sorted in place.
func (q *qsl) appendCanonicalQuery(dst []byte, pairs []qsPair) []byte {
	if len(pairs) > maxPackedSort {
		q.sort(pairs)
		return q.appendPyURLEncode(dst, pairs)
	}
	order := q.order[:0]
	for i := range pairs {
		x := pairs[i].key&^0xFF | uint64(i)
		j := len(order)
		order = append(order, x)
		for ; j > 0; j-- { // insertion: by the packed keys, by cmp on a tie
			y := order[j-1]
			if x>>8 > y>>8 || x>>8 == y>>8 && q.cmp(&pairs[x&0xFF], &pairs[y&0xFF]) >= 0 {
				break
			}
			order[j] = y
		}
		order[j] = x
	}
	q.order = order
	for i, x := range order {
		if i > 0 {
			dst = append(dst, '&')
		}
		if p := &pairs[x&0xFF]; p.field.plain { // appendPair's usual case, inlined
			dst = append(dst, q.query[p.field.off:p.field.off+p.field.n]...)
		} else {
			dst = q.appendPair(dst, p)
		}
	}
	return dst
}

// maxPackedSort is the most pairs whose index fits a packed key's low byte.
const maxPackedSort = 255

// appendPyFromHex decodes s as Python's bytes.fromhex: pairs of hex digits
// in either case, with ASCII whitespace allowed before each pair and at the
// end. ok is false for anything else. lower reports that s is only
// lower-case hex digits, as an HMAC tag's hexdigest is.
func appendPyFromHex(dst []byte, s string) (_ []byte, lower, ok bool) {
	if len(s) == 2*ed25519.SignatureSize { // the usual 128 digits, no space
		start := len(dst)
		dst = slices.Grow(dst, ed25519.SignatureSize)[:start+ed25519.SignatureSize]
		out := (*[ed25519.SignatureSize]byte)(dst[start:])
		in := (*[2 * ed25519.SignatureSize]byte)(bytesOf(s)) // arrays: no bounds checks
		var bad, upper uint64
		for i := 0; i < len(in)/8; i++ { // both helpers inlined
			x := binary.LittleEndian.Uint64(in[8*i:])
			b, letter := hexLanes(x)
			binary.LittleEndian.PutUint32(out[4*i:], packHex(x, letter))
			bad |= b
			upper |= letter &^ (x << 2) // a letter without the 0x20 bit: A–F
		}
		if bad == 0 {
			return dst, upper == 0, true
		}
		dst = dst[:start]
	}
	for i := 0; i < len(s); {
		if isPyASCIISpace(s[i]) {
			i++
			continue
		}
		if i+1 >= len(s) || !isHex(s[i]) || !isHex(s[i+1]) {
			return dst, false, false
		}
		dst = append(dst, unhex(s[i])<<4|unhex(s[i+1]))
		i += 2
	}
	return dst, false, true
}

// SWAR constants: a byte repeated in each of the eight lanes of a uint64.
const (
	lanes01 = 0x0101010101010101
	lanes80 = 0x8080808080808080
)

// hexLanes classifies eight ASCII hex digits, x loaded little-endian, eight
// lanes at once: bad is zero when all eight are hex digits; letter has the
// high bit of each lane holding a letter (a–f or A–F) set.
func hexLanes(x uint64) (bad, letter uint64) {
	// A lane's high bit is set when its byte is in ['0', '9'], or, with the
	// 0x20 bit set, in ['a', 'f']. No ASCII lane carries into the next; a
	// lane that is not ASCII makes the word bad, whatever it carries.
	l := x | 0x20*lanes01
	digit := (x + (0x80-'0')*lanes01) &^ (x + (0x80-'9'-1)*lanes01)
	letter = (l + (0x80-'a')*lanes01) &^ (l + (0x80-'f'-1)*lanes01) & lanes80
	return (x | ^(digit | letter)) & lanes80, letter
}

// packHex packs eight hex digits, x as hexLanes took it, into four bytes
// (little-endian).
func packHex(x, letter uint64) uint32 {
	nibbles := x&(0x0F*lanes01) + 9*(letter>>7)
	pairs := (nibbles<<4 | nibbles>>8) & 0x00FF00FF00FF00FF // the byte of each pair in its first lane
	pairs = (pairs | pairs>>8) & 0x0000FFFF0000FFFF
	return uint32(pairs | pairs>>16)
}

// isPyASCIISpace reports whether c is whitespace to Python's bytes
// functions and int() on ASCII text (Py_ISSPACE): space, \t, \n, \v, \f, \r.
func isPyASCIISpace(c byte) bool { return c == ' ' || '\t' <= c && c <= '\r' }
