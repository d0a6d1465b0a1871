package main

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
)

// signwayAnswers is signet's answer, status and code, to each vector
// Signway rejects (Signway answers 400 to all but unknown-id, 401); they
// are the codes core/signway_test.go expects.
var signwayAnswers = map[string]struct {
	status int
	code   string
}{
	"tampered-proxy-query":               {http.StatusUnauthorized, "invalid_signature"},
	"wrong-secret":                       {http.StatusUnauthorized, "invalid_signature"},
	"expired-by-one-second":              {http.StatusUnauthorized, "expired"},
	"expired-by-one-millisecond":         {http.StatusUnauthorized, "expired"},
	"tampered-body":                      {http.StatusUnauthorized, "invalid_signature"},
	"missing-signed-header":              {http.StatusBadRequest, "missing_required_header"},
	"wrong-signed-header-value":          {http.StatusUnauthorized, "invalid_signature"},
	"signed-body-without-content-length": {http.StatusBadRequest, "missing_required_header"},
	"method-changed":                     {http.StatusUnauthorized, "invalid_signature"},
	"expires-extended":                   {http.StatusUnauthorized, "invalid_signature"},
	"missing-signature":                  {http.StatusUnauthorized, "missing_signature"}, // Signway: 400
	"uppercase-signature-hex":            {http.StatusBadRequest, "malformed_signature"},
	"unknown-id":                         {http.StatusUnauthorized, "unknown_key"},
	"python-sdk-unnormalized-proxy":      {http.StatusUnauthorized, "invalid_signature"},
}

// TestSignwayVectors replays every vector of signway.json over HTTP: the
// request line with the vector's raw query, its header lines, its body
// (chunked when the vector sends no Content-Length), the clock at
// verify.now (fractions kept) and the gateway's known ids. Signway's
// accepted URLs, quirks included, reach the handler with their body; the
// others get signet's answer.
func TestSignwayVectors(t *testing.T) { eachFramework(t, testSignwayVectors) }

func testSignwayVectors(t *testing.T, srv *testServer) {
	vectors, err := signettest.SignwayVectors()
	require.NoError(t, err)
	require.Len(t, vectors, 21)
	for _, v := range vectors {
		t.Run(v.Name, func(t *testing.T) {
			srv.configure(t, signwayConfig(v.Verify.Now.Unix, v.Verify.KnownIDs, nil))
			req := signwayRequest(t, v)
			var resp response
			if v.Request.Body != nil && !req.has("Content-Length") {
				resp = srv.chunked(t, req)
			} else {
				resp = srv.raw(t, req)
			}
			if v.Verify.Expected.Valid {
				want := echo{Scheme: "signway", KeyID: v.Sign.ID, Credentials: map[string]any{"key_id": v.Sign.ID}}
				assertEchoOf(t, resp, want, req.method, req.target, req.body)
				return
			}
			answer, ok := signwayAnswers[v.Name]
			require.True(t, ok, "no expected answer for %s (%s)", v.Name, v.Verify.Expected.Reason)
			assertRejected(t, resp, answer.status, answer.code)
			if v.Verify.Expected.Status == http.StatusUnauthorized {
				assert.Equal(t, http.StatusUnauthorized, resp.status)
			}
		})
	}
}

// TestSignwayOptions checks max_expiry and max_body_bytes on the vector
// post-signed-headers-and-body (X-Sw-Expires 60, a 14-byte signed body).
func TestSignwayOptions(t *testing.T) {
	vectors, err := signettest.SignwayVectors()
	require.NoError(t, err)
	var v signettest.SignwayVector
	for _, x := range vectors {
		if x.Name == "post-signed-headers-and-body" {
			v = x
		}
	}
	srv := startServer(t)
	for _, tc := range []struct {
		name    string
		options map[string]any
		status  int
		code    string
	}{
		{"defaults", nil, http.StatusOK, ""},
		{"null options", map[string]any{"max_expiry": nil, "max_body_bytes": nil}, http.StatusOK, ""},
		{"max_expiry equal", map[string]any{"max_expiry": 60}, http.StatusOK, ""},
		{"max_expiry below", map[string]any{"max_expiry": 59.5}, http.StatusUnauthorized, "expired"},
		{"max_body_bytes equal", map[string]any{"max_body_bytes": 14}, http.StatusOK, ""},
		{"max_body_bytes below", map[string]any{"max_body_bytes": 13}, http.StatusRequestEntityTooLarge, "body_too_large"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv.configure(t, signwayConfig(v.Verify.Now.Unix, v.Verify.KnownIDs, tc.options))
			req := signwayRequest(t, v)
			resp := srv.raw(t, req)
			if tc.status == http.StatusOK {
				want := echo{Scheme: "signway", KeyID: v.Sign.ID, Credentials: map[string]any{"key_id": v.Sign.ID}}
				assertEchoOf(t, resp, want, req.method, req.target, req.body)
			} else {
				assertRejected(t, resp, tc.status, tc.code)
			}
		})
	}
}

