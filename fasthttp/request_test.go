package signetfasthttp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"

	signet "github.com/signet-go/signet/core"
)

// view reads raw as server does (nil: a server of fasthttp's defaults) and
// returns the request view the middleware would give the verifier,
// released when t ends.
func view(t *testing.T, server *fasthttp.Server, raw string) *request {
	t.Helper()
	fctx := new(fasthttp.RequestCtx)
	if server != nil && server.DisableHeaderNamesNormalizing {
		fctx.Request.Header.DisableNormalizing() // as the server does, before reading
	}
	require.NoError(t, fctx.Request.Read(bufio.NewReader(strings.NewReader(raw))))
	r := new(request)
	r.open(fctx, server)
	t.Cleanup(r.close)
	return r
}

// fasthttpRefuses reports whether fasthttp, the version linked into this
// test, refuses to read raw, so that its server answers it 400 itself,
// before any handler. Versions newer than the one this module asks for
// (v1.51.0, as fiber v2) refuse more than it does (make fasthttp-newest runs
// these tests with the newest): rows whose outcome depends on it say so.
func fasthttpRefuses(raw string) bool {
	_, err := fasthttpRead(raw)
	return err != nil
}

// fasthttpRead reads raw with fasthttp, as its server reads a request.
func fasthttpRead(raw string) (*fasthttp.Request, error) {
	req := new(fasthttp.Request)
	return req, req.Read(bufio.NewReader(strings.NewReader(raw)))
}

