// Command quickstart shows signet end to end: a net/http server that only
// answers signed requests, a client that signs them, and a man in the middle
// who gets caught.
//
//	go run ./examples/quickstart
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"

	signet "github.com/signet-go/signet/core"
	signethttp "github.com/signet-go/signet/nethttp"
)

// client is what the server knows about a caller: the credentials of a key.
type client struct{ Name string }

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run starts the server, sends a signed and a tampered request, and fails
// unless the first got 200 and the second 401.
func run(out io.Writer) error {
	// 1. The secret the server and client-1 share, and who client-1 is.
	secret := signet.NewHMACKey([]byte("a long random secret shared with client-1"))
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "client-1", Key: secret, Credentials: client{Name: "Ada"}})
	if err != nil {
		return err
	}

	// 2. What a signature covers. The verifier and the signer must agree:
	// here the method, the path and (signet extensions) the query, the body
	// and the signing time, which bounds how long a captured request stays
	// valid; a delimiter keeps one value from running into the next.
	opts := []signet.SASigningOption{
		signet.SASigningFields(signet.FieldMethod, signet.FieldPath, signet.FieldQuery, signet.FieldBody, signet.FieldTimestamp),
		signet.SASigningDelimiter("\n"),
	}
	verifier, err := signet.NewSASigning(keys, opts...)
	if err != nil {
		return err
	}

	// 3. The server: signethttp.New lets only verified requests through and
	// hands the caller's credentials to the handler. The body is still there
	// to read.
	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		who, _ := signethttp.Credentials[client](r)
		body, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "hello %s, you sent %q\n", who.Name, body)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: signethttp.New(verifier)(hello)}
	go srv.Serve(ln)
	defer srv.Close()
	url := "http://" + ln.Addr().String() + "/transfer"

	// 4. The client: signethttp.Transport signs every request it sends.
	signer, err := signet.NewSASigningSigner(secret, opts...)
	if err != nil {
		return err
	}
	honest := &http.Client{Transport: &signethttp.Transport{Signer: signer}}
	// A man in the middle changes the body after it was signed.
	tampered := &http.Client{Transport: &signethttp.Transport{Signer: signer, Base: rewriteBody("amount=1000")}}

	// 5. Send the same request both ways.
	ok, err := post(out, "signed:  ", honest, url)
	if err != nil {
		return err
	}
	rejected, err := post(out, "tampered:", tampered, url)
	if err != nil {
		return err
	}
	if ok != http.StatusOK || rejected != http.StatusUnauthorized {
		return fmt.Errorf("got %d and %d, want 200 and 401", ok, rejected)
	}
	return nil
}

// post sends a transfer with client, prints the answer after label and
// returns its status.
func post(out io.Writer, label string, client *http.Client, url string) (int, error) {
	resp, err := client.Post(url, "text/plain", strings.NewReader("amount=10"))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	fmt.Fprintf(out, "%s %s %s", label, resp.Status, body)
	return resp.StatusCode, err
}

// rewriteBody is a RoundTripper that replaces the body of the (already
// signed) request it sends.
type rewriteBody string

// RoundTrip sends a copy of r with the new body.
func (b rewriteBody) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Body, r.ContentLength, r.GetBody = io.NopCloser(strings.NewReader(string(b))), int64(len(b)), nil
	return http.DefaultTransport.RoundTrip(r)
}
