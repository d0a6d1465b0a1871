package signettest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/textproto"
	"slices"
	"strings"
	"testing"
	"time"

	signet "github.com/signet-go/signet/core"
)

// Harness is what an adapter gives the suite: a way to build its
// middleware, and to serve a verifier behind it.
type Harness interface {
	// New builds the adapter's middleware from v alone, with its
	// documented constructor (the one that panics, for an adapter that
	// also has one returning an error), and discards it. Given a nil
	// Verifier or a nil pointer (an unchecked constructor's), it must
	// panic as that constructor does, with signet.CheckVerifier's message
	// naming the mistake, so that it shows at startup, not on the first
	// request.
	New(v signet.Verifier)
	// Serve starts a server on 127.0.0.1 whose every route and method runs
	// the adapter's middleware, built from v and configured as setup says,
	// in front of a handler answering with an Echo. It returns the base URL
	// ("http://127.0.0.1:PORT") and stops the server when t ends. The server
	// speaks HTTP/1.1 and keeps connections alive: some cases send their
	// requests as written over a connection of their own, several on one.
	Serve(t testing.TB, v signet.Verifier, setup Setup) string
}

// OwnServer is implemented by a Harness whose framework does not serve
// requests with net/http's server (fiber, on fasthttp's): requests that
// net/http answers itself before any middleware (more than one Host) reach
// its middleware, so the suite checks the adapter's answer to them in full,
// its JSON error included, not only the status.
type OwnServer interface {
	Harness
	OwnServer()
}

// NilIsHandled is implemented by a Harness whose framework reads an error
// handler returning nil as having handled the request (fiber, where one may
// serve it unverified with c.Next()): for Setup.SilentErrors the suite then
// checks that the protected handler did not run and nothing was answered
// but the framework's empty 200.
type NilIsHandled interface {
	Harness
	NilIsHandled()
}

// Setup says how a case configures the adapter's middleware.
type Setup struct {
	// Skip, when not nil, is the adapter's skipper (Next in fiber):
	// requests for which it returns true reach the handler unverified.
	Skip func(method, path string) bool
	// CustomErrors asks for an error handler of the adapter's own kind
	// that answers CustomErrorStatus with the body "custom:" + err.Code().
	CustomErrors bool
	// SilentErrors asks for an error handler of the adapter's own kind that
	// answers nothing and reports no error (it only logs, say): the adapter
	// must still answer as by default, never with the framework's empty 200
	// (but see NilIsHandled).
	SilentErrors bool
}

// CustomErrorStatus is the status of Setup.CustomErrors answers.
const CustomErrorStatus = http.StatusTeapot

// Credentials is the type of the suite's credentials; the echo handler
// reads it through the adapter's typed accessor.
type Credentials struct {
	Name string `json:"name"`
}

// Echo is what the protected handler answers, as JSON with status 200.
type Echo struct {
	// Verified reports whether the adapter's Result accessor found a Result.
	Verified bool `json:"verified"`
	// KeyID is that Result's key id.
	KeyID string `json:"key_id"`
	// Credentials come from the adapter's typed credentials accessor.
	Credentials Credentials `json:"credentials"`
	// Body is the whole body the handler read.
	Body string `json:"body"`
}

// NewEcho builds the Echo of a request: the Result and credentials the
// adapter's accessors returned and the body the handler read.
func NewEcho(res *signet.Result, creds Credentials, body []byte) Echo {
	e := Echo{Credentials: creds, Body: string(body)}
	if res != nil {
		e.Verified, e.KeyID = true, res.KeyID
	}
	return e
}

const (
	// KeyID is the suite's known key id: its signed requests come from it.
	KeyID = "client-1"
	// MaxBodyBytes is the body limit of the suite's verifiers, in bytes.
	MaxBodyBytes = 64
)

var (
	secret      = []byte("signettest-secret, 64 bytes as pysigned wants HMAC-SHA512 keys...") // pysigned wants ≥ 64 bytes
	credentials = Credentials{Name: "client one"}
	signedAt    = time.Unix(1_700_000_000, 0)
)

