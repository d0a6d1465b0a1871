package signet

import (
	"bytes"
	"iter"
	"net/textproto"
	"strings"
)

// HeaderBlock reads the header fields of an HTTP/1.1 request as received
// (the lines between the request line and the empty line that ends them)
// the way net/http's server reads them, for an adapter over a server that
// parses them otherwise: fasthttp, say, keeps only the last value of some
// fields, joins the lines of a folded value (obs-fold) its own way and keeps
// the last of several Host fields. Its zero value holds no block; Reset
// gives it one. The strings it returns alias the block, but for a folded
// value's, which is built.
//
// A HeaderBlock is for one request at a time; keep one per pooled request
// view, so that its scratch space is reused.
type HeaderBlock struct {
	raw []byte
	// fields is raw split into its fields (each with its continuation lines,
	// without its line end), on the first call that needs them.
	fields []string
	split  bool
	facts  blockFacts
}

// blockFacts is what one scan of a block found. Its zero value is "not
// scanned yet".
type blockFacts uint8

const (
	blockScanned blockFacts = 1 << iota
	blockFolded
	blockRepeatedHost
	blockTransferEncoding
	blockFoldedColon // a continuation line holds a ':'
)

// maxKeptFields keeps a request with thousands of header fields from
// pinning a large scratch slice in a pooled HeaderBlock.
const maxKeptFields = 256

// Reset makes raw, a request's header block as received, the block b
// reads; Reset(nil) lets go of it (for a view going back to its pool). Its
// scratch space is kept, unless a block with very many fields made it large.
func (b *HeaderBlock) Reset(raw []byte) {
	b.raw, b.split, b.facts = raw, false, 0
	b.fields = b.fields[:0]
	if cap(b.fields) > maxKeptFields {
		b.fields = nil
	}
}

// Empty reports whether the block holds no header field: a request built in
// code rather than read from a connection, or one sent without header lines.
func (b *HeaderBlock) Empty() bool { return len(b.allFields()) == 0 }

// Folded reports whether a value of the block is folded over several lines
// (obs-fold, RFC 9112 §5.2), which servers join differently.
func (b *HeaderBlock) Folded() bool { return b.scan()&blockFolded != 0 }

// RepeatedHost reports whether the block has more than one Host field, in
// any case: a request a server must answer 400 (RFC 9112 §3.2), as net/http
// does, since one reader may take the first and another the last.
func (b *HeaderBlock) RepeatedHost() bool { return b.scan()&blockRepeatedHost != 0 }

// TransferEncoding reports whether the block has a Transfer-Encoding field,
// in any case.
func (b *HeaderBlock) TransferEncoding() bool { return b.scan()&blockTransferEncoding != 0 }

// Names yields the name of every field of the block, in order, as
// received (a field without a colon has none and is skipped).
func (b *HeaderBlock) Names() iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, f := range b.allFields() {
			if name, _, ok := strings.Cut(f, ":"); ok && !yield(name) {
				return
			}
		}
	}
}

// AppendValues appends to dst the value of every field of the block named
// name, in any case, in order, as net/textproto reads it: trimmed of spaces
// and tabs, and the lines of a folded value each trimmed and joined by one
// space. It allocates only for a folded value, an obsolete form.
func (b *HeaderBlock) AppendValues(dst []string, name string) []string {
	for _, f := range b.allFields() {
		if len(f) > len(name) && f[len(name)] == ':' && asciiEqualFold(f[:len(name)], name) {
			dst = append(dst, foldedValue(f[len(name)+1:]))
		}
	}
	return dst
}

// AppendHeader appends to dst the values net/http's server would put in
// Request.Header[name] (name in canonical form) for the block: those of
// AppendValues, but none for Host and Transfer-Encoding, which are not
// headers there, none for Content-Length and Trailer when the block has a
// Transfer-Encoding field (the body is chunked), and one of several
// identical Content-Length values. (net/http also makes up Cache-Control:
// no-cache for a request with Pragma: no-cache and no Cache-Control;
// AppendHeader gives only what was sent.)
func (b *HeaderBlock) AppendHeader(dst []string, name string) []string {
	switch name {
	case "Host", "Transfer-Encoding":
		return dst
	case "Content-Length", "Trailer":
		if b.TransferEncoding() {
			return dst
		}
	}
	start := len(dst)
	dst = b.AppendValues(dst, name)
	if name == "Content-Length" && len(dst)-start > 1 && allEqual(dst[start:]) {
		dst = dst[:start+1]
	}
	return dst
}

// allEqual reports whether every value of values is the first.
func allEqual(values []string) bool {
	for _, v := range values[1:] {
		if v != values[0] {
			return false
		}
	}
	return true
}

