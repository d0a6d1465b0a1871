package signetfiber_test

import (
	"errors"
	"net"
	"testing"

	"github.com/gofiber/fiber/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
	signetfiber "github.com/signet-go/signet/fiberv3"
)

// harness serves the suite's verifier behind signetfiber.New in a fiber app
// on its own listener.
type harness struct{}

// New builds signetfiber.New(v).
func (harness) New(v signet.Verifier) { signetfiber.New(v) }

func (harness) Serve(t testing.TB, v signet.Verifier, setup signettest.Setup) string {
	var cfg signetfiber.Config
	if setup.Skip != nil {
		cfg.Next = func(c fiber.Ctx) bool { return setup.Skip(c.Method(), c.Path()) }
	}
	if setup.CustomErrors {
		cfg.ErrorHandler = func(c fiber.Ctx, err *signet.Error) error {
			return c.Status(signettest.CustomErrorStatus).SendString("custom:" + err.Code())
		}
	}
	if setup.SilentErrors {
		cfg.ErrorHandler = func(fiber.Ctx, *signet.Error) error { return nil }
	}
	app := fiber.New()
	app.Use(signetfiber.New(v, cfg))
	app.Use(func(c fiber.Ctx) error {
		res, _ := signetfiber.Result(c)
		creds, _ := signetfiber.Credentials[signettest.Credentials](c)
		return c.JSON(signettest.NewEcho(res, creds, c.BodyRaw()))
	})
	return serve(t, app)
}

// ownServer is the harness for a fasthttp that reads a repeated Host
// (before v1.70.0: fiber v3.1.0 asks for v1.69.0): OwnServer tells the
// suite that the middleware answers it itself, in signet's JSON. A newer
// fasthttp refuses it itself, and fiber answers 400 as net/http does.
type ownServer struct{ harness }

func (ownServer) OwnServer() {}

// NilIsHandled tells the suite that an ErrorHandler returning nil has
// handled the request, as in fiber's own middlewares.
func (harness) NilIsHandled() {}

// serve runs app on a listener on 127.0.0.1 until t ends and returns its
// base URL.
func serve(t testing.TB, app *fiber.App) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	served := make(chan error, 1)
	go func() { served <- app.Listener(ln, fiber.ListenConfig{DisableStartupMessage: true}) }()
	t.Cleanup(func() {
		assert.NoError(t, app.Shutdown())
		ln.Close() // for a test that ended before Listener took ln: Shutdown did not see it
		if err := <-served; err != nil && !errors.Is(err, net.ErrClosed) {
			t.Error(err)
		}
	})
	return "http://" + ln.Addr().String()
}

func TestSuite(t *testing.T) {
	if _, err := fasthttpRead("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"); err != nil {
		signettest.Run(t, harness{})
		return
	}
	signettest.Run(t, ownServer{})
}