// fixture is one scheme as the suite exercises it.
type fixture struct {
	name string
	// verifier builds the scheme's verifier over keys, reading now, with
	// the suite's body limit.
	verifier func(keys signet.KeyStore, now func() time.Time) (signet.Verifier, error)
	// signer signs as keyID with key at signedAt, for the server at base.
	signer func(keyID string, key *signet.Key, base string) (signet.Signer, error)
	// headerSigner, for a scheme that signs headers, is signer signing the
	// headers named (lower-case) too, for a request without a body; nil for
	// the others.
	headerSigner func(keyID string, key *signet.Key, headers []string) (signet.Signer, error)
	// unknownKey is the code for a request signed under an unknown key id.
	unknownKey string
	// expiresAfter is how long after signing the verifier rejects.
	expiresAfter time.Duration
	// signedURL marks the signed-URL schemes: they never read the body.
	signedURL bool
	// pathUnsigned marks Signway, which signs only its X-Sw-* parameters.
	pathUnsigned bool
	// strictEscapes marks a scheme whose signer refuses a URL with an
	// invalid percent-escape ("%zz").
	strictEscapes bool
	// decodedPath marks SASigning, which signs the decoded path and so
	// refuses one holding %2F (decoded, it is the path with '/').
	decodedPath bool
}

func clock(t time.Time) signet.Option { return signet.WithClock(func() time.Time { return t }) }

var fixtures = []fixture{
	{
		name: "sasigning",
		verifier: func(keys signet.KeyStore, now func() time.Time) (signet.Verifier, error) {
			return signet.NewSASigning(keys, saFields, saDelimiter, signet.WithClock(now), signet.WithMaxBodyBytes(MaxBodyBytes))
		},
		signer: func(_ string, key *signet.Key, _ string) (signet.Signer, error) {
			return signet.NewSASigningSigner(key, saFields, saDelimiter, clock(signedAt))
		},
		unknownKey:   "invalid_signature", // no key id: every key is tried
		expiresAfter: 5 * time.Minute,
		decodedPath:  true,
	},
	{
		name: "cavage",
		verifier: func(keys signet.KeyStore, now func() time.Time) (signet.Verifier, error) {
			return signet.NewCavage(keys, signet.CavageDigest(signet.DigestRequire), signet.WithClock(now),
				signet.WithMaxBodyBytes(MaxBodyBytes))
		},
		signer: func(keyID string, key *signet.Key, _ string) (signet.Signer, error) {
			return signet.NewCavageSigner(keyID, key, clock(signedAt))
		},
		headerSigner: func(keyID string, key *signet.Key, headers []string) (signet.Signer, error) {
			signed := append([]string{"(request-target)", "host", "date"}, headers...)
			return signet.NewCavageSigner(keyID, key, signet.CavageSignHeaders(signed...), clock(signedAt))
		},
		unknownKey:   "unknown_key",
		expiresAfter: 5 * time.Minute,
	},
	{
		name: "signedurl",
		verifier: func(keys signet.KeyStore, now func() time.Time) (signet.Verifier, error) {
			return signet.NewSignedURL(keys, signet.WithClock(now))
		},
		signer: func(keyID string, key *signet.Key, _ string) (signet.Signer, error) {
			return signet.NewSignedURLSigner(keyID, key, signet.SignedURLTTL(5*time.Minute), clock(signedAt))
		},
		unknownKey:    "unknown_key",
		expiresAfter:  5 * time.Minute,
		signedURL:     true,
		strictEscapes: true,
	},
	{
		name: "pysigned",
		verifier: func(keys signet.KeyStore, now func() time.Time) (signet.Verifier, error) {
			return signet.NewPysigned(keys, signet.WithClock(now))
		},
		signer: func(_ string, key *signet.Key, _ string) (signet.Signer, error) {
			return signet.NewPysignedSigner(key, signet.PysignedTTL(5*time.Minute), clock(signedAt))
		},
		unknownKey:   "invalid_signature", // 0.2.5 URLs carry no key id: every key is tried
		expiresAfter: 5 * time.Minute,
		signedURL:    true,
	},
	{
		name: "signway",
		verifier: func(keys signet.KeyStore, now func() time.Time) (signet.Verifier, error) {
			return signet.NewSignway(keys, signet.WithClock(now))
		},
		signer: func(keyID string, key *signet.Key, base string) (signet.Signer, error) {
			return signet.NewSignwaySigner(keyID, key, base, signet.SignwayTTL(5*time.Minute), clock(signedAt))
		},
		unknownKey:   "unknown_key",
		expiresAfter: 5 * time.Minute,
		signedURL:    true,
		pathUnsigned: true,
	},
}