// TestViewMatchesNetHTTP reads the same bytes with net/http and through the
// view, and requires the verifier to see the same request: method, host,
// raw request-target, every header's values in order, and the body.
func TestViewMatchesNetHTTP(t *testing.T) {
	// Requests net/http serves that some fasthttp versions refuse (400).
	refusedBySomeFasthttp := map[string]string{"the same Content-Length twice": "from v1.52.0"}
	normalizing, notNormalizing := &fasthttp.Server{}, &fasthttp.Server{DisableHeaderNamesNormalizing: true}
	for _, tc := range []struct{ name, raw string }{
		{"repeated headers in order",
			"GET /orders/42?page=1 HTTP/1.1\r\nHost: api.example:8080\r\nX-Dup: one\r\ndate: Tue, 07 Jun 2014 20:51:35 GMT\r\nx-dup: two\r\nX-DUP: three\r\nAccept: */*\r\n\r\n"},
		{"raw request-target",
			"GET /a/../b//c%2Fd/./e?x=%20&y=;z&x=1 HTTP/1.1\r\nHost: h\r\n\r\n"},
		{"headers fasthttp keeps one of",
			"POST /up HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\nUser-Agent: a\r\nContent-Type: application/json\r\nUser-Agent: b\r\n" +
				"Content-Length: 5\r\nCookie: a=1\r\nCookie: b=2\r\nConnection: keep-alive\r\n\r\nhello"},
		{"the same Content-Length twice",
			"POST /up HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello"},
		{"spaces, tabs and empty values",
			"POST /f HTTP/1.1\r\nHost: h\r\nX-Tab:\t tabbed \t\r\nX-Empty:\r\nX-Latin: caf\xe9 \xe2\x82\xac\r\nContent-Type:\ttext/plain \r\nContent-Length: 0\r\n\r\n"},
		{"header names in any case, with normalisation off",
			"GET / HTTP/1.1\r\nHost: h\r\nsignature: a\r\nSIGNATURE: b\r\nSignature: c\r\n\r\n"},
		{"chunked, with a Content-Length and a trailer",
			"POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\nTrailer: X-Late\r\n\r\n" +
				"3\r\nabc\r\n2\r\nde\r\n0\r\nX-Late: 1\r\n\r\n"},
		// fasthttp sets Content-Length 0 once it has read an empty chunked
		// body: still chunked, its trailers still not headers.
		{"chunked, an empty body, a Content-Length and trailers",
			"POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 7\r\nX-A: real\r\n\r\n" +
				"0\r\nX-A: trailer\r\nDate: Tue, 07 Jun 2014 20:51:35 GMT\r\n\r\n"},
		{"no Content-Length on a POST", "POST /p HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"},
		// The host of an absolute-form target wins over the Host header
		// (RFC 9112 §3.2.2), its case kept.
		{"absolute-form target, another Host header",
			"GET http://Tenant-A.example:8080/files?sig=1 HTTP/1.1\r\nHost: tenant-b.example\r\n\r\n"},
		{"absolute-form target with user info", "GET http://user:pw@tenant-a.example/files HTTP/1.1\r\nHost: tenant-b.example\r\n\r\n"},
		{"absolute-form target with an escaped host", "GET http://caf%C3%A9.example/files HTTP/1.1\r\nHost: tenant-b.example\r\n\r\n"},
		// Found by FuzzViewMatchesNetHTTP.
		{"a Host value after a tab", "GET / HTTP/1.1\r\nHost:\th \t\r\n\r\n"},
		{"a folded Host value", "GET / HTTP/1.1\r\nHost:\r\n h\r\n\r\n"},
		{"no header lines", "DELETE / HTTP/1.0\r\n\r\n"},
		{"absolute-form target without a path", "GET https://tenant-a.example?x=1 HTTP/1.1\r\nHost: tenant-b.example\r\n\r\n"},
		// A value folded over several lines (obs-fold): net/http joins the
		// lines with one space, each trimmed of spaces and tabs (a blank
		// continuation line still adds its space); fasthttp keeps the
		// continuation's leading spaces. (It refuses a continuation line
		// with a colon, which it takes for a header name with a space.)
		{"folded value", "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n  2\r\n\r\n"},
		{"folded value, tabs and several lines",
			"GET / HTTP/1.1\r\nHost: h\r\nX-A: one \t\r\n\t two\r\n \t three\t\r\nX-B: b\r\n\r\n"},
		{"folded value, empty first line", "GET / HTTP/1.1\r\nHost: h\r\nX-A:\r\n  2\r\nX-B: b\r\n\r\n"},
		// (Not at the end of a value: fasthttp then loses its place in the
		// header block, and waits for more bytes or misreads the next field.)
		{"folded value, a blank continuation line",
			"GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n \r\n\t2\r\nX-B: 3\r\n\r\n"},
		{"folded value, repeated header", "GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n 2\r\nx-a: 3\r\nX-A: 4\r\n  5\r\n\r\n"},
		{"folded value, headers fasthttp keeps one of",
			"POST / HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain;\r\n  charset=utf-8\r\nUser-Agent: a\r\n  b\r\nContent-Length: 0\r\n\r\n"},
		{"folded value, chunked", "POST / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n  2\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n"},
		// Only a fold is replaced: spaces inside a value are kept.
		{"folded value, another value's spaces", "GET / HTTP/1.1\r\nHost: h\r\nUser-Agent: one\r\n  two\r\nX-Plain: a  b\r\n\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, err := http.ReadRequest(bufio.NewReader(strings.NewReader(tc.raw)))
			require.NoError(t, err)
			if fasthttpRefuses(tc.raw) {
				require.Contains(t, refusedBySomeFasthttp, tc.name, "fasthttp refuses a request net/http serves")
				return // never reaches a handler
			}
			wantBody, err := io.ReadAll(want.Body)
			require.NoError(t, err)
			for _, server := range []*fasthttp.Server{normalizing, notNormalizing} {
				testViewMatches(t, want, wantBody, view(t, server, tc.raw))
			}
		})
	}
}

