package signetfasthttp_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"

	signet "github.com/signet-go/signet/core"
	signetfasthttp "github.com/signet-go/signet/fasthttp"
)

// caller is the credentials type of these tests.
type caller struct{ ID int }

// answer is what whoAnswers answers.
type answer struct {
	KeyID  string `json:"key_id"`
	Caller int    `json:"caller"`
	Body   string `json:"body"`
}

// whoAnswers answers the Result's key id, the typed credentials and the
// body the handler reads.
func whoAnswers(rc *fasthttp.RequestCtx) {
	res, ok := signetfasthttp.Result(rc)
	if !ok {
		rc.SetStatusCode(http.StatusInternalServerError)
		return
	}
	who, _ := signetfasthttp.Credentials[caller](rc)
	body, _ := json.Marshal(answer{KeyID: res.KeyID, Caller: who.ID, Body: string(rc.Request.Body())})
	rc.SetBody(body)
}

// TestErrorHandlerAnswers checks that an error handler's answer is the only
// one, and that one leaving the response as it found it is followed by
// WriteError (the suite checks a handler writing a body, and one writing
// nothing).
func TestErrorHandlerAnswers(t *testing.T) {
	for _, tc := range []struct {
		name    string
		handler signetfasthttp.ErrorHandler
		status  int
		body    string
	}{
		{"a status only", func(rc *fasthttp.RequestCtx, _ *signet.Error) { rc.SetStatusCode(http.StatusForbidden) }, http.StatusForbidden, ""},
		{"a body only: the error's status, not fasthttp's 200", func(rc *fasthttp.RequestCtx, _ *signet.Error) { rc.SetBodyString("no") }, http.StatusUnauthorized, "no"},
		{"headers only", func(rc *fasthttp.RequestCtx, _ *signet.Error) { rc.Response.Header.Set("X-Seen", "1") }, http.StatusUnauthorized,
			`{"error":"missing_signature","message":"send the signature in the Signature header"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, _ := sasigning(t)
			base := serve(t, &fasthttp.Server{Handler: signetfasthttp.New(v, signetfasthttp.WithErrorHandler(tc.handler))(whoAnswers)})
			resp, err := http.Post(base+"/up", "text/plain", strings.NewReader("x"))
			require.NoError(t, err)
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, tc.body, string(body))
		})
	}
}

// TestErrorHandlerAnswerSeen checks what tells an error handler's answer
// apart: a status an earlier handler set is not the error handler's, and a
// body stream it sets is an answer, never read by the middleware.
func TestErrorHandlerAnswerSeen(t *testing.T) {
	v, _ := sasigning(t)
	var stream readSpy
	for _, tc := range []struct {
		name    string
		before  func(rc *fasthttp.RequestCtx)
		handler signetfasthttp.ErrorHandler
		status  int
	}{
		{"a status set before, nothing answered", func(rc *fasthttp.RequestCtx) { rc.SetStatusCode(http.StatusAccepted) },
			func(*fasthttp.RequestCtx, *signet.Error) {}, http.StatusUnauthorized},
		{"a body stream", func(*fasthttp.RequestCtx) {}, func(rc *fasthttp.RequestCtx, _ *signet.Error) {
			rc.SetBodyStream(&stream, -1)
		}, http.StatusUnauthorized},
		{"a body stream and a status", func(*fasthttp.RequestCtx) {}, func(rc *fasthttp.RequestCtx, _ *signet.Error) {
			rc.SetBodyStream(&stream, -1)
			rc.SetStatusCode(http.StatusForbidden)
		}, http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stream.read.Store(false)
			protected := signetfasthttp.New(v, signetfasthttp.WithErrorHandler(tc.handler))(whoAnswers)
			var rc fasthttp.RequestCtx
			rc.Request.SetRequestURI("/up")
			tc.before(&rc)
			protected(&rc)
			assert.False(t, stream.read.Load(), "the middleware read the error handler's body stream")
			assert.Equal(t, tc.status, rc.Response.StatusCode())
		})
	}
}

// readSpy is an empty body stream that records whether it was read.
type readSpy struct{ read atomic.Bool }

func (r *readSpy) Read([]byte) (int, error) {
	r.read.Store(true)
	return 0, io.EOF
}

// TestServerSettings checks that the view follows the settings of the
// server named with WithServer: header names matched in any case when the
// server does not normalise them, a multipart body verified when the server
// does not parse it into a form (and refused, never verified against a
// re-encoding, when it does).
func TestServerSettings(t *testing.T) {
	v, s := sasigning(t)
	var form bytes.Buffer
	w := multipart.NewWriter(&form)
	require.NoError(t, w.WriteField("a", "1"))
	require.NoError(t, w.Close())
	multipartForm := http.Header{"Content-Type": {w.FormDataContentType()}}
	lowerCase := func(r *http.Request) {
		r.Header["signature"] = r.Header["Signature"] // sent in lower case
		delete(r.Header, "Signature")
	}
	for _, tc := range []struct {
		name                                string
		namesAsSent, multipartAsSent, named bool
		header                              http.Header
		edit                                func(*http.Request)
		status                              int
	}{
		{"names as sent, server named", true, false, true, nil, lowerCase, http.StatusOK},
		{"names as sent, server not named", true, false, false, nil, lowerCase, http.StatusOK},
		{"names normalised", false, false, false, nil, lowerCase, http.StatusOK},
		{"multipart, parsed by fasthttp", false, false, false, multipartForm, nil, http.StatusServiceUnavailable},
		{"multipart, as sent, server named", false, true, true, multipartForm, nil, http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			server := &fasthttp.Server{DisableHeaderNamesNormalizing: tc.namesAsSent, DisablePreParseMultipartForm: tc.multipartAsSent}
			var opts []signetfasthttp.Option
			if tc.named {
				opts = append(opts, signetfasthttp.WithServer(server))
			}
			server.Handler = signetfasthttp.New(v, opts...)(whoAnswers)
			status, got := sendSigned(t, serve(t, server), s, form.Bytes(), tc.header, false, tc.edit)
			require.Equal(t, tc.status, status, got)
			if status == http.StatusOK {
				assert.JSONEq(t, fmt.Sprintf(`{"key_id":"k","caller":7,"body":%q}`, form.String()), got)
			}
		})
	}
}

// TestHeaderNamesInAnyCase checks that a field repeating a signed header
// under another case ("x-role" beside "X-Role") is seen by the verifier, as
// net/http sees it, whatever the server does with header names: fasthttp
// keeping names as sent matches them case-sensitively, so the app could
// read the unsigned one.
func TestHeaderNamesInAnyCase(t *testing.T) {
	key := signet.NewHMACKey([]byte("secret"))
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "k", Key: key, Credentials: caller{7}})
	require.NoError(t, err)
	clock := signet.WithClock(func() time.Time { return now })
	v, err := signet.NewCavage(keys, clock)
	require.NoError(t, err)
	s, err := signet.NewCavageSigner("k", key, clock, signet.CavageSignHeaders("(request-target)", "host", "date", "x-role"))
	require.NoError(t, err)
	for _, tc := range []struct {
		name               string
		namesAsSent, named bool
	}{
		{"names as sent, server named", true, true},
		{"names as sent, server not named", true, false},
		{"names normalised", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			server := &fasthttp.Server{DisableHeaderNamesNormalizing: tc.namesAsSent}
			var opts []signetfasthttp.Option
			if tc.named {
				opts = append(opts, signetfasthttp.WithServer(server))
			}
			server.Handler = signetfasthttp.New(v, opts...)(func(rc *fasthttp.RequestCtx) {
				rc.SetBodyString("role " + string(rc.Request.Header.Peek("x-role")))
			})
			base := serve(t, server)
			for _, smuggled := range []bool{false, true} {
				r, _ := http.NewRequest("GET", base+"/orders", nil)
				r.Header.Set("X-Role", "user")
				require.NoError(t, s.Sign(r))
				if smuggled {
					r.Header["x-role"] = []string{"admin"} // sent as written
				}
				resp, err := http.DefaultClient.Do(r)
				require.NoError(t, err)
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if smuggled {
					assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "%s", body)
					assert.Contains(t, string(body), `"error":"invalid_signature"`)
				} else {
					assert.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
				}
			}
		})
	}
}

// TestStreamRequestBody checks bodies under the server's StreamRequestBody:
// read up to the verifier's limit, and given back to the handler, which
// reads them through the stream, the request's headers as they came.
func TestStreamRequestBody(t *testing.T) {
	v, s := sasigning(t, signet.WithMaxBodyBytes(64<<10))
	handler := func(rc *fasthttp.RequestCtx) {
		stream := rc.RequestBodyStream()
		if stream == nil {
			rc.Error("no body stream", http.StatusInternalServerError)
			return
		}
		sent := string(rc.Request.Header.Peek("X-Chunked")) == "true"
		if chunked := string(rc.Request.Header.Peek("Transfer-Encoding")) == "chunked"; chunked != sent ||
			chunked != (rc.Request.Header.ContentLength() == -1) {
			rc.Error("framing headers changed", http.StatusInternalServerError)
			return
		}
		body, err := io.ReadAll(stream)
		if err != nil {
			rc.Error(err.Error(), http.StatusInternalServerError)
			return
		}
		rc.Request.SetBodyRaw(body) // for whoAnswers
		whoAnswers(rc)
	}
	base := serve(t, &fasthttp.Server{Handler: signetfasthttp.New(v)(handler), StreamRequestBody: true, MaxRequestBodySize: 16 << 10})
	for _, chunked := range []bool{false, true} {
		for _, size := range []int{0, 10, 8 << 10, 40 << 10} { // below and beyond fasthttp's prefetch
			body := bytes.Repeat([]byte("s"), size)
			status, got := sendSigned(t, base, s, body, http.Header{"X-Chunked": {fmt.Sprint(chunked)}}, chunked, nil)
			require.Equal(t, http.StatusOK, status, got)
			assert.JSONEq(t, fmt.Sprintf(`{"key_id":"k","caller":7,"body":%q}`, body), got)
		}
		status, got := sendSigned(t, base, s, bytes.Repeat([]byte("s"), 64<<10+1), nil, chunked, nil)
		assert.Equal(t, http.StatusRequestEntityTooLarge, status)
		assert.Contains(t, got, `"error":"body_too_large"`)
	}
	// Trailers come with the last chunk, read with the body: fasthttp adds
	// them to the headers then.
	status, got := sendSigned(t, base, s, []byte("abc"), nil, true, func(r *http.Request) {
		r.Trailer = http.Header{"X-Chunked": {"false"}}
	})
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Contains(t, got, `trailer fields`)
}

// TestConcurrentClients sends many requests at once, from clients with
// distinct keys, credentials, bodies and paths, half of them on a
// connection of their own, and checks each answer and the credentials the
// handler reads after other requests verified into pooled Results:
// anything aliased past Verify or a Result reused too early would show
// here (and under -race).
func TestConcurrentClients(t *testing.T) {
	const clients, requests = 12, 30
	keys := signet.KeyFunc(func(_ context.Context, keyID string) ([]signet.Secret, error) {
		var i int
		if _, err := fmt.Sscanf(keyID, "client-%02d", &i); err != nil || i >= clients {
			return nil, signet.ErrUnknownKey
		}
		return []signet.Secret{{Key: signet.NewHMACKey([]byte(keyID)), Credentials: caller{i}}}, nil
	})
	verifier, err := signet.NewCavage(keys, signet.WithClock(func() time.Time { return now }))
	require.NoError(t, err)
	base := serve(t, &fasthttp.Server{Handler: signetfasthttp.New(verifier)(func(rc *fasthttp.RequestCtx) {
		time.Sleep(time.Millisecond) // other requests verify into pooled Results meanwhile
		whoAnswers(rc)
	})})

	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			keyID := fmt.Sprintf("client-%02d", i)
			signer, err := signet.NewCavageSigner(keyID, signet.NewHMACKey([]byte(keyID)), signet.WithClock(func() time.Time { return now }))
			if !assert.NoError(t, err) {
				return
			}
			client := &http.Client{Transport: &http.Transport{DisableKeepAlives: i%2 == 0}}
			defer client.CloseIdleConnections()
			for j := range requests {
				body := strings.Repeat(fmt.Sprintf("%s-%d;", keyID, j), 1+(i+j)%7)
				r, _ := http.NewRequest("POST", fmt.Sprintf("%s/c/%d/r/%d", base, i, j), strings.NewReader(body))
				r.Header.Set("A-Pad", strings.Repeat("p", (i*7+j*3)%50)) // moves the signature in the buffer
				if !assert.NoError(t, signer.Sign(r)) {
					return
				}
				resp, err := client.Do(r)
				if !assert.NoError(t, err) {
					return
				}
				var got answer
				err = json.NewDecoder(resp.Body).Decode(&got)
				resp.Body.Close()
				assert.NoError(t, err)
				assert.Equal(t, answer{KeyID: keyID, Caller: i, Body: body}, got)
			}
		}()
	}
	wg.Wait()
}

// TestKeyIDOutlivesRequest: a store that names its Secret by the key id it
// was asked for hands back a slice of the request's buffer, which fasthttp
// reuses for the connection's next request; the Result's KeyID is a copy,
// so a handler may keep it (for a log written later, say).
func TestKeyIDOutlivesRequest(t *testing.T) {
	keys := signet.KeyFunc(func(_ context.Context, keyID string) ([]signet.Secret, error) {
		return []signet.Secret{{ID: keyID, Key: signet.NewHMACKey([]byte(keyID))}}, nil
	})
	verifier, err := signet.NewCavage(keys, signet.WithClock(func() time.Time { return now }))
	require.NoError(t, err)
	var mu sync.Mutex
	var kept []string
	base := serve(t, &fasthttp.Server{Handler: signetfasthttp.New(verifier)(func(rc *fasthttp.RequestCtx) {
		res, _ := signetfasthttp.Result(rc)
		mu.Lock()
		kept = append(kept, res.KeyID)
		mu.Unlock()
	})})
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 1}}
	defer client.CloseIdleConnections()
	var want []string
	for i := range 5 {
		keyID := fmt.Sprintf("client-%d", i)
		signer, err := signet.NewCavageSigner(keyID, signet.NewHMACKey([]byte(keyID)), signet.WithClock(func() time.Time { return now }))
		require.NoError(t, err)
		r, _ := http.NewRequest("GET", base+"/", nil)
		require.NoError(t, signer.Sign(r))
		resp, err := client.Do(r)
		require.NoError(t, err)
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
		want = append(want, keyID)
	}
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, want, kept)
}

// TestNoAllocations checks that a request verified with an HMAC scheme
// without a body allocates nothing through the middleware (Results pooled,
// released when fasthttp resets the request's user values, as its server
// does after each request), nor behind a verifier of a FirstOf that finds
// no signature of its own.
func TestNoAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	key := signet.NewHMACKey([]byte("secret"))
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "k", Key: key, Credentials: caller{7}})
	require.NoError(t, err)
	alone, err := signet.NewSASigning(keys)
	require.NoError(t, err)
	onXSignature := signet.SASigningHeader("X-Signature") // where Cavage does not look
	behind, err := signet.NewSASigning(keys, onXSignature)
	require.NoError(t, err)
	cavage, err := signet.NewCavage(keys)
	require.NoError(t, err)
	firstOf, err := signet.NewFirstOf(cavage, behind)
	require.NoError(t, err)
	for _, c := range []struct {
		name     string
		verifier signet.Verifier
		opts     []signet.SASigningOption
	}{
		{"SASigning", alone, nil},
		{"SASigning behind Cavage in a FirstOf", firstOf, []signet.SASigningOption{onXSignature}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := signet.NewSASigningSigner(key, c.opts...)
			require.NoError(t, err)
			out, _ := http.NewRequest("GET", "http://api.example/v1/orders/42", nil)
			require.NoError(t, s.Sign(out))
			var raw bytes.Buffer
			require.NoError(t, out.Write(&raw))

			handler := signetfasthttp.New(c.verifier)(func(rc *fasthttp.RequestCtx) {
				if who, _ := signetfasthttp.Credentials[caller](rc); who.ID != 7 {
					rc.SetStatusCode(http.StatusInternalServerError)
					return
				}
				rc.SetStatusCode(http.StatusNoContent)
			})
			var rc fasthttp.RequestCtx
			require.NoError(t, rc.Request.Read(bufio.NewReader(&raw)))
			serve := func() {
				handler(&rc)
				rc.Response.Reset()
				rc.ResetUserValues()
			}
			serve() // warm the pools
			if allocs := testing.AllocsPerRun(100, serve); allocs != 0 {
				t.Errorf("%v allocations per request, want 0", allocs)
			}
			handler(&rc)
			assert.Equal(t, http.StatusNoContent, rc.Response.StatusCode())
		})
	}
}

// now is the clock of every verifier and signer here.
var now = time.Unix(1_700_000_000, 0)

// sasigning returns a verifier (given verifierOpts) and a signer of the
// method, path and body.
func sasigning(t *testing.T, verifierOpts ...signet.SASigningOption) (signet.Verifier, *signet.SASigningSigner) {
	t.Helper()
	key := signet.NewHMACKey([]byte("secret"))
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "k", Key: key, Credentials: caller{7}})
	require.NoError(t, err)
	covers := []signet.SASigningOption{signet.SASigningFields("method", "path", "body"), signet.SASigningDelimiter("\n")}
	v, err := signet.NewSASigning(keys, append(covers, verifierOpts...)...)
	require.NoError(t, err)
	s, err := signet.NewSASigningSigner(key, covers...)
	require.NoError(t, err)
	return v, s
}

// sendSigned signs a POST of body with s, edits it with edit (if any),
// sends it to the server at base, chunked when chunked is set, and returns
// the answer's status and body.
func sendSigned(t *testing.T, base string, s signet.Signer, body []byte, header http.Header, chunked bool, edit func(*http.Request)) (int, string) {
	t.Helper()
	r, err := http.NewRequest("POST", base+"/up", bytes.NewReader(body))
	require.NoError(t, err)
	for name, values := range header {
		r.Header[name] = values
	}
	require.NoError(t, s.Sign(r))
	if chunked { // a body of unknown length
		r.Body, r.GetBody, r.ContentLength = io.NopCloser(bytes.NewReader(body)), nil, -1
	}
	if edit != nil {
		edit(r)
	}
	resp, err := http.DefaultClient.Do(r)
	require.NoError(t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(got)
}

// TestRejectedRequestHidesNoOther: a request the middleware rejects without
// reading all of it (a refusal before verifying, a streamed body left on
// the connection) is answered alone, the connection closed after it: what
// its bytes hide is never served as the next request, as fasthttp before
// v1.78 would.
func TestRejectedRequestHidesNoOther(t *testing.T) {
	v, _ := sasigning(t)
	public := func(rc *fasthttp.RequestCtx) bool { return string(rc.Path()) == "/public" }
	handler := signetfasthttp.New(v, signetfasthttp.WithSkipper(public))(func(rc *fasthttp.RequestCtx) {
		rc.SetBodyString("served " + string(rc.Path()))
	})
	base := serve(t, &fasthttp.Server{Handler: handler, StreamRequestBody: true, MaxRequestBodySize: 1024})
	hidden := "GET /public HTTP/1.1\r\nHost: a\r\n\r\n"
	body := strings.Repeat("x", 5000) + hidden // over MaxRequestBodySize: streamed
	for _, tc := range []struct{ name, raw string }{
		{"unsigned, a streamed body", fmt.Sprintf("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: %d\r\n\r\n%s", len(body), body)},
		{"unsigned, a chunked body", fmt.Sprintf("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n", len(body), body)},
		{"HTTP/1.0, Transfer-Encoding", "POST /x HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n0\r\n\r\n" + hidden},
		{"Host twice", "POST /x HTTP/1.1\r\nHost: a\r\nHost: b\r\nContent-Length: 0\r\n\r\n" + hidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
			require.NoError(t, err)
			defer conn.Close()
			_, err = conn.Write([]byte(tc.raw))
			require.NoError(t, err)
			require.NoError(t, conn.SetReadDeadline(time.Now().Add(5*time.Second)))
			got, _ := io.ReadAll(conn) // to the close
			assert.Equal(t, 1, strings.Count(string(got), "HTTP/1.1 "), "one answer, then the connection closes:\n%s", got)
			assert.NotContains(t, string(got), "served")
		})
	}
}

// TestBrokenStreamHidesNoOther: a streamed body too large for the verifier
// whose chunked framing breaks while it is drained closes the connection
// too: the bytes after the break are never read as a request.
func TestBrokenStreamHidesNoOther(t *testing.T) {
	v, s := sasigning(t, signet.WithMaxBodyBytes(100))
	public := func(rc *fasthttp.RequestCtx) bool { return string(rc.Path()) == "/public" }
	handler := signetfasthttp.New(v, signetfasthttp.WithSkipper(public))(func(rc *fasthttp.RequestCtx) {
		rc.SetBodyString("served " + string(rc.Path()))
	})
	base := serve(t, &fasthttp.Server{Handler: handler, StreamRequestBody: true, MaxRequestBodySize: 1024})
	signed, err := http.NewRequest("POST", base+"/x", strings.NewReader("small"))
	require.NoError(t, err)
	require.NoError(t, s.Sign(signed))
	var header strings.Builder
	require.NoError(t, signed.Header.Write(&header))
	body := strings.Repeat("x", 5000)
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = fmt.Fprintf(conn, "POST /x HTTP/1.1\r\nHost: a\r\n%sTransfer-Encoding: chunked\r\n\r\n%x\r\n%sXYGET /public HTTP/1.1\r\nHost: a\r\n\r\n",
		header.String(), len(body), body) // "XY" where the chunk's CRLF belongs
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(5*time.Second)))
	got, _ := io.ReadAll(conn) // to the close
	assert.Equal(t, 1, strings.Count(string(got), "HTTP/1.1 "), "one answer, then the connection closes:\n%s", got)
	assert.Contains(t, string(got), "413")
	assert.NotContains(t, string(got), "served")
}