// repeatedAndFolded are the headers of the repeated and folded cases:
// net/http reads X-Tenant as "a", "b" and X-Folded as "1 2 3".
const repeatedAndFolded = "X-Tenant: a\r\nx-tenant: b\r\nX-Folded: 1\r\n  2\r\n\t 3\r\n"

var saFields, saDelimiter = signet.SASigningFields("method", "path", "query", "body", "timestamp"), signet.SASigningDelimiter("\n")

// testCase is one request and what the adapter must answer.
type testCase struct {
	name   string
	setup  Setup
	now    time.Time // the verifier's clock
	keyID  string    // who signs; "" sends the request unsigned
	key    *signet.Key
	method string
	body   string
	tamper func(*http.Request)
	// target is the request-target sent, as written; "" is /orders/42?page=1.
	target string
	// chunked sends the body chunked, without a Content-Length.
	chunked bool
	// headers are header lines sent as written ("Name: value\r\n" each, a
	// name repeated or a value folded over several lines at will); the
	// signer signs them (only for a fixture with a headerSigner) as
	// net/http reads them, or as it reads signedHeaders when set.
	headers, signedHeaders string
	// hostBefore and hostAfter, when set, are the values of another Host
	// line sent as written before or after the request's own, which the
	// signer (a headerSigner, where the fixture has one) signs.
	hostBefore, hostAfter string
	status                int
	code                  string // the error code, or for 200 "" (verified) / "skipped"
	// byFramework is set when a framework served by net/http's server (gin,
	// echo) answers c itself before any middleware, in plain text: only the
	// status is checked then, not the adapter's JSON error, unless the
	// Harness is an OwnServer.
	byFramework bool
	// next is a request sent after this one's answer on the same keep-alive
	// connection, to the same server (its setup and now are unused).
	next *testCase
}

// raw reports whether c is sent as writeRequest writes it, over a
// connection of its own, rather than by http.Client, which cannot send a
// header as written and does not promise a chunked body or one connection.
func (c testCase) raw() bool {
	return c.chunked || c.headers != "" || c.next != nil || c.otherHost()
}

// otherHost reports whether c sends a Host line besides the request's own.
func (c testCase) otherHost() bool { return c.hostBefore != "" || c.hostAfter != "" }

