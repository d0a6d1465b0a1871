package signet_test

import (
	"bufio"
	"net/http"
	"net/textproto"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

func block(raw string) *signet.HeaderBlock {
	var b signet.HeaderBlock
	b.Reset([]byte(raw))
	return &b
}

// TestHeaderBlockFacts checks the one scan of a block: a folded value and a
// repeated Host (any case, either order, even the same value, as net/http
// counts them), a Transfer-Encoding field, and what is none of them.
func TestHeaderBlockFacts(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		headers              string
		folded, repeatedHost bool
		transferEncoding     bool
	}{
		{"Host once", "Host: h\r\nX-A: 1\r\n", false, false, false},
		{"Host once, last", "X-A: 1\r\nHost: h\r\n", false, false, false},
		{"Host twice, another first", "Host: evil\r\nHost: h\r\n", false, true, false},
		{"Host twice, another last", "Host: h\r\nX-A: 1\r\nHost: evil\r\n", false, true, false},
		{"Host twice, same value, any case", "host: h\r\nHOST: h\r\n", false, true, false},
		{"names that start like Host", "Host: h\r\nX-Host: a\r\nHostname: b\r\nHost-X: c\r\nHost : d\r\n", false, false, false},
		{"a continuation line that reads like Host", "Host: h\r\nX-A: 1\r\n Host: evil\r\n", true, false, false},
		{"folded and Host twice", "Host: h\r\nX-A: 1\r\n\t2\r\nHost: evil\r\n", true, true, false},
		{"a first line that starts with a space is no fold", " X-A: 1\r\nHost: h\r\n", false, false, false},
		{"bare line feeds", "Host: h\nX-A: 1\n 2\nhost: i\n", true, true, false},
		{"Transfer-Encoding", "Host: h\r\nTransfer-Encoding: chunked\r\n", false, false, true},
		{"Transfer-Encoding first, any case", "tRANSFER-eNCODING: chunked\r\nHost: h\r\n", false, false, true},
		{"names that start like Transfer-Encoding", "Host: h\r\nTransfer-Encodings: a\r\nTransfer: b\r\nTE: trailers\r\n", false, false, false},
		{"no block", "", false, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := block(tc.headers + "\r\n")
			assert.Equal(t, tc.folded, b.Folded(), "folded")
			assert.Equal(t, tc.repeatedHost, b.RepeatedHost(), "Host repeated")
			assert.Equal(t, tc.transferEncoding, b.TransferEncoding(), "Transfer-Encoding")
		})
	}
}

// TestHeaderBlockAppendValues checks the values of a field as net/textproto
// reads them (each case also against textproto itself).
func TestHeaderBlockAppendValues(t *testing.T) {
	for _, tc := range []struct {
		name, headers, field string
		want                 []string
	}{
		{"one", "Host: h\r\nDate: d\r\n", "Date", []string{"d"}},
		{"repeated, any case, in order", "X-A: 1\r\nx-b: 2\r\nx-a: 3\r\nX-A:4\r\n", "X-A", []string{"1", "3", "4"}},
		{"trimmed of spaces and tabs", "X-A: \t a  b \t\r\n", "X-A", []string{"a  b"}},
		{"empty", "X-A:\r\nX-A: \r\n", "X-A", []string{"", ""}},
		{"a longer name is another field", "X-AB: 1\r\nX-A: 2\r\n", "X-A", []string{"2"}},
		{"folded: each line trimmed, joined by one space", "X-A: one\r\n  two\r\n\t three \r\n", "X-A", []string{"one two three"}},
		{"folded after an empty first line", "X-A:\r\n two\r\n", "X-A", []string{"two"}},
		{"folded with a blank line", "X-A: one\r\n \r\n two\r\n", "X-A", []string{"one  two"}},
		{"folded, blank at the end", "X-A: one\r\n \r\nX-B: 2\r\n", "X-A", []string{"one "}},
		{"bare line feeds", "X-A: one\n two\nX-A: 3\n", "X-A", []string{"one two", "3"}},
		{"absent", "X-A: 1\r\n", "X-B", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := tc.headers + "\r\n"
			got := block(raw).AppendValues(nil, tc.field)
			assert.Equal(t, tc.want, got)
			if want, ok := textprotoValues(raw); assert.True(t, ok, "textproto reads the block") {
				assert.Equal(t, want[textproto.CanonicalMIMEHeaderKey(tc.field)], got, "as textproto reads it")
			}
		})
	}
}

