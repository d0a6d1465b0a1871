// Command gin protects a gin router with Cavage HTTP Signatures and calls it
// with a signing client.
//
//	go run ./examples/gin
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"

	"github.com/gin-gonic/gin"

	signet "github.com/signet-go/signet/core"
	signetgin "github.com/signet-go/signet/gin"
	signethttp "github.com/signet-go/signet/nethttp"
)

type partner struct{ Name string }

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gin example:", err)
		os.Exit(1)
	}
}

func run(out io.Writer) error {
	key := signet.NewHMACKey([]byte("a secret shared with partner-7"))
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "partner-7", Key: key, Credentials: partner{"ACME"}})
	if err != nil {
		return err
	}
	// Every request must sign its target, Host, Date and its body's Digest.
	verifier, err := signet.NewCavage(keys, signet.CavageRequiredHeaders("(request-target)", "host", "date"),
		signet.CavageDigest(signet.DigestRequire))
	if err != nil {
		return err
	}

	gin.SetMode(gin.ReleaseMode)
	router := gin.New()
	router.Use(signetgin.New(verifier))
	router.POST("/orders", func(c *gin.Context) {
		who, _ := signetgin.Credentials[partner](c)
		var order struct{ Item string }
		if err := c.ShouldBindJSON(&order); err != nil {
			c.AbortWithStatus(http.StatusBadRequest)
			return
		}
		c.String(http.StatusCreated, "%s ordered %s\n", who.Name, order.Item)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: router}
	go srv.Serve(ln)
	defer srv.Close()

	signer, err := signet.NewCavageSigner("partner-7", key)
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
