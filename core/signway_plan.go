package signet

import (
	"slices"
	"strings"
)

// signwayPlan is what one X-Sw-SignedHeaders value says, worked out once:
// the names it signs, the header keys they are looked up by, and the parts
// of the canonical request that depend on the names alone. It is immutable
// and owns its strings, so a Result may share them (its SignedHeaders'
// names and Covered).
type signwayPlan struct {
	list  string   // the X-Sw-SignedHeaders value as sent, still form-encoded
	names []string // lower-cased, each once, in list order
	keys  []string // the canonical header key of each name; "" for host, read from Host
	// lines is the order of the canonical header lines (name:value): a
	// name is a token, without ':', so two lines differ within the
	// shorter name and the ':' after it, and the names alone decide.
	lines  []uint8
	sorted string // the names sorted, joined by ';'
	query  string // the canonical query's value: the names encoded, joined by %3B
	exact  bool   // the value decodes to the names joined by ';' (SignwayStrict)
	// err is what is wrong with the name after the last of names, when
	// something is: the list is read up to there.
	err *Error
}

// noSignedHeaders is the plan of an empty X-Sw-SignedHeaders, never cached.
var noSignedHeaders = newSignwayPlan("", "")

// newSignwayPlan works out the plan of list, which form-decodes to
// decoded, as Signway reads it: split on ';', empty names skipped, names
// lower-cased and kept once, in order. A name that is not a header name,
// or a name beyond the first maxSignwayHeaders, repeats counted, stops it
// (err): a list of one name repeated thousands of times costs no more than
// one of maxSignwayHeaders names.
func newSignwayPlan(list, decoded string) *signwayPlan {
	// Room for every string of the plan: list; names, keys and sorted are
	// at most as long as the names read, query three times that.
	read, more := cutSignwayNames(decoded)
	buf := make([]byte, 0, len(list)+6*len(read))
	keep := func(start int) string { return stringOf(buf[start:len(buf):len(buf)]) }
	p := &signwayPlan{}
	buf = append(buf, list...)
	p.list = keep(0)
	for rest := read; rest != ""; {
		var name string
		name, rest, _ = strings.Cut(rest, ";")
		if name == "" {
			continue
		}
		if !isToken(name) {
			p.err = newError(ErrMalformed, "X-Sw-SignedHeaders names %.64q, which is not a header name", name)
			break
		}
		start := len(buf)
		for i := 0; i < len(name); i++ {
			buf = append(buf, lower(name[i]))
		}
		if name = keep(start); slices.Contains(p.names, name) {
			buf = buf[:start]
			continue
		}
		p.names = append(p.names, name)
		key := ""
		if name != "host" {
			start = len(buf)
			buf = appendHeaderKey(buf, name)
			key = keep(start)
		}
		p.keys = append(p.keys, key)
	}
	if more && p.err == nil {
		p.err = newError(ErrMalformed, "X-Sw-SignedHeaders lists more than %d names (a repeated name counts each time)", maxSignwayHeaders)
	}

	names := p.names
	p.lines = make([]uint8, len(names))
	byName := make([]uint8, len(names))
	for i := range names {
		p.lines[i], byName[i] = uint8(i), uint8(i)
	}
	sortOrder(p.lines, func(i, j uint8) bool { return lineLess(names[i], names[j]) })
	sortOrder(byName, func(i, j uint8) bool { return names[i] < names[j] })
	start := len(buf)
	for k, i := range byName {
		if k > 0 {
			buf = append(buf, ';')
		}
		buf = append(buf, names[i]...)
	}
	p.sorted = keep(start)
	start = len(buf)
	for k, name := range names {
		if k > 0 {
			buf = append(buf, "%3B"...)
		}
		buf = appendSignwayEnc(buf, name)
	}
	p.query = keep(start)
	p.exact = decoded == strings.Join(names, ";")
	return p
}

// cutSignwayNames cuts decoded after its maxSignwayHeaders-th name (empty
// names skipped, repeats counted): a plan reads the names of read, and
// refuses the list when more names follow.
func cutSignwayNames(decoded string) (read string, more bool) {
	n := 0
	for rest := decoded; rest != ""; {
		var name string
		if name, rest, _ = strings.Cut(rest, ";"); name != "" {
			if n++; n == maxSignwayHeaders {
				return decoded[:len(decoded)-len(rest)], strings.Trim(rest, ";") != ""
			}
		}
	}
	return decoded, false
}

// appendHeaderKey appends the canonical header key of the lower-case token
// name (see net/textproto.CanonicalMIMEHeaderKey): content-type is
// Content-Type.
func appendHeaderKey(dst []byte, name string) []byte {
	start := len(dst)
	dst = append(dst, name...)
	upper := true
	for i := start; i < len(dst); i++ {
		if c := dst[i]; upper && 'a' <= c && c <= 'z' {
			dst[i] = c - ('a' - 'A')
		}
		upper = dst[i] == '-'
	}
	return dst
}

// lineLess orders the canonical header lines of two names, name + ":" +
// value, byte-wise, whatever their values (see signwayPlan.lines).
func lineLess(a, b string) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	// One is a prefix of the other: its ':' comes before the other's next
	// byte, a token byte, when that is greater than ':'.
	switch {
	case len(a) < len(b):
		return ':' < b[len(a)]
	case len(b) < len(a):
		return a[len(b)] < ':'
	}
	return false
}

// sortOrder sorts a few indices in place (insertion sort: no allocation).
func sortOrder(order []uint8, less func(i, j uint8) bool) {
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && less(order[j], order[j-1]); j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
}