// TestHeaderBlockReset checks that a reset block reads only the new block,
// and that Empty tells a block without fields.
func TestHeaderBlockReset(t *testing.T) {
	b := block("X-A: 1\r\nX-B: 2\r\n\r\n")
	assert.False(t, b.Empty())
	assert.Equal(t, []string{"1"}, b.AppendValues(nil, "X-A"))
	assert.True(t, b.RepeatedHost() == false && b.Folded() == false)

	b.Reset([]byte("X-B: 3\r\nHost: a\r\nHost: b\r\n X\r\n\r\n"))
	assert.Nil(t, b.AppendValues(nil, "X-A"), "nothing of the old block")
	assert.Equal(t, []string{"3"}, b.AppendValues(nil, "X-B"))
	assert.True(t, b.RepeatedHost(), "facts of the new block")
	assert.True(t, b.Folded())

	for _, raw := range []string{"", "\r\n", "\r\n\r\n"} {
		b.Reset([]byte(raw))
		assert.True(t, b.Empty(), "%q", raw)
		assert.Nil(t, b.AppendValues(nil, "Host"))
	}
}

// TestHeaderBlockAllocs checks that reading a block allocates nothing when
// its scratch space and dst are reused and no value is folded.
func TestHeaderBlockAllocs(t *testing.T) {
	raw := []byte("Host: h\r\nDate: d\r\nX-A: 1\r\nX-A: 2\r\nTransfer-Encoding: chunked\r\n\r\n")
	var b signet.HeaderBlock
	dst := make([]string, 0, 4)
	allocs := testing.AllocsPerRun(100, func() {
		b.Reset(raw)
		_ = b.Folded() || b.RepeatedHost() || b.TransferEncoding()
		dst = b.AppendValues(dst[:0], "X-A")
	})
	assert.Zero(t, allocs)
	assert.Equal(t, []string{"1", "2"}, dst)
}

// TestHeaderBlockAppendHeader checks the rules net/http's server applies to
// the fields of a block for Request.Header (each case also against
// http.ReadRequest).
func TestHeaderBlockAppendHeader(t *testing.T) {
	for _, tc := range []struct {
		name, headers, field string
		want                 []string
	}{
		{"a header", "Host: h\r\nX-A: 1\r\nx-a: 2\r\n", "X-A", []string{"1", "2"}},
		{"Host is not a header", "Host: h\r\n", "Host", nil},
		{"nor is Transfer-Encoding", "Host: h\r\nTransfer-Encoding: chunked\r\n", "Transfer-Encoding", nil},
		{"Content-Length", "Host: h\r\nContent-Length: 3\r\n", "Content-Length", []string{"3"}},
		{"identical Content-Lengths are one", "Host: h\r\nContent-Length: 3\r\ncontent-length: 3\r\n", "Content-Length", []string{"3"}},
		{"Content-Length of a chunked body", "Host: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n", "Content-Length", nil},
		{"Trailer", "Host: h\r\nTrailer: X-T\r\n", "Trailer", []string{"X-T"}},
		{"Trailer of a chunked body", "Host: h\r\nTransfer-Encoding: chunked\r\nTrailer: X-T\r\n", "Trailer", nil},
		{"another header of a chunked body", "Host: h\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n", "X-A", []string{"1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := tc.headers + "\r\n"
			got := block(raw).AppendHeader(nil, tc.field)
			assert.Equal(t, tc.want, got)
			r, err := http.ReadRequest(bufio.NewReader(strings.NewReader("POST / HTTP/1.1\r\n" + raw)))
			require.NoError(t, err)
			assert.Equal(t, r.Header[tc.field], got, "as net/http reads it")
		})
	}
	// Different Content-Lengths are all kept: net/http refuses the request,
	// a verifier must not read one of them as the length.
	assert.Equal(t, []string{"3", "4"}, block("Content-Length: 3\r\nContent-Length: 4\r\n\r\n").AppendHeader(nil, "Content-Length"))
}

// TestHeaderBlockRefusal checks what a server must answer 400 before
// verifying.
func TestHeaderBlockNames(t *testing.T) {
	b := block("Host: h\r\nx-a: 1\r\n  folded: 2\r\nno colon\r\nX-B:3\r\n")
	assert.Equal(t, []string{"Host", "x-a", "X-B"}, slices.Collect(b.Names()))
	for range b.Names() {
		break // stops when asked
	}
}

