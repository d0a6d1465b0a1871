package signetfasthttp_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
	signetfasthttp "github.com/signet-go/signet/fasthttp"
)

// harness serves the suite's verifier behind signetfasthttp.New in a
// fasthttp server on its own listener.
type harness struct{}

// New builds signetfasthttp.New(v).
func (harness) New(v signet.Verifier) { signetfasthttp.New(v) }

func (harness) Serve(t testing.TB, v signet.Verifier, setup signettest.Setup) string {
	opts := []signetfasthttp.Option{nil} // ignored: every case runs with a nil Option
	if setup.Skip != nil {
		opts = append(opts, signetfasthttp.WithSkipper(func(rc *fasthttp.RequestCtx) bool {
			return setup.Skip(string(rc.Method()), string(rc.Path()))
		}))
	}
	if setup.CustomErrors {
		opts = append(opts, signetfasthttp.WithErrorHandler(func(rc *fasthttp.RequestCtx, err *signet.Error) {
			rc.SetStatusCode(signettest.CustomErrorStatus)
			rc.SetBodyString("custom:" + err.Code())
		}))
	}
	if setup.SilentErrors {
		opts = append(opts, signetfasthttp.WithErrorHandler(func(*fasthttp.RequestCtx, *signet.Error) {}))
	}
	return serve(t, &fasthttp.Server{Handler: signetfasthttp.New(v, opts...)(echoHandler)})
}

// echoHandler answers the suite's Echo: the Result and credentials the
// accessors find, and the body the handler reads.
func echoHandler(rc *fasthttp.RequestCtx) {
	res, _ := signetfasthttp.Result(rc)
	creds, _ := signetfasthttp.Credentials[signettest.Credentials](rc)
	rc.SetContentType("application/json")
	if err := json.NewEncoder(rc).Encode(signettest.NewEcho(res, creds, rc.Request.Body())); err != nil {
		rc.Error(err.Error(), fasthttp.StatusInternalServerError)
	}
}

// ownServer is the harness for a fasthttp that reads a repeated Host
// (before v1.70.0): OwnServer tells the suite that the middleware answers
// it itself, in signet's JSON. A newer fasthttp answers it 400 itself,
// before any handler, as net/http does.
type ownServer struct{ harness }

func (ownServer) OwnServer() {}

// serve runs server on a listener on 127.0.0.1 until t ends and returns
// its base URL.
func serve(t testing.TB, server *fasthttp.Server) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	served := make(chan error, 1)
	go func() { served <- server.Serve(ln) }()
	t.Cleanup(func() {
		if err := server.Shutdown(); err != nil {
			t.Error(err)
		}
		ln.Close()
		if err := <-served; err != nil && !errors.Is(err, net.ErrClosed) {
			t.Error(err)
		}
	})
	return "http://" + ln.Addr().String()
}

func TestSuite(t *testing.T) {
	if fasthttpRefuses("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") {
		signettest.Run(t, harness{})
		return
	}
	signettest.Run(t, ownServer{})
}

// fasthttpRefuses reports whether fasthttp, the version linked into this
// test, refuses to read raw, so that its server answers it 400 itself.
func fasthttpRefuses(raw string) bool {
	var req fasthttp.Request
	return req.Read(bufio.NewReader(strings.NewReader(raw))) != nil
}