func cases(f fixture) []testCase {
	wrongKey := signet.NewHMACKey([]byte("not-the-secret-not-the-secret-not-the-secret-not-the-secret-!!!!"))
	key := signet.NewHMACKey(secret)
	all := []testCase{
		{name: "valid", keyID: KeyID, key: key, body: "hello", status: 200},
		{name: "valid without body", keyID: KeyID, key: key, method: "GET", status: 200},
		{name: "tampered path", keyID: KeyID, key: key, body: "hello",
			tamper: func(r *http.Request) { r.URL.Path = "/admin" }, status: 401, code: "invalid_signature"},
		{name: "tampered query", keyID: KeyID, key: key, body: "hello",
			tamper: func(r *http.Request) { r.URL.RawQuery += "&admin=1" }, status: 401, code: "invalid_signature"},
		{name: "expired", keyID: KeyID, key: key, now: signedAt.Add(f.expiresAfter + time.Second), status: 401, code: "expired"},
		{name: "wrong key", keyID: KeyID, key: wrongKey, status: 401, code: "invalid_signature"},
		{name: "unknown key", keyID: "client-404", key: wrongKey, status: 401, code: f.unknownKey},
		{name: "missing signature", status: 401, code: "missing_signature"},
		{name: "body over the limit", keyID: KeyID, key: key, body: strings.Repeat("b", MaxBodyBytes+1), status: 413, code: "body_too_large"},
		// A body without Content-Length is read until the limit is passed:
		// another path from a body whose Content-Length is over the limit.
		{name: "valid, chunked", keyID: KeyID, key: key, body: "hello", chunked: true, status: 200},
		{name: "body over the limit, chunked", keyID: KeyID, key: key, body: strings.Repeat("b", MaxBodyBytes+1), chunked: true,
			status: 413, code: "body_too_large"},
		// Whatever the framework, the verifier sees a repeated header's every
		// value, in order, and a folded value's lines joined by one space:
		// net/http's view of the request, the one its client signs.
		{name: "repeated and folded headers", keyID: KeyID, key: key, method: http.MethodGet,
			headers: repeatedAndFolded, status: 200},
		{name: "repeated header, another value than signed", keyID: KeyID, key: key, method: http.MethodGet,
			headers:       strings.Replace(repeatedAndFolded, "x-tenant: b", "x-tenant: c", 1),
			signedHeaders: repeatedAndFolded, status: 401, code: "invalid_signature"},
		{name: "folded header, signed with the fold's spaces", keyID: KeyID, key: key, method: http.MethodGet,
			headers:       repeatedAndFolded,
			signedHeaders: strings.Replace(repeatedAndFolded, "1\r\n  2\r\n\t 3", "1  2  3", 1), status: 401, code: "invalid_signature"},
		// A request-scoped value (the pooled Result, its credentials) must
		// not outlive its request: the next request on the connection, let
		// through unverified, sees none.
		{name: "skipped after a verified request on one connection", keyID: KeyID, key: key, body: "hello",
			setup: Setup{Skip: func(m, _ string) bool { return m == http.MethodOptions }}, status: 200,
			next: &testCase{method: http.MethodOptions, status: 200, code: "skipped"}},
		{name: "skipped", method: http.MethodOptions, setup: Setup{Skip: func(m, _ string) bool { return m == http.MethodOptions }},
			status: 200, code: "skipped"},
		{name: "skipper lets others through to verification", setup: Setup{Skip: func(m, _ string) bool { return m == http.MethodOptions }},
			status: 401, code: "missing_signature"},
		{name: "custom error handler", setup: Setup{CustomErrors: true}, status: CustomErrorStatus, code: "missing_signature"},
		{name: "error handler answering nothing", setup: Setup{SilentErrors: true}, status: 401, code: "missing_signature"},
		// The verifier reads the request-target as received, never a path
		// the framework decoded or normalised: dot segments, an empty
		// segment, escapes (an escaped "/", a lower-case one, an invalid
		// one) and a ";" stay as sent; without the escaped "/" for
		// SASigning, which refuses it.
		{name: "raw request-target", keyID: KeyID, key: key, method: http.MethodGet, target: "/a/./b/../c//d%2Fe?x=%2F&y=%zz;z", status: 200},
		{name: "raw request-target, no escaped slash", keyID: KeyID, key: key, method: http.MethodGet, target: "/a/./b/../c//d%7ee?x=%2F&y=%zz;z", status: 200},
		{name: "raw request-target, //", keyID: KeyID, key: key, method: http.MethodGet, target: "//x", status: 200},
		{name: "raw request-target, %7e", keyID: KeyID, key: key, method: http.MethodGet, target: "/%7euser/", status: 200},
		// A server must answer 400 to a request with more than one Host
		// (RFC 9112 §3.2), whatever it was signed for: which one the
		// verifier reads (fasthttp keeps the last) and which one a proxy
		// or the app reads may differ. net/http answers it itself, before
		// any middleware; fiber's adapter, as malformed_signature. (Every
		// other case sends one Host; "repeated and folded headers" signs
		// it, sent as written.)
		{name: "Host twice, the signed one last", keyID: KeyID, key: key, method: http.MethodGet,
			hostBefore: "evil.example", status: 400, code: "malformed_signature", byFramework: true},
		{name: "Host twice, the signed one first", keyID: KeyID, key: key, method: http.MethodGet,
			hostAfter: "evil.example", status: 400, code: "malformed_signature", byFramework: true},
	}
	return slices.DeleteFunc(all, func(c testCase) bool {
		if c.headers != "" && f.headerSigner == nil {
			return true // a scheme that signs no header
		}
		switch c.name {
		case "body over the limit", "body over the limit, chunked":
			return f.signedURL // a signed URL never reads the body
		case "raw request-target":
			return f.strictEscapes || f.decodedPath
		case "raw request-target, no escaped slash":
			return f.strictEscapes
		case "tampered path", "tampered query":
			return f.pathUnsigned // Signway signs its own parameters, not the gateway's path or other parameters
		}
		return false
	})
}

