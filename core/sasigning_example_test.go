package signet_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	signet "github.com/signet-go/signet/core"
)

// A verifier is built once, from a key store and options, and then verifies
// any number of requests concurrently.
func ExampleNewSASigning() {
	keys, _ := signet.NewStaticKeys(signet.Secret{
		ID:          "billing",
		Key:         signet.NewHMACKey([]byte("secret-key")),
		Credentials: "the billing service",
	})
	verifier, err := signet.NewSASigning(keys, signet.SASigningDelimiter("$"))
	if err != nil {
		panic(err)
	}

	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Signature", "k7NyXcBOEdj5OJ+ERMBBLap7FWY9Jjo2P2rmh7RKeMs=")
	res, err := verifier.Verify(context.Background(), signet.FromHTTP(r))
	fmt.Println(res.KeyID, res.Credentials, err)

	for _, wrong := range []string{
		"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", // an HMAC-SHA256, not this request's
		"not a signature",
	} {
		r.Header.Set("Signature", wrong)
		_, err = verifier.Verify(context.Background(), signet.FromHTTP(r))
		e := signet.AsError(err)
		fmt.Println(e.Status(), e.Code())
	}
	// Output:
	// billing the billing service <nil>
	// 401 invalid_signature
	// 400 malformed_signature
}

// A signer sets the Signature header on an outgoing request. Use it through
// signethttp.Transport, which signs a clone of each request.
func ExampleSASigningSigner() {
	signer, err := signet.NewSASigningSigner(signet.NewHMACKey([]byte("secret-key")),
		signet.SASigningDelimiter("$"))
	if err != nil {
		panic(err)
	}
	r, _ := http.NewRequest("GET", "https://api.example.com/", nil)
	if err := signer.Sign(r); err != nil {
		panic(err)
	}
	fmt.Println(r.Header.Get("Signature"))
	// Output: k7NyXcBOEdj5OJ+ERMBBLap7FWY9Jjo2P2rmh7RKeMs=
}

// The timestamp extension makes signatures expire: the signer stamps the
// request, the verifier accepts it within the window (add WithNonceStore to
// accept it only once).
func ExampleSASigningTimestamp() {
	signedAt := time.Unix(1_700_000_000, 0)
	opts := []signet.SASigningOption{
		signet.SASigningFields("method", "path", "query", "timestamp"),
		signet.SASigningDelimiter("\n"),
		signet.SASigningTimestamp("X-Signature-Timestamp", time.Minute),
	}
	key := signet.NewHMACKey([]byte("k"))
	signer, _ := signet.NewSASigningSigner(key, append(opts, signet.WithClock(func() time.Time { return signedAt }))...)
	out, _ := http.NewRequest("GET", "https://api.example.com/report?day=1", nil)
	_ = signer.Sign(out)
	fmt.Println(out.Header.Get("X-Signature-Timestamp"))

	keys, _ := signet.NewStaticKeys(signet.Secret{ID: "reports", Key: key})
	for _, later := range []time.Duration{30 * time.Second, 2 * time.Minute} {
		verifier, _ := signet.NewSASigning(keys, append(opts, signet.WithClock(func() time.Time { return signedAt.Add(later) }))...)
		in := httptest.NewRequest("GET", "/report?day=1", nil)
		in.Header = out.Header
		_, err := verifier.Verify(context.Background(), signet.FromHTTP(in))
		fmt.Println(later, err)
	}
	// Output:
	// 1700000000
	// 30s <nil>
	// 2m0s the signature is older than the 1m0s this server accepts
}