func TestHeaderBlockRefusal(t *testing.T) {
	for _, tc := range []struct {
		name, headers string
		http11        bool
		want          string // the message, "" for none
	}{
		{"plain", "Host: h\r\n", true, ""},
		{"Host twice", "Host: h\r\nhost: h\r\n", true, "the request has more than one Host header"},
		{"chunked HTTP/1.1", "Host: h\r\nTransfer-Encoding: chunked\r\n", true, ""},
		{"chunked HTTP/1.0", "Host: h\r\nTransfer-Encoding: chunked\r\n", false, "the request has a Transfer-Encoding header but is not HTTP/1.1"},
		{"HTTP/1.0", "Host: h\r\nContent-Length: 1\r\n", false, ""},
		{"folded", "Host: h\r\nX-A: 1,\r\n 2\r\n", true, ""},
		{"folded, a ':' in a continuation line", "Host: h\r\nX-Amount: 1,\r\n 000:00\r\n", true,
			"the request has a header value folded over several lines with a ':' in a continuation line: send each value on one line"},
		{"a ':' in a value, not folded", "Host: h\r\nDate: Tue, 07 Jun 2014 20:51:35 GMT\r\n", true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := block(tc.headers + "\r\n").Refusal(tc.http11)
			if tc.want == "" {
				assert.Nil(t, err)
				return
			}
			require.NotNil(t, err)
			assert.ErrorIs(t, err, signet.ErrMalformed)
			assert.Equal(t, tc.want, err.Error())
		})
	}
}

// FuzzHeaderBlock checks HeaderBlock against net/textproto, which net/http's
// server reads header blocks with: for every block textproto reads, every
// field has the values textproto gives it, and the facts agree with it.
func FuzzHeaderBlock(f *testing.F) {
	for _, seed := range []string{
		"Host: h\r\nX-A: 1\r\nx-a: 2\r\n\r\n",
		"Host: h\r\nX-A: one\r\n  two\r\n\t three\r\nX-B:\t b \r\n\r\n",
		"Host: a\r\nhost: b\r\nTransfer-Encoding: chunked\r\n\r\n",
		"X-A:\r\n \r\n x\r\n\r\n",
		"X-A: 1\nX-B: 2\n\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		b := block(raw)
		want, ok := textprotoValues(raw)
		if !ok {
			_ = b.Folded() || b.Empty() // must not panic
			for _, name := range []string{"Host", "X-A", ""} {
				_ = b.AppendValues(nil, name)
			}
			return
		}
		// textproto reads only up to the empty line: so must the block.
		if end := blockEnd(raw); end < len(raw) {
			b = block(raw[:end])
		}
		for name, values := range want {
			require.Equal(t, values, b.AppendValues(nil, name), "values of %q", name)
		}
		require.Equal(t, len(want["Host"]) > 1, b.RepeatedHost(), "Host repeated")
		require.Equal(t, want["Transfer-Encoding"] != nil, b.TransferEncoding(), "Transfer-Encoding")
		require.Equal(t, len(want) == 0, b.Empty(), "empty")

		// And the rules of net/http's Request.Header, where it reads the
		// request (a Content-Length it can use, a Transfer-Encoding it
		// knows, one Host at most).
		r, err := http.ReadRequest(bufio.NewReader(strings.NewReader("POST / HTTP/1.1\r\n" + raw)))
		if err != nil {
			return
		}
		require.False(t, b.RepeatedHost(), "net/http reads one Host only")
		for name := range want {
			require.Equal(t, r.Header[name], b.AppendHeader(nil, name), "Request.Header[%q]", name)
		}
	})
}

// textprotoValues reads raw as net/http's server reads a header block.
func textprotoValues(raw string) (map[string][]string, bool) {
	h, err := textproto.NewReader(bufio.NewReader(strings.NewReader(raw))).ReadMIMEHeader()
	if err != nil {
		return nil, false
	}
	return h, true
}

// blockEnd returns the length of raw up to and including the empty line
// that ends a header block, or len(raw).
func blockEnd(raw string) int {
	for i := 0; i < len(raw); {
		n := strings.IndexByte(raw[i:], '\n')
		if n < 0 {
			break
		}
		line := strings.TrimSuffix(raw[i:i+n], "\r")
		i += n + 1
		if line == "" {
			return i
		}
	}
	return len(raw)
}
