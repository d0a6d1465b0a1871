package signethttp_test

import (
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
	verifier, _ := signet.NewSASigning(keys)

	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		caller, _ := signethttp.Credentials[string](r)
		fmt.Fprintf(w, "hello, %s", caller)
	})
	srv := httptest.NewServer(signethttp.New(verifier)(hello))
	defer srv.Close()

	signer, _ := signet.NewSASigningSigner(key)
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
