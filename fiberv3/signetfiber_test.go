package signetfiber_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/valyala/fasthttp"

	signet "github.com/signet-go/signet/core"
	signetfiber "github.com/signet-go/signet/fiberv3"
)

// now is the clock of every verifier and signer here.
var now = time.Unix(1_700_000_000, 0)

func clock() signet.Option { return signet.WithClock(func() time.Time { return now }) }

// caller is the credentials type of these tests.
type caller struct{ ID int }

// echo is what the test handler answers.
type echo struct {
	KeyID  string `json:"key_id"`
	Caller int    `json:"caller"`
	Body   string `json:"body"`
}

// echoHandler answers the Result's key id, the typed credentials and the
// raw body the handler read.
func echoHandler(c fiber.Ctx) error {
	res, ok := signetfiber.Result(c)
	if !ok {
		return c.SendStatus(http.StatusInternalServerError)
	}
	who, _ := signetfiber.Credentials[caller](c)
	return c.JSON(echo{KeyID: res.KeyID, Caller: who.ID, Body: string(c.BodyRaw())})
}

// TestConcurrentClients sends many requests at once, from clients with
// distinct keys and credentials, bodies and paths, and checks each answer,
// the credentials the handler reads (before and after other requests
// verified into pooled Results) and an earlier middleware reads after the
// chain, and, once all are done, the copy of each Result kept after its
// handler returned: fasthttp reuses its buffers across requests and
// connections and New its Results, so anything aliased past Verify or a
// Result reused too early would show here (and under -race).
func TestConcurrentClients(t *testing.T) {
	const clients, requests = 16, 40
	var secrets []signet.Secret
	for i := range clients {
		id := fmt.Sprintf("client-%02d", i)
		if i%2 == 1 {
			id = "" // Result.KeyID then comes from the request's keyId
		}
		secrets = append(secrets, signet.Secret{ID: id, Key: signet.NewHMACKey([]byte(fmt.Sprintf("secret-%02d", i))), Credentials: caller{i}})
	}
	keys := signet.KeyFunc(func(_ context.Context, keyID string) ([]signet.Secret, error) {
		var i int
		if _, err := fmt.Sscanf(keyID, "client-%02d", &i); err != nil || i >= clients {
			return nil, signet.ErrUnknownKey
		}
		return secrets[i : i+1], nil
	})
	verifier, err := signet.NewCavage(keys, clock())
	require.NoError(t, err)

	var mu sync.Mutex
	kept := map[string]signet.Result{} // by "client/request": copies, as Result says
	// client is the caller the request says it comes from.
	client := func(c fiber.Ctx) int {
		var i, j int
		fmt.Sscanf(c.Get("X-Request"), "%d/%d", &i, &j)
		return i
	}
	app := fiber.New()
	app.Use(func(c fiber.Ctx) error { // the Result is still this request's after the chain
		err := c.Next()
		who, _ := signetfiber.Credentials[caller](c)
		assert.Equal(t, caller{client(c)}, who, "after the chain")
		return err
	})
	app.Use(signetfiber.New(verifier))
	app.Use(func(c fiber.Ctx) error {
		res, _ := signetfiber.Result(c)
		mu.Lock()
		kept[strings.Clone(c.Get("X-Request"))] = *res // c.Get aliases fasthttp's buffer
		mu.Unlock()
		time.Sleep(time.Millisecond) // other requests verify into pooled Results meanwhile
		who, _ := signetfiber.Credentials[caller](c)
		assert.Equal(t, caller{client(c)}, who, "in the handler")
		return echoHandler(c)
	})
	base := serve(t, app)

	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			keyID := fmt.Sprintf("client-%02d", i)
			signer, err := signet.NewCavageSigner(keyID, signet.NewHMACKey([]byte(fmt.Sprintf("secret-%02d", i))),
				signet.WithClock(func() time.Time { return now }))
			if !assert.NoError(t, err) {
				return
			}
			// Half the clients open a connection per request, so that
			// fasthttp hands one connection's buffers to another client.
			client := &http.Client{Transport: &http.Transport{DisableKeepAlives: i%2 == 0}}
			defer client.CloseIdleConnections()
			for j := range requests {
				body := strings.Repeat(fmt.Sprintf("%s-%d;", keyID, j), 1+(i+j)%7)
				r, _ := http.NewRequest("POST", fmt.Sprintf("%s/c/%d/r/%d?x=%d", base, i, j, i*j), strings.NewReader(body))
				r.Header.Set("X-Request", fmt.Sprintf("%d/%d", i, j))
				r.Header.Set("A-Pad", strings.Repeat("p", (i*7+j*3)%50)) // moves the signature in the buffer
				if !assert.NoError(t, signer.Sign(r)) {
					return
				}
				resp, err := client.Do(r)
				if !assert.NoError(t, err) {
					return
				}
				var got echo
				err = json.NewDecoder(resp.Body).Decode(&got)
				resp.Body.Close()
				assert.NoError(t, err)
				assert.Equal(t, http.StatusOK, resp.StatusCode)
				assert.Equal(t, echo{KeyID: keyID, Caller: i, Body: body}, got)
			}
		}()
	}
	wg.Wait()

	require.Len(t, kept, clients*requests)
	for i := range clients {
		for j := range requests {
			res, ok := kept[fmt.Sprintf("%d/%d", i, j)]
			require.True(t, ok)
			assert.Equal(t, fmt.Sprintf("client-%02d", i), res.KeyID)
			assert.Equal(t, caller{i}, res.Credentials)
			assert.Equal(t, "cavage", res.Scheme)
			assert.Equal(t, "hmac-sha256", res.Algorithm)
		}
	}
}

