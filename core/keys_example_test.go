package signet_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	signet "github.com/signet-go/signet/core"
)

// A KeyFunc is the key lookup of a service that keeps its clients
// elsewhere (a database, say): it returns the key of a key id, and the
// credentials a handler will see. An unknown id is ErrUnknownKey; an
// *Error is answered as it is; any other error is a 503 whose text stays
// on the server, as the Error's Cause.
func ExampleKeyFunc() {
	type client struct{ Name, Plan string }
	db := map[string]client{"client-1": {"billing", "gold"}, "client-2": {"reports", "revoked"}}
	secrets := map[string]*signet.Key{"client-1": signet.NewHMACKey([]byte("secret-1"))}

	keys := signet.KeyFunc(func(ctx context.Context, keyID string) ([]signet.Secret, error) {
		switch c, ok := db[keyID]; {
		case keyID == "client-3":
			return nil, errors.New("db: connection refused") // never shown to the client
		case !ok:
			return nil, signet.ErrUnknownKey
		case c.Plan == "revoked":
			return nil, signet.NewError(signet.ErrUnknownKey, "this key was revoked: ask for a new one")
		default:
			return []signet.Secret{{ID: keyID, Key: secrets[keyID], Credentials: c}}, nil
		}
	})
	now := signet.WithClock(func() time.Time { return time.Unix(1_704_067_200, 0) })
	verifier, err := signet.NewCavage(keys, now)
	if err != nil {
		panic(err)
	}

	for _, id := range []string{"client-1", "client-2", "client-3", "client-4"} {
		signer, _ := signet.NewCavageSigner(id, signet.NewHMACKey([]byte("secret-1")), now)
		out, _ := http.NewRequest("GET", "http://example.com/invoices", nil)
		_ = signer.Sign(out)
		r := httptest.NewRequest("GET", "/invoices", nil)
		r.Header = out.Header

		res, err := verifier.Verify(context.Background(), signet.FromHTTP(r))
		if e := signet.AsError(err); e != nil {
			fmt.Println(id, e.Status(), e.Code(), e.Error())
			if e.Cause() != nil { // for the server's logs only
				fmt.Println("  cause:", e.Cause())
			}
			continue
		}
		fmt.Printf("%s %+v\n", id, res.Credentials)
	}
	// Output:
	// client-1 {Name:billing Plan:gold}
	// client-2 401 unknown_key this key was revoked: ask for a new one
	// client-3 503 verification_unavailable the key could not be looked up; try again later
	//   cause: db: connection refused
	// client-4 401 unknown_key the key id is not known to this server
}
