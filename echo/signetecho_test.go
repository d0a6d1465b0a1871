package signetecho_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
	signetecho "github.com/signet-go/signet/echo"
)

func verifier(t *testing.T) signet.Verifier {
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "k", Key: signet.NewHMACKey([]byte("s"))})
	require.NoError(t, err)
	v, err := signet.NewSASigning(keys)
	require.NoError(t, err)
	return v
}

// TestToMiddlewareNeedsAVerifier: ToMiddleware returns the error New
// (the suite's case) and NewWithConfig panic with.
func TestToMiddlewareNeedsAVerifier(t *testing.T) {
	_, err := signetecho.Config{}.ToMiddleware()
	assert.EqualError(t, err, "signetecho: Config.Verifier: signet: no Verifier")
	assert.PanicsWithError(t, err.Error(), func() { signetecho.NewWithConfig(signetecho.Config{}) })
}

// TestRejectionIsAnHTTPError: the app's HTTPErrorHandler sees an
// *echo.HTTPError carrying the *signet.Error.
func TestRejectionIsAnHTTPError(t *testing.T) {
	e := echo.New()
	var seen error
	e.HTTPErrorHandler = func(err error, c echo.Context) {
		seen = err
		c.NoContent(http.StatusForbidden)
	}
	e.Use(signetecho.New(verifier(t)))
	e.GET("/", func(c echo.Context) error { return c.NoContent(http.StatusOK) })

	w := httptest.NewRecorder()
	e.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	assert.Equal(t, http.StatusForbidden, w.Code)
	var he *echo.HTTPError
	require.ErrorAs(t, seen, &he)
	assert.Equal(t, http.StatusUnauthorized, he.Code)
	assert.ErrorIs(t, he.Internal, signet.ErrMissingSignature)
}

func TestHooks(t *testing.T) {
	var calls []string
	mw, err := signetecho.Config{
		Verifier: verifier(t),
		Skipper: func(echo.Context) bool {
			calls = append(calls, "skipper")
			return false
		},
		BeforeFunc: func(echo.Context) { calls = append(calls, "before") },
		ErrorHandler: func(c echo.Context, err *signet.Error) error {
			calls = append(calls, "error:"+err.Code())
			return nil // ignored: serve the public variant
		},
		ContinueOnIgnoredError: true,
	}.ToMiddleware()
	require.NoError(t, err)
	e := echo.New()
	e.Use(mw)
	e.GET("/", func(c echo.Context) error {
		_, verified := signetecho.Result(c)
		calls = append(calls, "handler", map[bool]string{true: "verified", false: "public"}[verified])
		return c.NoContent(http.StatusOK)
	})
	w := httptest.NewRecorder()
	e.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, []string{"skipper", "before", "error:missing_signature", "handler", "public"}, calls)
}

// TestContinueOnlyWhenUnanswered: with ContinueOnIgnoredError, an
// ErrorHandler that answers (and returns nil, as c.JSON does) has handled
// the request: the handler does not run after it.
func TestContinueOnlyWhenUnanswered(t *testing.T) {
	mw, err := signetecho.Config{
		Verifier: verifier(t),
		ErrorHandler: func(c echo.Context, err *signet.Error) error {
			return c.JSON(err.Status(), map[string]string{"code": err.Code()})
		},
		ContinueOnIgnoredError: true,
	}.ToMiddleware()
	require.NoError(t, err)
	e := echo.New()
	e.Use(mw)
	ran := false
	e.POST("/transfer", func(c echo.Context) error {
		ran = true
		return c.String(http.StatusOK, "transferred")
	})
	w := httptest.NewRecorder()
	e.ServeHTTP(w, httptest.NewRequest("POST", "/transfer", nil))
	assert.False(t, ran, "the handler ran after the ErrorHandler answered")
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	assert.JSONEq(t, `{"code":"missing_signature"}`, w.Body.String())
}

func TestSuccessHandler(t *testing.T) {
	key := signet.NewHMACKey([]byte("s"))
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "k", Key: key})
	require.NoError(t, err)
	v, err := signet.NewSASigning(keys)
	require.NoError(t, err)
	var seen string
	mw, err := signetecho.Config{Verifier: v, SuccessHandler: func(c echo.Context) {
		res, _ := signetecho.Result(c)
		seen = res.KeyID
	}}.ToMiddleware()
	require.NoError(t, err)
	e := echo.New()
	e.Use(mw)
	e.GET("/", func(c echo.Context) error {
		_, onContext := signet.ResultFrom(c.Request().Context())
		assert.True(t, onContext, "the result is on the request's context too")
		return c.NoContent(http.StatusOK)
	})
	signer, _ := signet.NewSASigningSigner(key)
	req := httptest.NewRequest("GET", "/", nil)
	require.NoError(t, signer.Sign(req))
	w := httptest.NewRecorder()
	e.ServeHTTP(w, req)
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, "k", seen)
}

// TestBodyLimitMiddleware: a body that echo's BodyLimit cuts off while the
// verifier reads it (a chunked one: a known length is refused before) is
// 413, as every body over a limit, not a malformed signature.
func TestBodyLimitMiddleware(t *testing.T) {
	key := signet.NewHMACKey([]byte("s"))
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "k", Key: key})
	require.NoError(t, err)
	covers := []signet.SASigningOption{signet.SASigningFields("method", "path", "body"), signet.SASigningDelimiter("\n")}
	v, err := signet.NewSASigning(keys, covers...)
	require.NoError(t, err)
	signer, err := signet.NewSASigningSigner(key, covers...)
	require.NoError(t, err)
	body := strings.Repeat("a", 4096)
	out, err := http.NewRequest("POST", "http://api.example/up", strings.NewReader(body))
	require.NoError(t, err)
	require.NoError(t, signer.Sign(out))

	e := echo.New()
	e.Use(middleware.BodyLimit("1K"), signetecho.New(v))
	e.POST("/up", func(c echo.Context) error { return c.NoContent(http.StatusOK) })
	r := httptest.NewRequest("POST", "/up", strings.NewReader(body))
	r.Header, r.ContentLength = out.Header, -1
	w := httptest.NewRecorder()
	e.ServeHTTP(w, r)
	assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code)
	assert.Contains(t, w.Body.String(), `"error":"body_too_large"`)
}