// sasigning returns a verifier and a signer of method, path and body, or of
// what covers sets; only the verifier is given verifierOpts.
func sasigning(t *testing.T, covers []signet.SASigningOption, verifierOpts ...signet.SASigningOption) (signet.Verifier, *signet.SASigningSigner) {
	t.Helper()
	key := signet.NewHMACKey([]byte("secret"))
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "k", Key: key, Credentials: caller{7}})
	require.NoError(t, err)
	covers = append([]signet.SASigningOption{signet.SASigningFields("method", "path", "body"), signet.SASigningDelimiter("\n")}, covers...)
	v, err := signet.NewSASigning(keys, append(covers, verifierOpts...)...)
	require.NoError(t, err)
	s, err := signet.NewSASigningSigner(key, covers...)
	require.NoError(t, err)
	return v, s
}

// send signs a POST of body with s and sends it to the server at base.
func send(t *testing.T, base string, s signet.Signer, body []byte, header http.Header) (int, string) {
	t.Helper()
	return sendSigned(t, base, s, body, header, false)
}

// sendSigned is send, sending the body chunked when chunked is set.
func sendSigned(t *testing.T, base string, s signet.Signer, body []byte, header http.Header, chunked bool) (int, string) {
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
	resp, err := http.DefaultClient.Do(r)
	require.NoError(t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(got)
}

// TestTLSScheme checks that a request over TLS is verified as https.
func TestTLSScheme(t *testing.T) {
	v, s := sasigning(t, []signet.SASigningOption{signet.SASigningFields("scheme", "method", "path")})
	app := fiber.New()
	app.Use(signetfiber.New(v), echoHandler)

	tlsSrv := httptest.NewTLSServer(nil) // for its certificate and a client trusting it
	client := tlsSrv.Client()
	tlsSrv.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ln = tls.NewListener(ln, &tls.Config{Certificates: tlsSrv.TLS.Certificates})
	go app.Listener(ln, fiber.ListenConfig{DisableStartupMessage: true})
	t.Cleanup(func() { assert.NoError(t, app.Shutdown()) })

	r, err := http.NewRequest("GET", "https://"+ln.Addr().String()+"/secure", nil)
	require.NoError(t, err)
	require.NoError(t, s.Sign(r))
	resp, err := client.Do(r)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

// TestBodyAsReceived checks that the verifier reads the body as received,
// never the body fiber's c.Body() decompresses, and that the handler still
// reads it.
func TestBodyAsReceived(t *testing.T) {
	v, s := sasigning(t, nil)
	app := fiber.New()
	app.Use(signetfiber.New(v))
	app.Use(func(c fiber.Ctx) error {
		if !bytes.Equal(c.BodyRaw(), gzipped(t, "hello")) || string(c.Body()) != "hello" {
			return c.SendStatus(http.StatusInternalServerError)
		}
		return c.SendString("ok")
	})
	status, body := send(t, serve(t, app), s, gzipped(t, "hello"), http.Header{"Content-Encoding": {"gzip"}})
	assert.Equal(t, http.StatusOK, status, body)
}

func gzipped(t *testing.T, s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, err := io.WriteString(w, s)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return b.Bytes()
}

// TestStreamRequestBody checks bodies under fiber's StreamRequestBody: read
// up to the verifier's limit, and given back to the handler.
func TestStreamRequestBody(t *testing.T) {
	v, s := sasigning(t, nil, signet.WithMaxBodyBytes(64<<10))
	app := fiber.New(fiber.Config{StreamRequestBody: true, BodyLimit: 16 << 10})
	app.Use(signetfiber.New(v))
	app.Use(echoHandler)
	base := serve(t, app)
	for _, chunked := range []bool{false, true} {
		for _, size := range []int{0, 10, 8 << 10, 40 << 10} { // below and beyond fasthttp's prefetch
			body := bytes.Repeat([]byte("s"), size)
			status, got := sendSigned(t, base, s, body, nil, chunked)
			require.Equal(t, http.StatusOK, status, got)
			assert.JSONEq(t, fmt.Sprintf(`{"key_id":"k","caller":7,"body":%q}`, body), got)
		}
		status, got := sendSigned(t, base, s, bytes.Repeat([]byte("s"), 64<<10+1), nil, chunked)
		assert.Equal(t, http.StatusRequestEntityTooLarge, status)
		assert.Contains(t, got, `"error":"body_too_large"`)
	}
}

// TestMultipartBody checks that a multipart body fasthttp parsed into a
// form (fiber's default) is refused, never verified against a re-encoding,
// and is verified with DisablePreParseMultipartForm.
func TestMultipartBody(t *testing.T) {
	var form bytes.Buffer
	w := multipart.NewWriter(&form)
	require.NoError(t, w.WriteField("a", "1"))
	require.NoError(t, w.WriteField("b", "2"))
	require.NoError(t, w.Close())
	header := http.Header{"Content-Type": {w.FormDataContentType()}}
	v, s := sasigning(t, nil)

	app := fiber.New()
	app.Use(signetfiber.New(v))
	app.Use(echoHandler)
	status, got := send(t, serve(t, app), s, form.Bytes(), header)
	assert.Equal(t, http.StatusServiceUnavailable, status)
	assert.Contains(t, got, `"error":"verification_unavailable"`)

	app = fiber.New(fiber.Config{DisablePreParseMultipartForm: true})
	app.Use(signetfiber.New(v))
	app.Use(func(c fiber.Ctx) error {
		if c.FormValue("b") != "2" {
			return c.SendStatus(http.StatusInternalServerError)
		}
		return echoHandler(c)
	})
	status, got = send(t, serve(t, app), s, form.Bytes(), header)
	require.Equal(t, http.StatusOK, status, got)
	assert.JSONEq(t, fmt.Sprintf(`{"key_id":"k","caller":7,"body":%q}`, form.String()), got)
}

// TestHeaderNamesAsSent checks that header names are matched in any case
// when fiber does not normalise them.
func TestHeaderNamesAsSent(t *testing.T) {
	v, s := sasigning(t, nil)
	app := fiber.New(fiber.Config{DisableHeaderNormalizing: true})
	app.Use(signetfiber.New(v))
	app.Use(echoHandler)
	r, err := http.NewRequest("POST", serve(t, app)+"/up", strings.NewReader("x"))
	require.NoError(t, err)
	require.NoError(t, s.Sign(r))
	r.Header["signature"] = r.Header["Signature"] // sent in lower case
	delete(r.Header, "Signature")
	resp, err := http.DefaultClient.Do(r)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

// TestSuccessHandler checks Config.SuccessHandler, with the package doc's
// way of putting the Result on c.Context() (fiber v2's c.UserContext()).
func TestSuccessHandler(t *testing.T) {
	v, s := sasigning(t, nil)
	app := fiber.New()
	app.Use(signetfiber.New(v, signetfiber.Config{
		SuccessHandler: func(c fiber.Ctx) error {
			res, _ := signetfiber.Result(c)
			c.SetContext(signet.NewContext(c.Context(), res))
			return c.Next()
		},
	}))
	app.Use(func(c fiber.Ctx) error {
		who, ok := signet.CredentialsFrom[caller](c.Context())
		if !ok {
			return c.SendStatus(http.StatusInternalServerError)
		}
		return c.SendString(fmt.Sprint(who.ID))
	})
	status, got := send(t, serve(t, app), s, []byte("x"), nil)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "7", got)
}

// tenantKey is the context key an earlier middleware puts the tenant under.
type tenantKey struct{}

// TestVerifierContext checks that the verifier is handed c.Context(), fiber
// v3's context of the request: a key store sees what an earlier middleware
// put there with c.SetContext, and finds the key of that tenant.
func TestVerifierContext(t *testing.T) {
	v, s := sasigning(t, nil)
	keys := signet.KeyFunc(func(ctx context.Context, _ string) ([]signet.Secret, error) {
		if ctx.Value(tenantKey{}) != "acme" {
			return nil, signet.ErrUnknownKey
		}
		return []signet.Secret{{Key: signet.NewHMACKey([]byte("secret")), Credentials: caller{7}}}, nil
	})
	byTenant, err := signet.NewSASigning(keys, signet.SASigningFields("method", "path", "body"), signet.SASigningDelimiter("\n"))
	require.NoError(t, err)
	for _, c := range []struct {
		name     string
		verifier signet.Verifier
		tenant   string
		status   int
	}{
		{"the tenant's key", byTenant, "acme", http.StatusOK},
		{"no tenant", byTenant, "", http.StatusUnauthorized},
		{"a static key, no tenant", v, "", http.StatusOK},
	} {
		t.Run(c.name, func(t *testing.T) {
			app := fiber.New()
			app.Use(func(fc fiber.Ctx) error {
				if c.tenant != "" {
					fc.SetContext(context.WithValue(fc.Context(), tenantKey{}, c.tenant))
				}
				return fc.Next()
			})
			app.Use(signetfiber.New(c.verifier), echoHandler)
			status, got := send(t, serve(t, app), s, []byte("x"), nil)
			assert.Equal(t, c.status, status, got)
		})
	}
}

// TestUnreadRequest checks what the package doc says of a request fasthttp
// fails to read (here a body beyond BodyLimit, under a signed URL that does
// not cover it): fiber v3 still runs the handlers registered with app.Use,
// the middleware verifying what was read, but never a route's handler, and
// it answers with its own error, not the handler's.
func TestUnreadRequest(t *testing.T) {
	key := signet.NewHMACKey([]byte("secret-secret-secret-secret-1234"))
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "k", Key: key, Credentials: caller{7}})
	require.NoError(t, err)
	v, err := signet.NewSignedURL(keys, clock())
	require.NoError(t, err)
	s, err := signet.NewSignedURLSigner("k", key, clock())
	require.NoError(t, err)
	signed, err := s.SignURL("POST", "http://h/up", time.Minute)
	require.NoError(t, err)
	target := strings.TrimPrefix(signed, "http://h")

	var used, posted atomic.Bool
	app := fiber.New(fiber.Config{BodyLimit: 10})
	app.Use(signetfiber.New(v), func(c fiber.Ctx) error {
		_, verified := signetfiber.Result(c)
		used.Store(verified)
		return c.Next()
	})
	app.Post("/up", func(c fiber.Ctx) error {
		posted.Store(true)
		return c.SendString("served")
	})
	base := serve(t, app)

	resp, body := exchange(t, base, "POST "+target+" HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n0123456789a")
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode, body)
	assert.Equal(t, "Request Entity Too Large", body)
	assert.True(t, used.Load(), "an app.Use handler ran, after the middleware verified")
	assert.False(t, posted.Load(), "a route's handler ran")

	used.Store(false)
	resp, body = exchange(t, base, "POST "+target+" HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789")
	assert.Equal(t, http.StatusOK, resp.StatusCode, body)
	assert.True(t, used.Load() && posted.Load(), "a request within BodyLimit is served")
}

