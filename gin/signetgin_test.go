package signetgin_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/gin-gonic/gin"
	"github.com/gin-gonic/gin/binding"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
	signetgin "github.com/signet-go/signet/gin"
)

// TestBodyBytesKey: a body read for verification is handed to gin, so
// ShouldBindBodyWith binds it without reading again, as often as needed;
// and the Result is on the request's context too.
func TestBodyBytesKey(t *testing.T) {
	key := signet.NewHMACKey([]byte("s"))
	covers := []signet.SASigningOption{signet.SASigningFields("method", "path", "body"), signet.SASigningDelimiter("\n")}
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "k", Key: key})
	require.NoError(t, err)
	verifier, err := signet.NewSASigning(keys, covers...)
	require.NoError(t, err)

	r := gin.New()
	r.Use(signetgin.New(verifier))
	r.POST("/orders", func(c *gin.Context) {
		res, ok := signet.ResultFrom(c.Request.Context())
		require.True(t, ok, "the Result on c.Request.Context()")
		assert.Equal(t, "k", res.KeyID)
		c.Request.Body = io.NopCloser(iotest.ErrReader(errors.New("the body was read twice")))
		var first, second struct{ Amount int }
		require.NoError(t, c.ShouldBindBodyWith(&first, binding.JSON))
		require.NoError(t, c.ShouldBindBodyWith(&second, binding.JSON))
		body, ok := c.Get(gin.BodyBytesKey)
		assert.True(t, ok)
		assert.Equal(t, `{"amount":7}`, string(body.([]byte)))
		c.JSON(http.StatusOK, first.Amount+second.Amount)
	})

	signer, err := signet.NewSASigningSigner(key, covers...)
	require.NoError(t, err)
	req := httptest.NewRequest("POST", "/orders", strings.NewReader(`{"amount":7}`))
	require.NoError(t, signer.Sign(req))
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	assert.Equal(t, "14", w.Body.String())
}

// TestRejectionInErrors: a rejection is recorded in c.Errors, where gin's
// logger and error-reporting middlewares look, as a private error.
func TestRejectionInErrors(t *testing.T) {
	verifier := sasigning(t)
	var recorded error
	r := gin.New()
	r.Use(func(c *gin.Context) {
		c.Next()
		recorded = c.Errors.ByType(gin.ErrorTypePrivate).Last()
	}, signetgin.New(verifier))
	r.GET("/x", func(c *gin.Context) { c.Status(http.StatusNoContent) })
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest("GET", "/x", nil))
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	assert.ErrorIs(t, recorded, signet.ErrMissingSignature)
}

// TestErrorsRenderedEarlier: an error handler may only record the error,
// for a middleware before New to render (gin's c.Errors idiom); that
// middleware's answer is the one sent.
func TestErrorsRenderedEarlier(t *testing.T) {
	verifier := sasigning(t)
	record := signetgin.WithErrorHandler(func(c *gin.Context, err *signet.Error) { _ = c.Error(err) })
	r := gin.New()
	r.Use(func(c *gin.Context) {
		c.Next()
		var e *signet.Error
		if last := c.Errors.Last(); last != nil && errors.As(last.Err, &e) {
			c.JSON(http.StatusForbidden, gin.H{"rendered": e.Code()})
		}
	}, signetgin.New(verifier, record))
	r.GET("/x", func(c *gin.Context) { c.String(http.StatusOK, "protected") })
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest("GET", "/x", nil))
	assert.Equal(t, http.StatusForbidden, w.Code)
	assert.JSONEq(t, `{"rendered":"missing_signature"}`, w.Body.String())
}

// TestErrorsRecordedOnly: an error handler that only records the error,
// with no middleware before New to render it, answers the error's status,
// never gin's empty 200; the handler does not run.
func TestErrorsRecordedOnly(t *testing.T) {
	verifier := sasigning(t)
	r := gin.New()
	r.Use(signetgin.New(verifier, signetgin.WithErrorHandler(func(c *gin.Context, err *signet.Error) { _ = c.Error(err) })))
	r.GET("/x", func(c *gin.Context) { c.String(http.StatusOK, "protected") })
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest("GET", "/x", nil))
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	assert.Empty(t, w.Body.String())
}

// TestErrorHandlerThatSetsAStatus: an error handler that only sets a status
// keeps it (one that answers nothing is the suite's case).
func TestErrorHandlerThatSetsAStatus(t *testing.T) {
	verifier := sasigning(t)
	r := gin.New()
	r.Use(signetgin.New(verifier, signetgin.WithErrorHandler(func(c *gin.Context, _ *signet.Error) { c.Status(http.StatusForbidden) })))
	r.GET("/x", func(c *gin.Context) { c.String(http.StatusOK, "protected") })
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest("GET", "/x", nil))
	assert.Equal(t, http.StatusForbidden, w.Code)
	assert.Empty(t, w.Body.String())
}

// sasigning is an SASigning verifier over the key "s" (id "k").
func sasigning(t *testing.T) signet.Verifier {
	t.Helper()
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "k", Key: signet.NewHMACKey([]byte("s"))})
	require.NoError(t, err)
	v, err := signet.NewSASigning(keys)
	require.NoError(t, err)
	return v
}
