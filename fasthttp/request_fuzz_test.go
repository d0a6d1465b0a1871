package signetfasthttp

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/valyala/fasthttp"
)

// FuzzViewMatchesNetHTTP gives the same bytes to net/http's server and to
// the view over fasthttp: when both hand the request on (net/http to a
// handler, fasthttp's parser without error), the verifier must see the
// same request through either.
func FuzzViewMatchesNetHTTP(f *testing.F) {
	for _, seed := range []string{
		"GET /orders/42?page=1 HTTP/1.1\r\nHost: api.example:8080\r\nX-Dup: one\r\nx-dup: two\r\n\r\n",
		"POST /up HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello",
		"POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTrailer: X-Late\r\n\r\n3\r\nabc\r\n0\r\nX-Late: 1\r\n\r\n",
		"GET http://Tenant-A.example:8080/files?sig=1 HTTP/1.1\r\nHost: tenant-b.example\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n  2\r\nX-B:\t b \r\n\r\n",
		"GET / HTTP/1.0\r\nConnection: keep-alive\r\nCookie: a=1\r\nCookie: b=2\r\n\r\n",
		"POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nX-A: real\r\n\r\n0\r\nX-A: trailer\r\nDate: Tue, 07 Jun 2014 20:51:35 GMT\r\n\r\n",
		"POST /x HTTP/1.0\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n1\r\na\r\n0\r\n\r\n",
		"GET http://tenant-a.example#@tenant-b.example/files?sig=1 HTTP/1.1\r\nHost: tenant-b.example\r\n\r\n",
		"CONNECT tenant-a.example:443 HTTP/1.1\r\nHost: tenant-a.example:443\r\n\r\n",
		"OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\nGET /y HTTP/1.1\r\nHost: h2\r\n\r\n",
		"GET http://u@a@c/x HTTP/1.1\r\nHost: h\r\n\r\n",
		"POST /x HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 59\r\n\r\n" +
			"--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--b--\r\n",
	} {
		f.Add(seed)
	}
	server := newNetHTTPServer(f)
	servers := []*fasthttp.Server{nil, {DisableHeaderNamesNormalizing: true}}
	f.Fuzz(func(t *testing.T, raw string) {
		want, wantBody, ok := server.serve(raw)
		if !ok {
			return // net/http answers it itself (a 400, a 505, …) or cannot read its body
		}
		if line, _, _ := strings.Cut(raw, "\n"); strings.HasPrefix(line, "OPTIONS * ") {
			// net/http's server answers OPTIONS * itself (unless
			// DisableGeneralOptionsHandler), so its handler's first request
			// is the next one on the connection.
			return
		}
		for _, server := range servers {
			fctx := new(fasthttp.RequestCtx)
			if server != nil && server.DisableHeaderNamesNormalizing {
				fctx.Request.Header.DisableNormalizing()
			}
			if fctx.Request.Read(bufio.NewReader(strings.NewReader(raw))) != nil {
				continue // fasthttp refuses it
			}
			if block := fctx.Request.Header.RawHeaders(); len(block) > 0 && string(block) != headerBlock(raw) {
				continue // fasthttp rewrote its copy of the block as received (see Header)
			}
			r := new(request)
			r.open(fctx, server)
			switch {
			case r.refusal() != nil: // the middleware answers it 400 itself
			case r.multipartParsed(): // the view's Body is ErrUnavailable: fasthttp parsed the form
			default:
				testViewMatches(t, want, wantBody, r)
			}
			r.close()
		}
	})
}

// netHTTPServer is net/http's server over in-memory connections (net.Pipe):
// serve hands it one connection with raw bytes and reports the request its
// handler received, if any.
type netHTTPServer struct {
	conns    chan net.Conn
	received chan *http.Request
	bodies   chan []byte
	closed   chan struct{}
}

func newNetHTTPServer(tb testing.TB) *netHTTPServer {
	s := &netHTTPServer{
		conns:    make(chan net.Conn),
		received: make(chan *http.Request, 1),
		bodies:   make(chan []byte, 1),
		closed:   make(chan struct{}, 1),
	}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Context().Value(reportedKey{}).(*atomic.Bool).Swap(true) {
				return // a request after the first on the connection
			}
			body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
			if err != nil {
				body = nil // an incomplete body: not comparable
			}
			s.bodies <- body
			s.received <- r
		}),
		ConnContext: func(ctx context.Context, _ net.Conn) context.Context {
			return context.WithValue(ctx, reportedKey{}, new(atomic.Bool))
		},
		ConnState: func(_ net.Conn, state http.ConnState) {
			if state == http.StateClosed {
				s.closed <- struct{}{}
			}
		},
	}
	var once sync.Once
	l := &pipeListener{conns: s.conns, done: make(chan struct{})}
	go srv.Serve(l)
	tb.Cleanup(func() { once.Do(func() { close(l.done) }) })
	return s
}

// reportedKey is the context key of whether a connection's first request
// was reported.
type reportedKey struct{}

// serve sends raw on a new connection, closed once written, and returns
// the first request net/http's handler received on it and its body.
func (s *netHTTPServer) serve(raw string) (*http.Request, []byte, bool) {
	client, conn := net.Pipe()
	s.conns <- conn
	go func() {
		_, _ = client.Write([]byte(raw))
		client.Close()
	}()
	go io.Copy(io.Discard, client) // the answers, so that the server never blocks writing them
	<-s.closed                     // after the handler, if it ran: it reported first
	select {
	case body := <-s.bodies:
		return <-s.received, body, body != nil
	default:
		return nil, nil, false
	}
}

// pipeListener accepts the connections sent on conns.
type pipeListener struct {
	conns chan net.Conn
	done  chan struct{}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error   { return nil }
func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }

// headerBlock returns the header block of raw, the request line skipped,
// through the empty line that ends it.
func headerBlock(raw string) string {
	_, rest, _ := strings.Cut(raw, "\n")
	for i := 0; ; {
		n := strings.IndexByte(rest[i:], '\n')
		if n < 0 {
			return rest
		}
		line := rest[i : i+n+1]
		if i += n + 1; line == "\n" || line == "\r\n" {
			return rest[:i]
		}
	}
}
