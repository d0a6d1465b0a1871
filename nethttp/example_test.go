package signethttp_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	signet "github.com/signet-go/signet/core"
	signethttp "github.com/signet-go/signet/nethttp"
)

// Protect a handler, then call it with a client whose Transport signs.
func Example() {
	key := signet.NewHMACKey([]byte("shared-secret"))
	keys, _ := signet.NewStaticKeys(signet.Secret{ID: "reports", Key: key, Credentials: "reporting job"})
	// What a signature covers, the same on both sides: a timestamp bounds
	// how long a captured request stays valid, "\n" keeps fields apart.
	covers := []signet.SASigningOption{
		signet.SASigningFields("method", "path", "query", "body", "timestamp"),
		signet.SASigningDelimiter("\n"),
	}
	verifier, _ := signet.NewSASigning(keys, covers...)

	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		caller, _ := signethttp.Credentials[string](r)
		fmt.Fprintf(w, "hello, %s", caller)
	})
	srv := httptest.NewServer(signethttp.New(verifier)(hello))
	defer srv.Close()

	signer, _ := signet.NewSASigningSigner(key, covers...)
	client := &http.Client{Transport: &signethttp.Transport{Signer: signer}}
	for _, c := range []*http.Client{client, http.DefaultClient} {
		resp, err := c.Get(srv.URL + "/reports")
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, string(body))
	}
	// Output:
	// 200 hello, reporting job
	// 401 {"error":"missing_signature","message":"send the signature in the Signature header"}
}

// Transport signs every request a client sends.
func ExampleTransport() {
	signer, _ := signet.NewSASigningSigner(signet.NewHMACKey([]byte("secret-key")), signet.SASigningDelimiter("$"))
	client := &http.Client{Transport: &signethttp.Transport{Signer: signer}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println(r.Header.Get("Signature"))
	}))
	defer srv.Close()
	resp, _ := client.Get(srv.URL + "/")
	resp.Body.Close()
	// Output: k7NyXcBOEdj5OJ+ERMBBLap7FWY9Jjo2P2rmh7RKeMs=
}

// A custom error handler answers in the application's own envelope. It
// keeps the WWW-Authenticate challenge (Cavage 401s) and nosniff with
// err.SetHeaders, and reads the machine-readable code and the status.
func ExampleWithErrorHandler() {
	keys, _ := signet.NewStaticKeys(signet.Secret{ID: "client-1", Key: signet.NewHMACKey([]byte("shared-secret")), Algorithm: "hmac-sha256"})
	verifier, _ := signet.NewCavage(keys,
		signet.CavageRequiredHeaders("(request-target)", "host", "date"),
		signet.CavageDigest(signet.DigestRequire))

	handler := signethttp.New(verifier, signethttp.WithErrorHandler(
		func(w http.ResponseWriter, r *http.Request, err *signet.Error) {
			err.SetHeaders(w.Header().Set) // WWW-Authenticate (Cavage 401s) and nosniff
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(err.Status())
			json.NewEncoder(w).Encode(map[string]any{"ok": false, "code": err.Code()})
		}))(http.NotFoundHandler())

	for _, signature := range []string{"", `keyId="client-1"`} {
		r := httptest.NewRequest("GET", "/orders", nil)
		if signature != "" {
			r.Header.Set("Signature", signature)
		}
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, r)
		fmt.Printf("%d %q %s %s", w.Code, w.Header().Get("WWW-Authenticate"),
			w.Header().Get("X-Content-Type-Options"), w.Body)
	}
	// Output:
	// 401 "Signature realm=\"signet\",headers=\"(request-target) host date\"" nosniff {"code":"missing_signature","ok":false}
	// 400 "" nosniff {"code":"malformed_signature","ok":false}
}

// A handler's test can give it a verified caller without signing requests.
func ExampleSetResult() {
	type client struct{ Name string }
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		who, ok := signethttp.Credentials[client](r)
		if !ok {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		fmt.Fprint(w, "hello, "+who.Name)
	})

	r := signethttp.SetResult(httptest.NewRequest("GET", "/reports", nil),
		signet.Result{KeyID: "k", Credentials: client{"reporting job"}})
	w := httptest.NewRecorder()
	handler.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Body)
	// Output:
	// 200 hello, reporting job
}