// verifyOnly hides every method of a verifier but Verify, as a verifier
// from outside package signet has.
type verifyOnly struct{ signet.Verifier }

// refusing embeds a verifier of package signet, and its Verify refuses
// every request: the embedded VerifyInto must not be called instead.
type refusing struct{ *signet.SASigning }

func (refusing) Verify(context.Context, signet.Request) (*signet.Result, error) {
	return nil, signet.NewError(signet.ErrUnknownKey, "refused")
}

// TestVerifiers checks that New serves a verifier of package signet (into
// pooled Results) and any other (through Verify) alike, rejections
// included, and a type embedding a verifier of package signet through its
// own Verify.
func TestVerifiers(t *testing.T) {
	v, s := sasigning(t, nil)
	otherKeys, err := signet.NewStaticKeys(signet.Secret{ID: "k", Key: signet.NewHMACKey([]byte("another secret"))})
	require.NoError(t, err)
	other, err := signet.NewSASigning(otherKeys, signet.SASigningFields("method", "path", "body"), signet.SASigningDelimiter("\n"))
	require.NoError(t, err)
	for _, c := range []struct {
		name     string
		verifier signet.Verifier
		status   int
		body     string
	}{
		{"IntoVerifier", v, http.StatusOK, `{"key_id":"k","caller":7,"body":"x"}`},
		{"Verify only", verifyOnly{v}, http.StatusOK, `{"key_id":"k","caller":7,"body":"x"}`},
		{"IntoVerifier, rejected", other, http.StatusUnauthorized, `{"error":"invalid_signature"`},
		{"Verify only, rejected", verifyOnly{other}, http.StatusUnauthorized, `{"error":"invalid_signature"`},
		{"embedding one, with its own Verify", refusing{v.(*signet.SASigning)}, http.StatusUnauthorized, `{"error":"unknown_key"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			app := fiber.New()
			app.Use(signetfiber.New(c.verifier), echoHandler)
			base := serve(t, app)
			for range 3 { // Results are pooled between requests
				status, got := send(t, base, s, []byte("x"), nil)
				assert.Equal(t, c.status, status)
				assert.True(t, strings.HasPrefix(got, c.body), got)
			}
		})
	}
}

// TestNoAllocations checks issue 6's target: a request verified with an
// HMAC scheme without a body allocates nothing through the whole fiber
// stack (Results pooled, released when fasthttp resets the request's user
// values, as its server does after each request), in a process serving
// one app or several in turn.
func TestNoAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	key := signet.NewHMACKey([]byte("secret"))
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "k", Key: key, Credentials: caller{7}})
	require.NoError(t, err)
	v, err := signet.NewSASigning(keys)
	require.NoError(t, err)
	s, err := signet.NewSASigningSigner(key)
	require.NoError(t, err)
	out, _ := http.NewRequest("GET", "http://api.example/v1/orders/42", nil)
	require.NoError(t, s.Sign(out))
	var raw bytes.Buffer
	require.NoError(t, out.Write(&raw))

	newHandler := func() fasthttp.RequestHandler {
		app := fiber.New()
		app.Use(signetfiber.New(v), func(c fiber.Ctx) error {
			if who, _ := signetfiber.Credentials[caller](c); who.ID != 7 {
				return c.SendStatus(http.StatusInternalServerError)
			}
			return c.SendStatus(http.StatusNoContent)
		})
		return app.Handler()
	}
	handler, admin := newHandler(), newHandler()
	var ctx fasthttp.RequestCtx
	require.NoError(t, ctx.Request.Read(bufio.NewReader(&raw)))
	serve := func(h fasthttp.RequestHandler) {
		h(&ctx)
		ctx.Response.Reset()
		ctx.ResetUserValues()
	}
	serve(handler) // warm the pools
	if allocs := testing.AllocsPerRun(100, func() { serve(handler) }); allocs != 0 {
		t.Errorf("%v allocations per request, want 0", allocs)
	}
	serve(admin)
	if allocs := testing.AllocsPerRun(100, func() { serve(handler); serve(admin) }); allocs != 0 {
		t.Errorf("%v allocations per request to two apps in turn, want 0", allocs)
	}
	handler(&ctx)
	assert.Equal(t, http.StatusNoContent, ctx.Response.StatusCode())
}

// exchange sends raw as written over a connection of its own to the server
// at base and returns the answer and its body.
func exchange(t *testing.T, base, raw string) (*http.Response, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	_, err = io.WriteString(conn, raw)
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}

// fasthttpRead reads raw with fasthttp, the version linked into this test,
// as its server reads a request. Versions newer than the one fiber v3 asks
// for (v1.69.0) refuse more: tests whose outcome depends on it ask.
func fasthttpRead(raw string) (*fasthttp.Request, error) {
	req := new(fasthttp.Request)
	return req, req.Read(bufio.NewReader(strings.NewReader(raw)))
}

// assertRefusedByFasthttp checks the answer of fiber's default error
// handler to a request fasthttp refused to read.
func assertRefusedByFasthttp(t *testing.T, resp *http.Response, body string) {
	t.Helper()
	require.Equal(t, http.StatusBadRequest, resp.StatusCode, body)
	assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.True(t, strings.HasPrefix(body, "error when reading request headers: "), body)
}

// routed reports whether fiber v3 routes req, read by fasthttp, to
// middlewares: it routes on the raw path (fasthttp's URI().PathOriginal(),
// never normalised), and none matches one that does not start with '/'.
func routed(req *fasthttp.Request) bool {
	return bytes.HasPrefix(req.URI().PathOriginal(), []byte("/"))
}

// assertNotRouted checks fiber's answer to a request no route matches,
// before any middleware: its default error handler's 404.
func assertNotRouted(t *testing.T, resp *http.Response, body string) {
	t.Helper()
	require.Equal(t, http.StatusNotFound, resp.StatusCode, body)
	assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Equal(t, "Not Found", body)
}

// TestRequestTarget sends, over TCP as written, a URL signed for
// tenant-a.example (its origin bound) with a Host header of
// tenant-b.example, in request-targets net/http refuses (400) or reads
// another host from than fasthttp: the middleware answers them 400
// malformed_signature, in its JSON, before verifying, so that no signature
// checked against one host serves the app another (c.Hostname()). An
// absolute-form target both read alike verifies, for the host the app
// reads. fiber v3 routes on the raw path: a target whose path fasthttp
// does not read as starting with '/' reaches no middleware, and fiber
// answers it 404 itself.
func TestRequestTarget(t *testing.T) {
	key := signet.NewHMACKey([]byte("secret-secret-secret-secret-1234"))
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "k", Key: key, Credentials: caller{7}})
	require.NoError(t, err)
	v, err := signet.NewSignedURL(keys, signet.SignedURLBindOrigin(), clock())
	require.NoError(t, err)
	s, err := signet.NewSignedURLSigner("k", key, signet.SignedURLBindOrigin(), clock())
	require.NoError(t, err)
	signed, err := s.SignURL("GET", "http://tenant-a.example/files/report", time.Minute)
	require.NoError(t, err)
	rest, ok := strings.CutPrefix(signed, "http://tenant-a.example")
	require.True(t, ok, signed)

	app := fiber.New()
	app.Use(signetfiber.New(v), func(c fiber.Ctx) error {
		return c.SendString("served " + c.Hostname() + ", Host " + c.Get(fiber.HeaderHost))
	})
	base := serve(t, app)
	for _, c := range []struct {
		name, target, host string
		want               string // the answer's body on 200
	}{
		{"origin-form, the signed host", rest, "tenant-a.example", "served tenant-a.example, Host tenant-a.example"},
		{"absolute-form", "http://tenant-a.example" + rest, "tenant-a.example", "served tenant-a.example, Host tenant-a.example"},
		{"absolute-form, another case", "http://TENANT-A.example" + rest, "tenant-a.example", "served tenant-a.example, Host TENANT-A.example"},
		// A server ignores the Host header (RFC 9112 §3.2.2), as net/http
		// does; fasthttp kept it for c.Get("Host"): the app served
		// tenant-b what was verified for tenant-a.
		{"absolute-form, another Host header", "http://tenant-a.example" + rest, "tenant-b.example", "served tenant-a.example, Host tenant-a.example"},
		// fasthttp: the host after the first '@' (from v1.68.0: the last,
		// as net/http), up to the first '/'.
		{"'#' and '@' in the authority", "http://tenant-a.example#@tenant-b.example" + rest, "tenant-b.example", ""},
		{"two '@'", "http://x@tenant-b.example@tenant-a.example" + rest, "tenant-b.example", ""},
		// fasthttp: the Host header's host (from v1.70.0: refused).
		{"no scheme before '://'", "x/http://tenant-a.example" + rest, "tenant-b.example", ""},
		{"no host", "http://" + rest, "tenant-b.example", ""},
		{"authority-form", "tenant-a.example:80", "tenant-a.example:80", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			raw := "GET " + c.target + " HTTP/1.1\r\nHost: " + c.host + "\r\n\r\n"
			resp, body := exchange(t, base, raw)
			read, err := fasthttpRead(raw)
			if err != nil {
				require.Empty(t, c.want, "fasthttp refuses a request the middleware serves")
				assertRefusedByFasthttp(t, resp, body)
				return
			}
			if !routed(read) {
				require.Empty(t, c.want, "fiber routes no request the middleware serves")
				assertNotRouted(t, resp, body)
				return
			}
			if c.name == "two '@'" && string(read.URI().Host()) == "tenant-a.example" {
				c.want = "served tenant-a.example, Host tenant-a.example" // a fasthttp that reads net/http's host
			}
			if c.want != "" {
				require.Equal(t, http.StatusOK, resp.StatusCode, body)
				assert.Equal(t, c.want, body)
				return
			}
			require.Equal(t, http.StatusBadRequest, resp.StatusCode, body)
			assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
			assert.JSONEq(t, `{"error":"malformed_signature","message":"the request-target is not a path or an absolute URI whose host fasthttp reads as written"}`, body)
		})
	}
	t.Run("CONNECT", func(t *testing.T) {
		raw := "CONNECT tenant-a.example:443 HTTP/1.1\r\nHost: tenant-a.example:443\r\n\r\n"
		resp, body := exchange(t, base, raw)
		if read, err := fasthttpRead(raw); err == nil && !routed(read) {
			assertNotRouted(t, resp, body)
			return
		}
		require.Equal(t, http.StatusBadRequest, resp.StatusCode, body)
		assert.Contains(t, body, `"error":"malformed_signature"`)
	})
}

// TestTransferEncodingHTTP10 sends, over TCP as written, an HTTP/1.0
// request with a Transfer-Encoding header, whose framing a server must
// treat as faulty (RFC 9112 §6.1): net/http reads its body by its
// Content-Length, fasthttp decodes it as chunked. The middleware answers it
// 400 malformed_signature, in its JSON, before verifying; the same request
// in HTTP/1.1 verifies.
func TestTransferEncodingHTTP10(t *testing.T) {
	v, s := sasigning(t, nil)
	app := fiber.New()
	app.Use(signetfiber.New(v), echoHandler)
	base := serve(t, app)
	r, err := http.NewRequest("POST", base+"/up", strings.NewReader("abc"))
	require.NoError(t, err)
	require.NoError(t, s.Sign(r))
	var signed strings.Builder
	require.NoError(t, r.Header.Write(&signed))
	for _, proto := range []string{"HTTP/1.1", "HTTP/1.0"} {
		t.Run(proto, func(t *testing.T) {
			raw := "POST /up " + proto + "\r\nHost: h\r\n" + signed.String() +
				"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
			resp, body := exchange(t, base, raw)
			if _, err := fasthttpRead(raw); err != nil && proto == "HTTP/1.0" {
				assertRefusedByFasthttp(t, resp, body) // from v1.74.0
				return
			}
			if proto == "HTTP/1.1" {
				require.Equal(t, http.StatusOK, resp.StatusCode, body)
				assert.JSONEq(t, `{"key_id":"k","caller":7,"body":"abc"}`, body)
				return
			}
			require.Equal(t, http.StatusBadRequest, resp.StatusCode, body)
			assert.JSONEq(t, `{"error":"malformed_signature","message":"the request has a Transfer-Encoding header but is not HTTP/1.1"}`, body)
		})
	}
}
