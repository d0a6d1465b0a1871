package signet_test

import (
	"context"
	"fmt"
	"net/http"
	"time"

	signet "github.com/signet-go/signet/core"
)

// A Cavage verifier looks the keyId up in a KeyStore and chooses the
// algorithm from the key, never from the request alone.
func ExampleNewCavage() {
	now := func() time.Time { return time.Unix(1_704_067_205, 0) }
	keys, _ := signet.NewStaticKeys(signet.Secret{
		ID:          "client-1",
		Key:         signet.NewHMACKey([]byte("secret-1")),
		Credentials: "app1",
	})
	// What every signature must cover: the method and target, the host and
	// the date (the draft's default, date alone, could be replayed to any
	// route), and for a request with a body, a Digest of it.
	verifier, err := signet.NewCavage(keys, signet.WithClock(now),
		signet.CavageRequiredHeaders("(request-target)", "host", "date"),
		signet.CavageDigest(signet.DigestRequire))
	if err != nil {
		panic(err)
	}

	// A request signed by the npm http-signature library.
	r, _ := http.NewRequest("GET", "/protected", nil)
	r.RequestURI, r.Host = "/protected", "example.com"
	r.Header.Set("Date", "Mon, 01 Jan 2024 00:00:00 GMT")
	r.Header.Set("Authorization", `Signature keyId="client-1",algorithm="hmac-sha256",`+
		`headers="(request-target) host date",signature="cEcPJ/yMrjxd8QF5PdKDt1rQZhC5pc5Yiuei5a0Xdic="`)
	res, err := verifier.Verify(context.Background(), signet.FromHTTP(r))
	fmt.Println(res.KeyID, res.Credentials, res.Algorithm, err)

	r.Header.Set("Date", "Mon, 01 Jan 2024 00:00:01 GMT") // tampered
	_, err = verifier.Verify(context.Background(), signet.FromHTTP(r))
	e := signet.AsError(err)
	fmt.Println(e.Status(), e.Code(), e.Challenge())
	// Output:
	// client-1 app1 hmac-sha256 <nil>
	// 401 invalid_signature Signature realm="signet",headers="(request-target) host date"
}

// A Cavage signer sets Date, Digest (for a body) and Authorization on an
// outgoing request, in the form both npm peers accept.
func ExampleCavageSigner() {
	now := func() time.Time { return time.Unix(1_704_067_200, 0) }
	signer, err := signet.NewCavageSigner("client-1", signet.NewHMACKey([]byte("secret-1")), signet.WithClock(now))
	if err != nil {
		panic(err)
	}
	r, _ := http.NewRequest("GET", "http://example.com/protected", nil)
	if err := signer.Sign(r); err != nil {
		panic(err)
	}
	fmt.Println(r.Header.Get("Date"))
	fmt.Println(r.Header.Get("Authorization"))
	// Output:
	// Mon, 01 Jan 2024 00:00:00 GMT
	// Signature keyId="client-1",algorithm="hmac-sha256",headers="(request-target) host date",signature="cEcPJ/yMrjxd8QF5PdKDt1rQZhC5pc5Yiuei5a0Xdic="
}

// Behind a proxy that strips a path prefix (nginx's
// location /api/ { proxy_pass http://backend/; }), the client signs the
// public URL and the server receives the path without the prefix:
// CavagePathPrefix puts it back.
func ExampleCavagePathPrefix() {
	now := func() time.Time { return time.Unix(1_704_067_200, 0) }
	key := signet.NewHMACKey([]byte("secret-1"))
	keys, _ := signet.NewStaticKeys(signet.Secret{ID: "client-1", Key: key})
	required := signet.CavageRequiredHeaders("(request-target)", "host", "date")
	verifier, err := signet.NewCavage(keys, signet.WithClock(now), required, signet.CavagePathPrefix("/api"))
	if err != nil {
		panic(err)
	}

	// The client signs the public URL.
	signer, _ := signet.NewCavageSigner("client-1", key, signet.WithClock(now))
	out, _ := http.NewRequest("GET", "http://example.com/api/orders?id=42", nil)
	if err := signer.Sign(out); err != nil {
		panic(err)
	}

	// The proxy passes it on as GET /orders?id=42.
	in, _ := http.NewRequest("GET", "/orders?id=42", nil)
	in.RequestURI, in.Host, in.Header = "/orders?id=42", "example.com", out.Header
	_, err = verifier.Verify(context.Background(), signet.FromHTTP(in))
	fmt.Println(err)

	// Without the prefix, the signature does not match the path received.
	unaware, _ := signet.NewCavage(keys, signet.WithClock(now), required)
	_, err = unaware.Verify(context.Background(), signet.FromHTTP(in))
	fmt.Println(signet.AsError(err).Code())
	// Output:
	// <nil>
	// invalid_signature
}