func testViewMatches(t *testing.T, want *http.Request, wantBody []byte, got *request) {

	t.Helper()
	assert.Equal(t, want.Method, got.Method())
	assert.Equal(t, want.Host, got.Host())
	assert.Equal(t, want.RequestURI, got.RequestURI())
	assert.Equal(t, "http", got.Scheme())
	names := slices.Collect(maps.Keys(want.Header))
	names = append(names, "Host", "Transfer-Encoding", "Content-Length", "Trailer", "X-Late", "Date", "X-Absent")
	for _, name := range names {
		assert.Equal(t, want.Header[name], got.Header(name), name)
	}
	body, err := got.Body(1 << 10)
	require.NoError(t, err)
	assert.Equal(t, string(wantBody), string(body))
}

// TestViewHeaderSlices checks that a slice Header returned stays intact
// when Header is called again, and that release drops the request.
func TestViewHeaderSlices(t *testing.T) {
	r := view(t, nil, "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nB: 3\r\nA: 4\r\n\r\n")
	a := r.Header("A")
	b := r.Header("B")
	assert.Equal(t, []string{"1", "4"}, a)
	assert.Equal(t, []string{"2", "3"}, b)
	_ = append(a, "x") // capped: cannot write into b
	assert.Equal(t, []string{"2", "3"}, b)
}

// TestViewWithoutRawHeaders checks a request built in code (no header block
// as received): the view falls back to fasthttp's parsed headers.
func TestViewWithoutRawHeaders(t *testing.T) {
	fctx := new(fasthttp.RequestCtx)
	fctx.Request.Header.SetMethod("PUT")
	fctx.Request.SetRequestURI("/x?y=1")
	fctx.Request.Header.SetHost("h")
	fctx.Request.Header.Add("X-Dup", "1")
	fctx.Request.Header.Add("X-Dup", "2")
	r := new(request)
	r.open(fctx, nil)
	defer r.close()
	assert.Equal(t, "PUT", r.Method())
	assert.Equal(t, "/x?y=1", r.RequestURI())
	assert.Equal(t, []string{"1", "2"}, r.Header("X-Dup"))
	assert.Nil(t, r.Header("Host"))
	assert.Nil(t, r.Header("X-Absent"))
	assert.Nil(t, r.Header("Content-Length"))
}

// TestViewBodyLimit checks Body's limit: the body over it is the 413 error.
func TestViewBodyLimit(t *testing.T) {
	r := view(t, nil, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello")
	body, err := r.Body(5)
	require.NoError(t, err)
	assert.Equal(t, "hello", string(body))
	_, err = r.Body(4)
	var serr *signet.Error
	require.True(t, errors.As(err, &serr))
	assert.ErrorIs(t, err, signet.ErrBodyTooLarge)
	assert.Equal(t, http.StatusRequestEntityTooLarge, serr.Status())
}

// TestViewHeaderBlock checks that the view reads the header block as
// fasthttp received it (signet.HeaderBlock's own tests check how it reads
// one): its facts, and whether the body is chunked.
func TestViewHeaderBlock(t *testing.T) {
	for _, tc := range []struct {
		name, headers                 string
		folded, repeatedHost, chunked bool
	}{
		{"plain", "Host: h\r\nX-A: 1\r\n", false, false, false},
		{"Host twice", "Host: h\r\nX-A: 1\r\nhost: evil\r\n", false, true, false},
		{"folded", "Host: h\r\nX-A: 1\r\n\t2\r\n", true, false, false},
		{"chunked", "Host: h\r\ntransfer-encoding: chunked\r\n", false, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := ""
			if tc.chunked {
				body = "0\r\n\r\n"
			}
			raw := "GET / HTTP/1.1\r\n" + tc.headers + "\r\n" + body
			if fasthttpRefuses(raw) {
				require.True(t, tc.repeatedHost, "fasthttp refuses it") // from v1.70.0
				return
			}
			r := view(t, nil, raw)
			assert.Equal(t, tc.chunked, r.block.TransferEncoding(), "chunked")
			assert.Equal(t, tc.folded, r.block.Folded(), "folded")
			assert.Equal(t, tc.repeatedHost, r.block.RepeatedHost(), "Host repeated")
		})
	}
}

