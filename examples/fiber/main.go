// Command fiber protects a fiber app with signet: a signed request gets
// through with the caller's credentials and its body, a tampered one is
// rejected.
//
//	go run ./examples/fiber
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"

	"github.com/gofiber/fiber/v2"

	signet "github.com/signet-go/signet/core"
	signetfiber "github.com/signet-go/signet/fiber"
	signethttp "github.com/signet-go/signet/nethttp"
)

// client is what the server knows about a caller: the credentials of a key.
type client struct{ Name string }

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "fiber:", err)
		os.Exit(1)
	}
}

// run serves a protected fiber app on 127.0.0.1, sends it a signed and a
// tampered request, and fails unless the first got 200 and the second was
// refused.
func run(out io.Writer) error {
	// The verifier: client-1's key, and what its signatures must cover: the
	// method and path, Host and Date, and the body's Digest (the signer's
	// defaults).
	secret := signet.NewHMACKey([]byte("a long random secret shared with client-1"))
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "client-1", Key: secret, Credentials: client{Name: "Ada"}})
	if err != nil {
		return err
	}
	verifier, err := signet.NewCavage(keys,
		signet.CavageRequiredHeaders("(request-target)", "host", "date"),
		signet.CavageDigest(signet.DigestRequire))
	if err != nil {
		return err
	}

	// The app: signetfiber.New in front of the routes it protects.
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(signetfiber.New(verifier))
	app.Post("/transfers", func(c *fiber.Ctx) error {
		who, _ := signetfiber.Credentials[client](c)
		return c.SendString(fmt.Sprintf("hello %s, you sent %q\n", who.Name, c.BodyRaw()))
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go app.Listener(ln)
	defer app.Shutdown()
	url := "http://" + ln.Addr().String() + "/transfers"

	// The client signs every request it sends.
	signer, err := signet.NewCavageSigner("client-1", secret)
	if err != nil {
		return err
	}
	honest := &http.Client{Transport: &signethttp.Transport{Signer: signer}}
	// A man in the middle changes the body after it was signed.
	tampered := &http.Client{Transport: &signethttp.Transport{Signer: signer, Base: rewriteBody("amount=1000")}}

	ok, err := post(out, "signed:  ", honest, url)
	if err != nil {
		return err
	}
	rejected, err := post(out, "tampered:", tampered, url)
	if err != nil {
		return err
	}
	if ok != http.StatusOK || rejected != http.StatusBadRequest { // the body no longer matches its Digest
		return fmt.Errorf("got %d and %d, want 200 and 400", ok, rejected)
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
	if !strings.HasSuffix(string(body), "\n") {
		fmt.Fprintln(out)
	}
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
