package signethttp_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
	signethttp "github.com/signet-go/signet/nethttp"
)

type app struct{ Name string }

var (
	key    = signet.NewHMACKey([]byte("test-secret"))
	covers = []signet.SASigningOption{signet.SASigningFields("method", "path", "body"), signet.SASigningDelimiter("\n")}
)

func verifier(t *testing.T, opts ...signet.SASigningOption) signet.Verifier {
	t.Helper()
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "app-1", Key: key, Credentials: app{"billing"}})
	require.NoError(t, err)
	v, err := signet.NewSASigning(keys, append(opts, covers...)...)
	require.NoError(t, err)
	return v
}

// echo answers with the caller's name and the body it read.
var echo = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	creds, ok := signethttp.Credentials[app](r)
	res, _ := signethttp.Result(r)
	body, _ := io.ReadAll(r.Body)
	if !ok || res.KeyID == "" {
		http.Error(w, "no credentials", 500)
		return
	}
	io.WriteString(w, creds.Name+":"+string(body))
})

func TestTransportLeavesTheCallersRequestAlone(t *testing.T) {
	var got *http.Request
	var gotBody []byte
	signer, err := signet.NewSASigningSigner(key, covers...)
	require.NoError(t, err)
	tr := &signethttp.Transport{Signer: signer}
	tr.Base = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		got = r
		gotBody, _ = io.ReadAll(r.Body)
		return &http.Response{StatusCode: 204, Body: http.NoBody, Request: r}, nil
	})

	req, err := http.NewRequest("PUT", "http://api.example/items/1", strings.NewReader("payload"))
	require.NoError(t, err)
	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	resp.Body.Close()

	assert.Empty(t, req.Header.Get("Signature"), "the caller's headers are untouched")
	assert.NotEmpty(t, got.Header.Get("Signature"))
	assert.Equal(t, "payload", string(gotBody), "the signed body is the one sent")
	require.NotNil(t, got.GetBody)
	again, _ := got.GetBody()
	replay, _ := io.ReadAll(again)
	assert.Equal(t, "payload", string(replay), "redirects and retries resend the same body")

	_, err = (&signethttp.Transport{}).RoundTrip(req)
	assert.Error(t, err, "a Transport without a Signer refuses to send unsigned requests")
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestErrorHandlerThatAnswers: an error handler's own answer, a status
// without a body, is kept (one that answers nothing is the suite's case).
func TestErrorHandlerThatAnswers(t *testing.T) {
	teapot := signethttp.WithErrorHandler(func(w http.ResponseWriter, _ *http.Request, _ *signet.Error) {
		w.WriteHeader(http.StatusTeapot)
	})
	w := httptest.NewRecorder()
	signethttp.New(verifier(t), teapot)(echo).ServeHTTP(w, httptest.NewRequest("GET", "/x", nil))
	assert.Equal(t, http.StatusTeapot, w.Code)
	assert.Empty(t, w.Body.String())
}

// TestErrorHandlerWithoutStatus: an error handler that writes a body or
// flushes without a status answers with the error's status, never
// net/http's implicit 200, and once.
func TestErrorHandlerWithoutStatus(t *testing.T) {
	for _, tt := range []struct {
		name   string
		answer func(w http.ResponseWriter)
		body   string
	}{
		{"a body", func(w http.ResponseWriter) { io.WriteString(w, "refused") }, "refused"},
		{"a flush", func(w http.ResponseWriter) { http.NewResponseController(w).Flush() }, ""},
		{"a flush as an http.Flusher", func(w http.ResponseWriter) { w.(http.Flusher).Flush() }, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			handler := signethttp.WithErrorHandler(func(w http.ResponseWriter, _ *http.Request, _ *signet.Error) { tt.answer(w) })
			srv := httptest.NewServer(signethttp.New(verifier(t), handler)(echo))
			defer srv.Close()
			resp, err := http.Get(srv.URL + "/x")
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
			assert.Equal(t, tt.body, string(body))
		})
	}
}