// TestViewTrailers checks that a chunked request whose trailer fields
// fasthttp added to its headers (net/http keeps them apart: X-Role would
// read "user", "admin" for the app) is refused, whatever the server does
// with header names, and that one without trailers is not.
func TestViewTrailers(t *testing.T) {
	const head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
	for _, tc := range []struct {
		name, headers, trailers string
		want                    error
	}{
		{"trailer repeating a header", "X-Role: user\r\n", "X-Role: admin\r\n", errTrailers},
		{"trailer repeating a header in another case", "X-Role: user\r\n", "x-role: admin\r\n", errTrailers},
		{"declared trailer", "Trailer: X-Sum\r\n", "X-Sum: 1\r\n", errTrailers},
		{"undeclared trailer", "", "X-Sum: 1\r\n", errTrailers},
		{"User-Agent trailer", "User-Agent: u\r\n", "User-Agent: v\r\n", errTrailers},
		{"declared, none sent", "Trailer: X-Sum\r\nX-A: 1\r\n", "", nil},
		{"every header kept apart, none sent", "Content-Type: a\r\nUser-Agent: u\r\nCookie: c=1\r\nConnection: close\r\nTrailer: X-Sum\r\nX-A: 1\r\nx-a: 2\r\n", "", nil},
		{"folded, none sent", "X-A: 1\r\n 2\r\n", "", nil},
	} {
		for _, server := range []*fasthttp.Server{nil, {DisableHeaderNamesNormalizing: true}} {
			t.Run(fmt.Sprintf("%s, names as sent %v", tc.name, server != nil), func(t *testing.T) {
				raw := head + tc.headers + "\r\n1\r\na\r\n0\r\n" + tc.trailers + "\r\n"
				if fasthttpRefuses(raw) {
					require.NotNil(t, tc.want, "fasthttp refuses a request the middleware serves")
					return
				}
				got := view(t, server, raw).refusal()
				if tc.want == nil {
					assert.Nil(t, got)
				} else {
					assert.Equal(t, tc.want, got)
				}
			})
		}
	}
}

