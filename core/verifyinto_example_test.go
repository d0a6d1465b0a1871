package signet_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"sync"

	signet "github.com/signet-go/signet/core"
)

// A caller that reuses its Results (an adapter pooling one per request)
// verifies into them without allocating. The pooled Result is valid until
// it is reused; a copy of it stays valid.
func ExampleIntoVerifier() {
	keys, _ := signet.NewStaticKeys(signet.Secret{
		ID:          "billing",
		Key:         signet.NewHMACKey([]byte("secret-key")),
		Credentials: "the billing service",
	})
	verifier, _ := signet.NewSASigning(keys, signet.SASigningDelimiter("$"))
	results := sync.Pool{New: func() any { return new(signet.Result) }}

	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("Signature", "k7NyXcBOEdj5OJ+ERMBBLap7FWY9Jjo2P2rmh7RKeMs=")
	res := results.Get().(*signet.Result)
	err := verifier.VerifyInto(context.Background(), signet.FromHTTP(r), res)
	fmt.Println(res.KeyID, res.Credentials, err)
	kept := *res // outlives the pooled Result

	*res = signet.Result{} // drop the credentials before pooling
	results.Put(res)
	fmt.Println(kept.KeyID)
	// Output:
	// billing the billing service <nil>
	// billing
}