// Run runs the suite against h: every case of every scheme, over HTTP on
// 127.0.0.1, and h.New without a Verifier. An adapter calls it from its
// tests:
//
//	func TestSuite(t *testing.T) { signettest.Run(t, harness{}) }
func Run(t *testing.T, h Harness) {
	keys, err := signet.NewStaticKeys(signet.Secret{ID: KeyID, Key: signet.NewHMACKey(secret), Credentials: credentials})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fixtures {
		t.Run(f.name, func(t *testing.T) {
			for _, c := range cases(f) {
				t.Run(c.name, func(t *testing.T) { runCase(t, h, f, keys, c) })
			}
		})
	}
	t.Run("a Verifier returning neither a Result nor an error", func(t *testing.T) {
		resp, err := http.Post(h.Serve(t, noResult{}, Setup{})+"/orders/42", "text/plain", nil)
		if err != nil {
			t.Fatal(err)
		}
		checkAnswer(t, resp, fixture{name: "custom"}, testCase{status: http.StatusServiceUnavailable, code: "verification_unavailable"})
	})
	t.Run("New without a Verifier", func(t *testing.T) {
		for _, c := range []struct {
			v    signet.Verifier
			want string
		}{{nil, "no Verifier"}, {(*signet.SASigning)(nil), "nil *signet.SASigning"}} {
			switch got, ok := panicked(func() { h.New(c.v) }); {
			case !ok:
				t.Errorf("New(%#v) returned: the mistake would show only on the first request", c.v)
			case !strings.Contains(got, c.want):
				t.Errorf("New(%#v) panicked with %q, want a message naming the mistake, %q", c.v, got, c.want)
			}
		}
	})
}

// panicked runs f and reports whether it panicked, and with what, as text.
func panicked(f func()) (msg string, ok bool) {
	defer func() {
		if p := recover(); p != nil {
			msg, ok = fmt.Sprint(p), true
		}
	}()
	f()
	return "", false
}

// noResult is a Verifier outside package signet that returns neither a
// Result nor an error: an adapter answers 503, never runs the handler.
type noResult struct{}

func (noResult) Verify(context.Context, signet.Request) (*signet.Result, error) { return nil, nil }