// TestViewRefusal checks what the middleware refuses before verifying, and
// that checking a request-target leaves the target the view reads as
// received (fasthttp's Request.RequestURI, unlike URI, rewrites it).
func TestViewRefusal(t *testing.T) {
	refused := func(block string, http11 bool) *signet.Error {
		var b signet.HeaderBlock
		b.Reset([]byte(block))
		return b.Refusal(http11)
	}
	errHostRepeated := refused("Host: a\r\nHost: b\r\n", true)
	errTransferEncoding := refused("Transfer-Encoding: chunked\r\n", false)
	errFoldedColon := refused("X-A: 1,\r\n 2:3\r\n", true)
	require.NotNil(t, errFoldedColon)
	require.NotNil(t, errHostRepeated)
	require.NotNil(t, errTransferEncoding)
	for _, tc := range []struct {
		name, raw string
		want      error
	}{
		{"origin-form", "GET /a?u=http://b@c/ HTTP/1.1\r\nHost: h\r\n\r\n", nil},
		{"asterisk-form", "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", nil},
		{"origin-form, '//'", "GET //a/b?c HTTP/1.1\r\nHost: h\r\n\r\n", nil},
		// fasthttp reads the host a and the path /b, net/http the path //a/b.
		{"origin-form, '//' and '://'", "GET //a/b?u=http://c/ HTTP/1.1\r\nHost: h\r\n\r\n", errTarget},
		{"origin-form, '//', no Host header", "GET //a/b HTTP/1.0\r\n\r\n", errTarget},
		{"absolute-form", "GET http://A.example:8080/x?y#z HTTP/1.1\r\nHost: a.EXAMPLE:8080\r\n\r\n", nil},
		{"absolute-form, no Host header", "GET http://a.example/x HTTP/1.0\r\n\r\n", nil},
		{"absolute-form, another Host header", "GET http://a.example/x HTTP/1.1\r\nHost: h\r\n\r\n", nil},
		{"absolute-form, user info", "GET http://u:p@a.example/x HTTP/1.1\r\nHost: a.example\r\n\r\n", nil},
		{"absolute-form, an escaped host", "GET http://caf%C3%A9.example/files HTTP/1.1\r\nHost: caf\xc3\xa9.example\r\n\r\n", nil},
		{"absolute-form, '#' and '@'", "GET http://a.example#@b.example/x HTTP/1.1\r\nHost: b.example\r\n\r\n", errTarget},
		// fasthttp before v1.68.0 reads the host after the first '@' (net/http: the last).
		{"absolute-form, two '@'", "GET http://u@b.example@a.example/x HTTP/1.1\r\nHost: h\r\n\r\n", errTarget},
		{"absolute-form, no host", "GET http:///x HTTP/1.1\r\nHost: h\r\n\r\n", errTarget},
		{"no scheme", "GET x/http://a.example/x HTTP/1.1\r\nHost: h\r\n\r\n", errTarget},
		{"authority-form", "CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n", errTarget},
		// net/http reads a CONNECT request's target that is not a path as an
		// authority: the host "*", and "http:" for http://a.example/x.
		{"CONNECT *", "CONNECT * HTTP/1.0\r\n\r\n", errTarget},
		{"CONNECT, absolute-form", "CONNECT http://a.example/x HTTP/1.1\r\nHost: a.example\r\n\r\n", errTarget},
		{"CONNECT, origin-form", "CONNECT /x HTTP/1.1\r\nHost: a.example\r\n\r\n", nil},
		{"Host twice", "GET / HTTP/1.1\r\nHost: h\r\nHost: h\r\n\r\n", errHostRepeated},
		{"HTTP/1.0, Transfer-Encoding", "POST / HTTP/1.0\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n", errTransferEncoding},
		{"HTTP/1.0, Transfer-Encoding, no scheme", "POST x/http://a.example/x HTTP/1.0\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n", errTarget},
		{"Host twice, no scheme", "GET x/http://a.example/x HTTP/1.1\r\nHost: h\r\nHost: h\r\n\r\n", errHostRepeated},
		// fasthttp before v1.60.0 refuses it; v1.60.0 to v1.64.x read the
		// continuation line as a field of its own (the app reads "Tue,"),
		// later versions join the lines as net/http does.
		{"folded value, a ':' in a continuation line", "GET / HTTP/1.1\r\nHost: h\r\nDate: Tue,\r\n 07 Jun 2014 20:51:35 GMT\r\n\r\n", errFoldedColon},
		{"HTTP/1.1, Transfer-Encoding", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n", nil},
		{"HTTP/1.0", "POST / HTTP/1.0\r\nHost: h\r\nContent-Length: 1\r\n\r\na", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := tc.raw
			if fasthttpRefuses(raw) {
				// From v1.70.0 (Transfer-Encoding: v1.74.0), answered 400
				// before any handler, as the middleware would.
				require.NotNil(t, tc.want, "fasthttp refuses a request the middleware serves")
				return
			}
			r := view(t, nil, raw)
			target := r.RequestURI()
			want := tc.want
			if tc.name == "absolute-form, two '@'" && string(r.ctx.Request.URI().Host()) == "a.example" {
				want = nil // a fasthttp that reads net/http's host
			}
			if want == nil {
				assert.Nil(t, r.refusal())
			} else {
				assert.Equal(t, want, r.refusal())
			}
			assert.Equal(t, target, r.RequestURI(), "the target as received")
			if want == nil && raw[0] != 'O' { // net/http answers OPTIONS * itself
				want, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
				require.NoError(t, err)
				assert.Equal(t, want.Host, r.Host())
				assert.Equal(t, want.RequestURI, r.RequestURI())
			}
		})
	}
}
