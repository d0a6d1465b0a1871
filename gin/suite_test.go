package signetgin_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
	signetgin "github.com/signet-go/signet/gin"
)

func init() { gin.SetMode(gin.TestMode) }

// harness serves the suite's verifier behind signetgin.New.
type harness struct{}

// New builds signetgin.New(v).
func (harness) New(v signet.Verifier) { signetgin.New(v) }

func (harness) Serve(t testing.TB, v signet.Verifier, setup signettest.Setup) string {
	opts := []signetgin.Option{nil} // ignored: every case runs with a nil Option
	if setup.Skip != nil {
		opts = append(opts, signetgin.WithSkipper(func(c *gin.Context) bool { return setup.Skip(c.Request.Method, c.Request.URL.Path) }))
	}
	if setup.CustomErrors {
		opts = append(opts, signetgin.WithErrorHandler(func(c *gin.Context, err *signet.Error) {
			c.String(signettest.CustomErrorStatus, "custom:"+err.Code())
		}))
	}
	if setup.SilentErrors {
		opts = append(opts, signetgin.WithErrorHandler(func(*gin.Context, *signet.Error) {}))
	}
	r := gin.New()
	r.Use(signetgin.New(v, opts...))
	r.NoRoute(func(c *gin.Context) {
		body, _ := io.ReadAll(c.Request.Body)
		res, _ := signetgin.Result(c)
		creds, _ := signetgin.Credentials[signettest.Credentials](c)
		c.JSON(http.StatusOK, signettest.NewEcho(res, creds, body))
	})
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestSuite(t *testing.T) { signettest.Run(t, harness{}) }
