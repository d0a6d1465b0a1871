// Command echo protects an echo server with SASigning (the scheme of the
// Django package drf-simple-api-signing, here with signet's extension
// fields, which a Django peer cannot produce) and calls it with a signing
// client.
//
//	go run ./examples/echo
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"

	"github.com/labstack/echo/v4"

	signet "github.com/signet-go/signet/core"
	signetecho "github.com/signet-go/signet/echo"
	signethttp "github.com/signet-go/signet/nethttp"
)

type partner struct{ Name string }

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "echo example:", err)
		os.Exit(1)
	}
}

func run(out io.Writer) error {
	key := signet.NewHMACKey([]byte("a secret shared with the partner"))
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "partner", Key: key, Credentials: partner{"ACME"}})
	if err != nil {
		return err
	}
	// Sign the method, the path, the query, the body and a timestamp, so
	// signatures expire.
	fields := signet.SASigningFields("method", "path", "query", "body", "timestamp")
	verifier, err := signet.NewSASigning(keys, fields, signet.SASigningDelimiter("\n"))
	if err != nil {
		return err
	}

	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Use(signetecho.New(verifier))
	e.POST("/orders", func(c echo.Context) error {
		who, _ := signetecho.Credentials[partner](c)
		var order struct{ Item string }
		if err := c.Bind(&order); err != nil {
			return err
		}
		return c.String(http.StatusCreated, who.Name+" ordered "+order.Item)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: e}
	go srv.Serve(ln)
	defer srv.Close()

	signer, err := signet.NewSASigningSigner(key, fields, signet.SASigningDelimiter("\n"))
	if err != nil {
		return err
	}
	client := &http.Client{Transport: &signethttp.Transport{Signer: signer}}
	url := "http://" + ln.Addr().String() + "/orders"
	signed, err := send(out, "signed:  ", client, url)
	if err != nil {
		return err
	}
	unsigned, err := send(out, "unsigned:", http.DefaultClient, url)
	if err != nil {
		return err
	}
	if signed != http.StatusCreated || unsigned != http.StatusUnauthorized {
		return fmt.Errorf("got %d and %d, want 201 and 401", signed, unsigned)
	}
	return nil
}

func send(out io.Writer, label string, client *http.Client, url string) (int, error) {
	resp, err := client.Post(url, "application/json", strings.NewReader(`{"item":"anvil"}`))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	fmt.Fprintf(out, "%s %s %s\n", label, resp.Status, strings.TrimSpace(string(body)))
	return resp.StatusCode, err
}
