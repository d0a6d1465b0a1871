// Command fasthttp protects a plain fasthttp server with signet's native
// signed URLs: a download link the server signed gets through with the
// credentials of its key, the same link pointing at another file is refused.
//
//	go run ./examples/fasthttp
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/valyala/fasthttp"

	signet "github.com/signet-go/signet/core"
	signetfasthttp "github.com/signet-go/signet/fasthttp"
)

// owner is what the server knows about a key: whose files it opens.
type owner struct{ Name string }

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "fasthttp:", err)
		os.Exit(1)
	}
}

// run serves a protected fasthttp handler on 127.0.0.1, fetches a signed
// link and the same link edited to another file, and fails unless the first
// got 200 and the second 401.
func run(out io.Writer) error {
	// The key that signs the links, under the id "links-2026" (a new id
	// per rotation), and whose files its links open.
	secret := signet.NewHMACKey([]byte("a long random secret only the server knows"))
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "links-2026", Key: secret, Credentials: owner{Name: "Ada"}})
	if err != nil {
		return err
	}
	verifier, err := signet.NewSignedURL(keys, signet.WithMaxAge(time.Hour))
	if err != nil {
		return err
	}

	// The server: signetfasthttp.New wraps the handler, as fasthttp's own
	// wrappers do; WithServer tells it how the server reads requests.
	server := &fasthttp.Server{}
	server.Handler = signetfasthttp.New(verifier, signetfasthttp.WithServer(server))(func(rc *fasthttp.RequestCtx) {
		who, _ := signetfasthttp.Credentials[owner](rc)
		fmt.Fprintf(rc, "%s's %s\n", who.Name, rc.Path())
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go server.Serve(ln)
	defer server.Shutdown()

	// A link valid for five minutes, as a page would hand it out.
	signer, err := signet.NewSignedURLSigner("links-2026", secret)
	if err != nil {
		return err
	}
	link, err := signer.SignURL(http.MethodGet, "http://"+ln.Addr().String()+"/files/report.pdf", 5*time.Minute)
	if err != nil {
		return err
	}
	// Someone edits the link to open another file.
	edited := strings.Replace(link, "/report.pdf", "/payroll.pdf", 1)

	ok, err := get(out, "signed:", link)
	if err != nil {
		return err
	}
	rejected, err := get(out, "edited:", edited)
	if err != nil {
		return err
	}
	if ok != http.StatusOK || rejected != http.StatusUnauthorized {
		return fmt.Errorf("got %d and %d, want 200 and 401", ok, rejected)
	}
	return nil
}

// get fetches url, prints the answer after label and returns its status.
func get(out io.Writer, label, url string) (int, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	fmt.Fprintf(out, "%-8s %s %s", label, resp.Status, body)
	if !strings.HasSuffix(string(body), "\n") {
		fmt.Fprintln(out)
	}
	return resp.StatusCode, err
}
