package signet_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

func TestFromHTTP(t *testing.T) {
	r := httptest.NewRequest("PATCH", "https://api.example:8443/a%2Fb?x=1&x=2", nil)
	r.Header.Add("X-Multi", "one")
	r.Header.Add("X-Multi", "two")
	v := signet.FromHTTP(r)
	assert.Equal(t, "PATCH", v.Method())
	assert.Equal(t, "https", v.Scheme())
	assert.Equal(t, "api.example:8443", v.Host())
	assert.Equal(t, "https://api.example:8443/a%2Fb?x=1&x=2", v.RequestURI(), "the request-target as received")
	assert.Equal(t, []string{"one", "two"}, v.Header("X-Multi"))
	assert.Nil(t, v.Header("X-Absent"))

	client, err := http.NewRequest("GET", "http://h/p%20q?z", nil)
	require.NoError(t, err)
	assert.Equal(t, "/p%20q?z", signet.FromHTTP(client).RequestURI(), "an outgoing request has no RequestURI")
}

func TestRequestBody(t *testing.T) {
	tests := []struct {
		name          string
		body          io.Reader
		contentLength int64
		limit         int64
		want          string
		err           error
	}{
		{"known length", strings.NewReader("hello"), 5, 5, "hello", nil},
		{"unknown length", strings.NewReader("hello"), -1, 5, "hello", nil},
		{"unknown length, long", strings.NewReader(strings.Repeat("z", 5000)), -1, 5000, strings.Repeat("z", 5000), nil},
		{"one byte reads", iotest.OneByteReader(strings.NewReader("hello")), -1, 10, "hello", nil},
		{"announced too large", strings.NewReader("hello"), 5, 4, "", signet.ErrBodyTooLarge},
		{"too large, unknown length", strings.NewReader("hello"), -1, 4, "", signet.ErrBodyTooLarge},
		{"longer than announced", strings.NewReader("hello!"), 5, 5, "", signet.ErrBodyTooLarge},
		{"read error", iotest.ErrReader(errors.New("reset")), -1, 4, "", signet.ErrMalformed},
		{"cut off by http.MaxBytesReader", http.MaxBytesReader(nil, io.NopCloser(strings.NewReader("hello")), 3), 5, 10, "", signet.ErrBodyTooLarge},
		{"1 MiB announced, in small reads", iotest.HalfReader(strings.NewReader(strings.Repeat("m", 1<<20))), 1 << 20, 1 << 20, strings.Repeat("m", 1<<20), nil},
		{"no body", http.NoBody, 0, 4, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", nil)
			r.Body, r.ContentLength = io.NopCloser(tt.body), tt.contentLength
			if tt.body == http.NoBody {
				r.Body = http.NoBody
			}
			v := signet.FromHTTP(r)
			got, err := v.Body(tt.limit)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))

			again, err := v.Body(tt.limit)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(again), "a second call returns the same bytes")
			if len(tt.want) > 0 { // a second verifier in a chain, with a smaller limit
				_, err := v.Body(int64(len(tt.want)) - 1)
				assert.ErrorIs(t, err, signet.ErrBodyTooLarge)
			}
			buffered, ok := signet.BufferedBody(r)
			assert.Equal(t, tt.want != "" || tt.body != http.NoBody, ok)
			assert.Equal(t, tt.want, string(buffered))
			handlerSees, err := io.ReadAll(r.Body)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(handlerSees), "the handler reads the whole body")
		})
	}
	r := httptest.NewRequest("POST", "/", nil)
	r.Body = nil
	body, err := signet.FromHTTP(r).Body(10)
	assert.NoError(t, err)
	assert.Nil(t, body)
}

// firstReadSize is a body that records the size of the first buffer it is
// asked to fill, then sends nothing and fails, as a client that announces
// a body and stalls.
type firstReadSize struct{ n int }

func (r *firstReadSize) Read(p []byte) (int, error) {
	if r.n == 0 {
		r.n = len(p)
	}
	return 0, errors.New("the client went away")
}

// TestReadBodyReservesLittle: however large the announced length, a body
// is given at most 64 KiB (and a byte) of buffer before its bytes arrive;
// a body that fails to read is malformed, its error kept for the logs.
func TestReadBodyReservesLittle(t *testing.T) {
	for _, announced := range []int64{100, 64 << 10, 8 << 20} {
		stalled := &firstReadSize{}
		_, err := signet.ReadBody(stalled, announced, 8<<20)
		require.ErrorIs(t, err, signet.ErrMalformed)
		assert.EqualError(t, signet.AsError(err).Cause(), "the client went away")
		assert.Equal(t, int(min(announced, 64<<10))+1, stalled.n, "announced %d", announced)

		r := httptest.NewRequest("POST", "/", nil)
		stalled = &firstReadSize{}
		r.Body, r.ContentLength = io.NopCloser(stalled), announced
		_, err = signet.FromHTTP(r).Body(8 << 20)
		require.ErrorIs(t, err, signet.ErrMalformed)
		assert.LessOrEqual(t, stalled.n, 64<<10+1, "announced %d", announced)
	}
	_, err := signet.ReadBody(strings.NewReader("hello"), 5, 4)
	assert.ErrorIs(t, err, signet.ErrBodyTooLarge, "announced over the limit: nothing read")
}