func runCase(t *testing.T, h Harness, f fixture, keys signet.KeyStore, c testCase) {
	now := c.now
	if now.IsZero() {
		now = signedAt.Add(time.Second)
	}
	v, err := f.verifier(keys, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	if _, own := h.(OwnServer); own {
		c.byFramework = false // its middleware answers: check the answer in full
	}
	if _, nilHandled := h.(NilIsHandled); nilHandled && c.setup.SilentErrors {
		c.status = 200 // the framework's empty answer, checked by checkAnswer
	}
	base := h.Serve(t, v, c.setup)
	if c.raw() {
		runRaw(t, base, f, c)
		return
	}
	r := newRequest(t, base, f, c)
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	checkAnswer(t, resp, f, c)
}

// runRaw sends c, and the requests after it, on one connection to base, as
// writeRequest writes them, each once the previous one is answered.
func runRaw(t *testing.T, base string, f fixture, c testCase) {
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	answers := bufio.NewReader(conn)
	for i, cur := 0, &c; cur != nil; i, cur = i+1, cur.next {
		r := newRequest(t, base, f, *cur)
		if _, err := conn.Write(writeRequest(t, r, *cur)); err != nil {
			t.Fatalf("request %d on the connection: %v", i+1, err)
		}
		resp, err := http.ReadResponse(answers, r)
		if err != nil {
			t.Fatalf("answer %d on the connection: %v", i+1, err)
		}
		checkAnswer(t, resp, f, *cur)
	}
}

// newRequest builds c's request to base, signed when c says so.
func newRequest(t *testing.T, base string, f fixture, c testCase) *http.Request {
	method := c.method
	if method == "" {
		method = http.MethodPost
	}
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	target := c.target
	if target == "" {
		target = "/orders/42?page=1"
	}
	r, err := http.NewRequest(method, base+target, body)
	if err != nil {
		t.Fatal(err)
	}
	if r.URL.RequestURI() != target {
		t.Fatalf("the request-target %q would be sent as %q", target, r.URL.RequestURI())
	}
	var signedHeaders []string
	if c.otherHost() {
		signedHeaders = []string{} // the headerSigner's: over the host
	}
	if c.headers != "" {
		signed := c.signedHeaders
		if signed == "" {
			signed = c.headers
		}
		header := readHeader(t, signed)
		for name, values := range header {
			r.Header[name] = values
			signedHeaders = append(signedHeaders, strings.ToLower(name))
		}
		slices.Sort(signedHeaders)
	}
	if c.keyID != "" {
		var signer signet.Signer
		if signedHeaders != nil && f.headerSigner != nil {
			signer, err = f.headerSigner(c.keyID, c.key, signedHeaders)
		} else {
			signer, err = f.signer(c.keyID, c.key, base)
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := signer.Sign(r); err != nil {
			t.Fatal(err)
		}
	}
	if c.tamper != nil {
		c.tamper(r)
	}
	return r
}

// readHeader reads header lines as net/http reads those of a request.
func readHeader(t *testing.T, lines string) http.Header {
	header, err := textproto.NewReader(bufio.NewReader(strings.NewReader(lines + "\r\n"))).ReadMIMEHeader()
	if err != nil {
		t.Fatalf("header lines %q: %v", lines, err)
	}
	return http.Header(header)
}

// writeRequest writes r as HTTP/1.1: its request line, Host (between
// c.hostBefore's and c.hostAfter's, if set), its headers but those c sends
// as written, then c.headers as written, and c.body with its Content-Length
// or chunked.
func writeRequest(t *testing.T, r *http.Request, c testCase) []byte {
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\n", r.Method, r.URL.RequestURI())
	for _, h := range []string{c.hostBefore, host, c.hostAfter} {
		if h != "" {
			fmt.Fprintf(&b, "Host: %s\r\n", h)
		}
	}
	asWritten := readHeader(t, c.headers)
	for _, name := range slices.Sorted(maps.Keys(r.Header)) {
		if asWritten[name] == nil {
			for _, v := range r.Header[name] {
				fmt.Fprintf(&b, "%s: %s\r\n", name, v)
			}
		}
	}
	b.WriteString(c.headers)
	switch {
	case c.chunked:
		b.WriteString("Transfer-Encoding: chunked\r\n\r\n")
		if c.body != "" {
			fmt.Fprintf(&b, "%x\r\n%s\r\n", len(c.body), c.body)
		}
		b.WriteString("0\r\n\r\n")
	case c.body != "":
		fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n%s", len(c.body), c.body)
	default:
		b.WriteString("\r\n")
	}
	return b.Bytes()
}

// checkAnswer checks the answer to c, and reads and closes its body.
func checkAnswer(t *testing.T, resp *http.Response, f fixture, c testCase) {
	t.Helper()
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != c.status {
		t.Fatalf("status %d, want %d; body %s", resp.StatusCode, c.status, got)
	}
	switch {
	case c.byFramework:
	case c.setup.SilentErrors && c.status == 200:
		if len(got) != 0 {
			t.Fatalf("an error handler answering nothing left the answer %q, want an empty one: the protected handler ran?", got)
		}
	case c.status == 200:
		checkEcho(t, got, c)
	case c.setup.CustomErrors:
		if want := "custom:" + c.code; string(got) != want {
			t.Fatalf("custom error handler answered %q, want %q", got, want)
		}
	default:
		checkError(t, resp, got, f, c.code)
	}
}

func checkEcho(t *testing.T, got []byte, c testCase) {
	var e Echo
	if err := json.Unmarshal(got, &e); err != nil {
		t.Fatalf("the handler's answer %q is not an Echo: %v", got, err)
	}
	want := Echo{Verified: true, KeyID: KeyID, Credentials: credentials, Body: c.body}
	if c.code == "skipped" {
		want = Echo{}
	}
	if e != want {
		t.Fatalf("the handler saw %+v, want %+v", e, want)
	}
}

func checkError(t *testing.T, resp *http.Response, got []byte, f fixture, code string) {
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type %q, want application/json", ct)
	}
	if nosniff := resp.Header.Get("X-Content-Type-Options"); nosniff != "nosniff" {
		t.Fatalf("X-Content-Type-Options %q, want nosniff", nosniff)
	}
	var e struct{ Error, Message string }
	if err := json.Unmarshal(got, &e); err != nil || e.Error != code || e.Message == "" {
		t.Fatalf("error body %s, want code %q and a message", got, code)
	}
	challenge := resp.Header.Get("WWW-Authenticate")
	if wantChallenge := f.name == "cavage" && resp.StatusCode == 401; wantChallenge != (challenge != "") {
		t.Fatalf("WWW-Authenticate %q on a %d %s answer", challenge, resp.StatusCode, f.name)
	}
}
