package signetfasthttp_test

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"github.com/valyala/fasthttp"

	signet "github.com/signet-go/signet/core"
	signetfasthttp "github.com/signet-go/signet/fasthttp"
)

// Protect a fasthttp handler, then serve it a signed request and an
// unsigned one.
func Example() {
	key := signet.NewHMACKey([]byte("shared-secret"))
	keys, _ := signet.NewStaticKeys(signet.Secret{ID: "reports", Key: key, Credentials: "reporting job"})
	verifier, _ := signet.NewSASigning(keys)

	protect := signetfasthttp.New(verifier)
	handler := protect(func(rc *fasthttp.RequestCtx) {
		caller, _ := signetfasthttp.Credentials[string](rc)
		rc.SetBodyString("hello, " + caller)
	})

	signer, _ := signet.NewSASigningSigner(key)
	for _, sign := range []bool{true, false} {
		r, _ := http.NewRequest("GET", "http://api.example/reports", nil)
		if sign {
			signer.Sign(r)
		}
		rc := serveHTTP(handler, r)
		fmt.Println(rc.Response.StatusCode(), string(rc.Response.Body()))
	}
	// Output:
	// 200 hello, reporting job
	// 401 {"error":"missing_signature","message":"send the signature in the Signature header"}
}

// Skip verification for CORS preflights, answer rejections in your own
// format, and name the server, so that the multipart bodies it keeps as
// received can be verified.
func ExampleNew_options() {
	keys, _ := signet.NewStaticKeys(signet.Secret{ID: "k", Key: signet.NewHMACKey([]byte("secret"))})
	verifier, _ := signet.NewSASigning(keys)

	server := &fasthttp.Server{DisablePreParseMultipartForm: true}
	server.Handler = signetfasthttp.New(verifier,
		signetfasthttp.WithSkipper(func(rc *fasthttp.RequestCtx) bool { return rc.IsOptions() }),
		signetfasthttp.WithErrorHandler(func(rc *fasthttp.RequestCtx, err *signet.Error) {
			err.SetHeaders(rc.Response.Header.Set) // the challenge, where the scheme has one, and nosniff
			rc.SetStatusCode(err.Status())
			rc.SetBodyString("rejected: " + err.Code())
		}),
		signetfasthttp.WithServer(server),
	)(func(rc *fasthttp.RequestCtx) { rc.SetBodyString("through") })

	for _, method := range []string{"OPTIONS", "GET"} {
		r, _ := http.NewRequest(method, "http://api.example/", nil)
		rc := serveHTTP(server.Handler, r)
		fmt.Println(method, rc.Response.StatusCode(), string(rc.Response.Body()))
	}
	// Output:
	// OPTIONS 200 through
	// GET 401 rejected: missing_signature
}

// A handler's test can give it a verified caller without signing requests.
func ExampleSetResult() {
	type client struct{ Name string }
	handler := func(rc *fasthttp.RequestCtx) {
		who, ok := signetfasthttp.Credentials[client](rc)
		if !ok {
			rc.SetStatusCode(fasthttp.StatusUnauthorized)
			return
		}
		rc.SetBodyString("hello, " + who.Name)
	}

	var rc fasthttp.RequestCtx
	signetfasthttp.SetResult(&rc, signet.Result{KeyID: "k", Credentials: client{"reporting job"}})
	handler(&rc)
	fmt.Println(rc.Response.StatusCode(), string(rc.Response.Body()))
	// Output:
	// 200 hello, reporting job
}

// serveHTTP serves r, as written on the wire, to handler as fasthttp's
// server would, and returns the request context holding the answer.
func serveHTTP(handler fasthttp.RequestHandler, r *http.Request) *fasthttp.RequestCtx {
	var raw strings.Builder
	if err := r.Write(&raw); err != nil {
		panic(err)
	}
	var req fasthttp.Request
	if err := req.Read(bufio.NewReader(strings.NewReader(raw.String()))); err != nil {
		panic(err)
	}
	rc := new(fasthttp.RequestCtx)
	rc.Init(&req, nil, nil) // a usable context.Context, as a server's RequestCtx is
	handler(rc)
	return rc
}

// A client on fasthttp signs through an *http.Request, which signers take:
// the same method, URL and body (and any header the signature covers
// besides those the signer sets), signed, then its headers copied onto the
// fasthttp request. (A signed URL scheme needs only SignURL.)
func Example_signing() {
	key := signet.NewHMACKey([]byte("a long random secret shared with the server"))
	signer, _ := signet.NewCavageSigner("client-1", key)

	req := fasthttp.AcquireRequest()
	defer fasthttp.ReleaseRequest(req)
	req.Header.SetMethod("POST")
	req.SetRequestURI("http://api.example/transfers?from=a")
	req.SetBodyString(`{"amount":10}`)

	out, _ := http.NewRequest(string(req.Header.Method()), req.URI().String(), bytes.NewReader(req.Body()))
	if err := signer.Sign(out); err != nil {
		panic(err)
	}
	for name, values := range out.Header { // Date, Digest and Authorization
		for _, value := range values {
			req.Header.Add(name, value)
		}
	}

	// What the server makes of it.
	keys, _ := signet.NewStaticKeys(signet.Secret{ID: "client-1", Key: key, Credentials: "client one"})
	verifier, _ := signet.NewCavage(keys, signet.CavageRequiredHeaders("(request-target)", "host", "date"),
		signet.CavageDigest(signet.DigestRequire))
	handler := signetfasthttp.New(verifier)(func(rc *fasthttp.RequestCtx) {
		who, _ := signetfasthttp.Credentials[string](rc)
		rc.SetBodyString("hello, " + who)
	})
	var received fasthttp.Request
	if err := received.Read(bufio.NewReader(strings.NewReader(req.String()))); err != nil {
		panic(err)
	}
	rc := new(fasthttp.RequestCtx)
	rc.Init(&received, nil, nil) // a usable context.Context, as a server's RequestCtx is
	handler(rc)
	fmt.Println(rc.Response.StatusCode(), string(rc.Response.Body()))
	// Output:
	// 200 hello, client one
}
