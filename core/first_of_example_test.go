package signet_test

import (
	"context"
	"fmt"
	"net/http"
	"time"

	signet "github.com/signet-go/signet/core"
)

// One route takes requests its partners sign with Cavage and download links
// its pages hand out: each request is verified by the scheme it carries.
func ExampleNewFirstOf() {
	key := signet.NewHMACKey([]byte("a long random secret shared with partners"))
	keys, _ := signet.NewStaticKeys(signet.Secret{ID: "partner-1", Key: key, Credentials: "partner one"})
	cavage, _ := signet.NewCavage(keys, signet.CavageRequiredHeaders("(request-target)", "host", "date"))
	links, _ := signet.NewSignedURL(keys)
	verifier, err := signet.NewFirstOf(cavage, links)
	if err != nil {
		panic(err)
	}

	signer, _ := signet.NewCavageSigner("partner-1", key)
	signed, _ := http.NewRequest("GET", "http://files.example/reports/q3.pdf", nil)
	signer.Sign(signed)
	linkSigner, _ := signet.NewSignedURLSigner("partner-1", key)
	link, _ := linkSigner.SignURL("GET", "http://files.example/reports/q3.pdf", 5*time.Minute)
	fromLink, _ := http.NewRequest("GET", link, nil)
	unsigned, _ := http.NewRequest("GET", "http://files.example/reports/q3.pdf", nil)

	for _, r := range []*http.Request{signed, fromLink, unsigned} {
		r.RequestURI = r.URL.RequestURI() // as a server receives it
		res, err := verifier.Verify(context.Background(), signet.FromHTTP(r))
		if err != nil {
			fmt.Println(signet.AsError(err).Code())
			continue
		}
		fmt.Println(res.Scheme, res.Credentials)
	}
	// Output:
	// cavage partner one
	// signedurl partner one
	// missing_signature
}
