package signetecho_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v5"
	"github.com/labstack/echo/v5/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
	signetecho "github.com/signet-go/signet/echov5"
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

// TestRejectionIsAnEchoError: the app's HTTPErrorHandler sees an error with
// the status (echo.StatusCode) that carries the *signet.Error, and echo's
// DefaultHTTPErrorHandler answers signet's JSON body with it.
func TestRejectionIsAnEchoError(t *testing.T) {
	e := echo.New()
	var seen error
	e.HTTPErrorHandler = func(c *echo.Context, err error) {
		seen = err
		echo.DefaultHTTPErrorHandler(false)(c, err)
	}
	e.Use(signetecho.New(verifier(t)))
	e.GET("/", func(c *echo.Context) error { return c.NoContent(http.StatusOK) })

	w := httptest.NewRecorder()
	e.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	assert.Equal(t, http.StatusUnauthorized, echo.StatusCode(seen))
	assert.ErrorIs(t, seen, signet.ErrMissingSignature)
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	assert.Equal(t, "nosniff", w.Header().Get("X-Content-Type-Options"))
	assert.JSONEq(t, `{"error":"missing_signature","message":"send the signature in the Signature header"}`, w.Body.String())
}

func TestHooks(t *testing.T) {
	var calls []string
	mw, err := signetecho.Config{
		Verifier: verifier(t),
		Skipper: func(*echo.Context) bool {
			calls = append(calls, "skipper")
			return false
		},
		BeforeFunc: func(*echo.Context) { calls = append(calls, "before") },
		ErrorHandler: func(c *echo.Context, err *signet.Error) error {
			calls = append(calls, "error:"+err.Code())
			return nil // ignored: serve the public variant
		},
		ContinueOnIgnoredError: true,
	}.ToMiddleware()
	require.NoError(t, err)
	e := echo.New()
	e.Use(mw)
	e.GET("/", func(c *echo.Context) error {
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
		ErrorHandler: func(c *echo.Context, err *signet.Error) error {
			return c.JSON(err.Status(), map[string]string{"code": err.Code()})
		},
		ContinueOnIgnoredError: true,
	}.ToMiddleware()
	require.NoError(t, err)
	e := echo.New()
	e.Use(mw)
	ran := false
	e.POST("/transfer", func(c *echo.Context) error {
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
	mw, err := signetecho.Config{Verifier: v, SuccessHandler: func(c *echo.Context) {
		res, _ := signetecho.Result(c)
		seen = res.KeyID
	}}.ToMiddleware()
	require.NoError(t, err)
	e := echo.New()
	e.Use(mw)
	e.GET("/", func(c *echo.Context) error {
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
	e.Use(middleware.BodyLimit(1024), signetecho.New(v))
	e.POST("/up", func(c *echo.Context) error { return c.NoContent(http.StatusOK) })
	r := httptest.NewRequest("POST", "/up", strings.NewReader(body))
	r.Header, r.ContentLength = out.Header, -1
	w := httptest.NewRecorder()
	e.ServeHTTP(w, r)
	assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code)
	assert.Contains(t, w.Body.String(), `"error":"body_too_large"`)
}

// plainWrap is a user's response wrapper without Unwrap: echo cannot see
// through it whether the answer was sent.
type plainWrap struct{ http.ResponseWriter }

// TestErrorHandlerAnswerIsTheOnlyOne: an ErrorHandler that answers, behind
// a writer that holds the answer back (echo's Gzip with a MinLength) or
// hides echo's Response (a wrapper without Unwrap), has handled the
// request: the app's HTTPErrorHandler is not called and the answer is its
// own, once.
func TestErrorHandlerAnswerIsTheOnlyOne(t *testing.T) {
	for name, wrap := range map[string]echo.MiddlewareFunc{
		"gzip with a MinLength": middleware.GzipWithConfig(middleware.GzipConfig{MinLength: 1024}),
		"a wrapper without Unwrap": func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c *echo.Context) error {
				c.SetResponse(plainWrap{c.Response()})
				return next(c)
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			e := echo.New()
			var handled []error
			e.HTTPErrorHandler = func(c *echo.Context, err error) {
				handled = append(handled, err)
				echo.DefaultHTTPErrorHandler(false)(c, err)
			}
			mw, err := signetecho.Config{Verifier: verifier(t), ErrorHandler: func(c *echo.Context, err *signet.Error) error {
				return c.JSON(http.StatusForbidden, map[string]string{"code": err.Code()})
			}}.ToMiddleware()
			require.NoError(t, err)
			e.Use(wrap, mw)
			e.GET("/", func(c *echo.Context) error { return c.NoContent(http.StatusOK) })
			req := httptest.NewRequest("GET", "/", nil)
			req.Header.Set("Accept-Encoding", "gzip")
			w := httptest.NewRecorder()
			e.ServeHTTP(w, req)
			assert.Empty(t, handled)
			assert.Equal(t, http.StatusForbidden, w.Code)
			assert.JSONEq(t, `{"code":"missing_signature"}`, w.Body.String())
		})
	}
}