// Refusal is the error to answer, before verifying, a request with this
// block, HTTP/1.1 (http11) or not, whose framing, host or fields a server
// must treat as faulty or may refuse, so that two readers may read it
// differently: more than one Host field (RFC 9112 §3.2; net/http answers
// 400 itself); a folded value (obs-fold, which a server may refuse, RFC 9112
// §5.2) with a ':' in a continuation line (net/http joins the lines,
// fasthttp v1.60 to v1.64 read the line as a field of its own: an app would
// read a value cut short); a Transfer-Encoding field in a request that is
// not HTTP/1.1 (RFC 9112 §6.1: net/http ignores the field and reads the body
// by its Content-Length, another server may decode it as chunked). It is
// nil for any other block.
func (b *HeaderBlock) Refusal(http11 bool) *Error {
	switch {
	case b.RepeatedHost():
		return errRepeatedHost
	case b.scan()&blockFoldedColon != 0:
		return errFoldedColon
	case b.TransferEncoding() && !http11:
		return errTransferEncodingNotHTTP11
	}
	return nil
}

var (
	errRepeatedHost = &Error{kind: ErrMalformed,
		message: "the request has more than one Host header"}
	errFoldedColon = &Error{kind: ErrMalformed,
		message: "the request has a header value folded over several lines with a ':' in a continuation line: send each value on one line"}
	errTransferEncodingNotHTTP11 = &Error{kind: ErrMalformed,
		message: "the request has a Transfer-Encoding header but is not HTTP/1.1"}
)

// scan returns what the block holds, scanning it on the first call only.
func (b *HeaderBlock) scan() blockFacts {
	if b.facts == 0 {
		b.scanBlock()
	}
	return b.facts
}

// scanBlock sets b.facts, looking at the start of every line of the block
// in one pass: a line that starts with a space or a tab continues a folded
// value (and is read whole for a ':'); a line that starts with "Host:" or
// "Transfer-Encoding:", in any case, is such a field. Only a line's first
// byte is read unless it is an 'h', a 't' or a continuation.
func (b *HeaderBlock) scanBlock() {
	facts, hosts := blockScanned, 0
	for raw, first := b.raw, true; len(raw) > 0; first = false {
		if !first {
			n := bytes.IndexByte(raw, '\n')
			if n < 0 || n+1 >= len(raw) {
				break
			}
			raw = raw[n+1:]
		}
		switch c := raw[0]; {
		case c == ' ' || c == '\t':
			if !first {
				facts |= blockFolded
				if line, _, _ := bytes.Cut(raw, []byte{'\n'}); bytes.IndexByte(line, ':') >= 0 {
					facts |= blockFoldedColon
				}
			}
		case c|0x20 == 'h' && isHostField(raw):
			if hosts++; hosts > 1 {
				facts |= blockRepeatedHost
			}
		case c|0x20 == 't' && isTransferEncodingField(raw):
			facts |= blockTransferEncoding
		}
	}
	b.facts = facts
}

// isHostField reports whether line starts with the name Host, in any case,
// and its colon.
func isHostField(line []byte) bool {
	return len(line) > 4 && line[0]|0x20 == 'h' && line[1]|0x20 == 'o' && line[2]|0x20 == 's' && line[3]|0x20 == 't' &&
		line[4] == ':'
}

// isTransferEncodingField reports whether line starts with the name
// Transfer-Encoding, in any case, and its colon.
func isTransferEncodingField(line []byte) bool {
	const name = "transfer-encoding"
	return len(line) > len(name) && line[len(name)] == ':' && asciiEqualFold(stringOf(line[:len(name)]), name)
}

// asciiEqualFold reports whether a and b, of the same length, are equal in
// ASCII case folding.
func asciiEqualFold(a, b string) bool {
	for i := range len(a) {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

// allFields splits the block into its fields on the first call, each with
// its continuation lines (obs-fold) and without its line end, skipping empty
// lines, and returns them.
func (b *HeaderBlock) allFields() []string {
	if b.split {
		return b.fields
	}
	for raw := b.raw; len(raw) > 0; {
		end := 0
		for { // through the line end, and those of continuation lines
			n := bytes.IndexByte(raw[end:], '\n')
			if n < 0 {
				end = len(raw)
				break
			}
			end += n + 1
			if end == len(raw) || (raw[end] != ' ' && raw[end] != '\t') {
				break
			}
		}
		f := raw[:end]
		raw = raw[end:]
		if n := len(f); n > 0 && f[n-1] == '\n' {
			f = f[:n-1]
		}
		if n := len(f); n > 0 && f[n-1] == '\r' {
			f = f[:n-1]
		}
		if len(f) > 0 {
			b.fields = append(b.fields, stringOf(f))
		}
	}
	b.split = true
	return b.fields
}

// foldedValue returns the value of a field given what follows its colon,
// with its continuation lines: trimmed of spaces and tabs, and for a value
// folded over several lines, its lines each trimmed of spaces and tabs and
// joined by one space (a blank continuation line still adds its space, even
// at the end), as net/textproto joins them.
func foldedValue(value string) string {
	if strings.IndexByte(value, '\n') < 0 {
		return textproto.TrimString(value)
	}
	var b strings.Builder
	b.Grow(len(value))
	first := true
	for line := range strings.SplitSeq(value, "\n") {
		if !first {
			b.WriteByte(' ')
		}
		first = false
		line = strings.TrimSuffix(line, "\r") // the line end, as bufio's ReadLine drops it
		b.WriteString(strings.Trim(line, " \t"))
	}
	return strings.TrimLeft(b.String(), " \t") // a first line with no value
}