// TestSignwayInvalidConfig checks that a signway config signet refuses is
// 400 invalid_config.
func TestSignwayInvalidConfig(t *testing.T) {
	srv := startServer(t)
	for _, tc := range []struct {
		name, options, message string
	}{
		{"zero max_expiry", `{"max_expiry": 0}`, "max age must be positive"},
		{"negative max_expiry", `{"max_expiry": -1}`, "max age must be positive"},
		{"huge max_expiry", `{"max_expiry": 1e300}`, "max_expiry 1e+300 is out of range"},
		{"max_expiry not a number", `{"max_expiry": "60"}`, ""},
		{"zero max_body_bytes", `{"max_body_bytes": 0}`, "max body bytes"},
		{"option of another scheme", `{"clock_skew": 300}`, `"clock_skew"`},
		{"unknown option", `{"strict": true}`, `"strict"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			config := `{"scheme": "signway", "keys": [{"id": "k", "secret": "s"}], "options": ` + tc.options + `}`
			assertInvalidConfig(t, srv.put(t, "/_conformance/config", config), tc.message)
		})
	}
	assert.Equal(t, http.StatusServiceUnavailable, srv.raw(t, rawRequest{method: "GET", target: "/x"}).status)
}

// TestSignwayTransport signs requests with signet.SignwaySigner through
// signethttp.Transport: each request to an upstream URL goes to the
// gateway (here the conformance server itself) with the signed URL, and
// is accepted with its signed body.
func TestSignwayTransport(t *testing.T) {
	const signedAt = 1_700_000_000
	srv := startServer(t)
	srv.configure(t, signwayConfig(signedAt+30, map[string]string{"app": "s3cret"}, nil))
	clock := signet.WithClock(func() time.Time { return time.Unix(signedAt, 0) })
	signer, err := signet.NewSignwaySigner("app", signet.NewHMACKey([]byte("s3cret")), "http://"+srv.addr+"/",
		clock, signet.SignwayTTL(time.Minute), signet.SignwaySignBody())
	require.NoError(t, err)
	for _, tc := range []struct{ method, target, body string }{
		{"GET", "/v1/items?x=1&y=%2F", ""},
		{"POST", "/v1/chat/completions", `{"model":"gpt","stream":true}`},
	} {
		t.Run(tc.method, func(t *testing.T) {
			u := signet.SignwayURL{Method: tc.method, Proxy: "http://" + srv.addr + tc.target, Expiry: time.Minute,
				SignBody: tc.body != "", Body: []byte(tc.body)}
			if tc.body == "" {
				u.Body = nil
			}
			link, err := signer.SignURL(u)
			require.NoError(t, err)
			want := echo{Scheme: "signway", KeyID: "app", Credentials: map[string]any{"key_id": "app"}}
			assertEchoOf(t, srv.signed(t, signer, tc.method, tc.target, tc.body), want, tc.method,
				strings.TrimPrefix(link, "http://"+srv.addr), tc.body)
		})
	}
}

// signwayConfig is a signway config with the clock at now and the known
// ids (default credentials).
func signwayConfig(now any, known map[string]string, options map[string]any) map[string]any {
	var keys []map[string]any
	for id, secret := range known {
		keys = append(keys, map[string]any{"id": id, "secret": secret})
	}
	return map[string]any{"scheme": "signway", "now": now, "keys": keys, "options": options}
}

// signwayRequest is the request a vector sends: origin-form target with
// the raw query, the URL's host in Host, its header lines and body.
func signwayRequest(t *testing.T, v signettest.SignwayVector) rawRequest {
	t.Helper()
	u, err := url.Parse(v.Request.URL)
	require.NoError(t, err)
	_, query, _ := strings.Cut(v.Request.URL, "?")
	req := rawRequest{method: v.Request.Method, target: u.EscapedPath() + "?" + query,
		lines: append([][2]string{{"Host", u.Host}}, v.Request.Headers...)}
	if v.Request.Body != nil {
		req.body = *v.Request.Body
	}
	return req
}

// chunked sends req with its body in one chunk (Transfer-Encoding: chunked)
// and no Content-Length.
func (s *testServer) chunked(t *testing.T, req rawRequest) response {
	t.Helper()
	conn, err := net.Dial("tcp", s.addr)
	require.NoError(t, err)
	defer conn.Close()
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\n", req.method, req.target)
	for _, line := range req.lines {
		fmt.Fprintf(&b, "%s: %s\r\n", line[0], line[1])
	}
	fmt.Fprintf(&b, "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n%x\r\n%s\r\n0\r\n\r\n", len(req.body), req.body)
	_, err = conn.Write([]byte(b.String()))
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: req.method})
	require.NoError(t, err)
	return readResponse(t, resp)
}
