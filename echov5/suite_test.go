package signetecho_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v5"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
	signetecho "github.com/signet-go/signet/echov5"
)

// harness serves the suite's verifier behind the signetecho middleware.
type harness struct{}

// New builds signetecho.New(v), which panics where Config.ToMiddleware
// returns an error.
func (harness) New(v signet.Verifier) { signetecho.New(v) }

func (harness) Serve(t testing.TB, v signet.Verifier, setup signettest.Setup) string {
	config := signetecho.Config{Verifier: v}
	if setup.Skip != nil {
		config.Skipper = func(c *echo.Context) bool { return setup.Skip(c.Request().Method, c.Request().URL.Path) }
	}
	if setup.CustomErrors {
		config.ErrorHandler = func(c *echo.Context, err *signet.Error) error {
			return c.String(signettest.CustomErrorStatus, "custom:"+err.Code())
		}
	}
	if setup.SilentErrors {
		config.ErrorHandler = func(*echo.Context, *signet.Error) error { return nil }
	}
	mw, err := config.ToMiddleware()
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	e.Use(mw)
	e.Any("/*", func(c *echo.Context) error {
		body, _ := io.ReadAll(c.Request().Body)
		res, _ := signetecho.Result(c)
		creds, _ := signetecho.Credentials[signettest.Credentials](c)
		return c.JSON(http.StatusOK, signettest.NewEcho(res, creds, body))
	})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestSuite(t *testing.T) { signettest.Run(t, harness{}) }
