package signet_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	signet "github.com/signet-go/signet/core"
)

// A pysigned verifier checks URLs signed by Python's pysigned URLAuth, here
// the first vector of pysigned.json. Behind a proxy, PysignedOrigin names
// the public scheme and host the URLs were signed for.
func ExampleNewPysigned() {
	secret := make([]byte, 64) // pysigned requires HMAC keys of 64 bytes or more
	for i := range secret {
		secret[i] = byte(i)
	}
	keys, _ := signet.NewStaticKeys(signet.Secret{ID: "downloads", Key: signet.NewHMACKey(secret), Credentials: "cdn"})
	verifier, err := signet.NewPysigned(keys,
		signet.PysignedOrigin("https://example.com"),
		signet.WithClock(func() time.Time { return time.Unix(1_700_000_000, 0) }))
	if err != nil {
		panic(err)
	}

	target := "/a?b=1&sig=065826ea0f5aa4ea70030f09aea55dd548e62cff4d74020eaace710a351c908e" +
		"b2e322396d13f2cb4667b55e471a6955469ee8e1de2ec726360d92829fe8b528&exp=1700000600"
	r := httptest.NewRequest("GET", target, nil) // as received from the proxy
	res, err := verifier.Verify(context.Background(), signet.FromHTTP(r))
	fmt.Println(res.KeyID, res.Credentials, res.Algorithm, res.Expires.UTC(), err)

	r = httptest.NewRequest("GET", strings.Replace(target, "b=1", "b=2", 1), nil)
	_, err = verifier.Verify(context.Background(), signet.FromHTTP(r))
	e := signet.AsError(err)
	fmt.Println(e.Status(), e.Code())
	// Output:
	// downloads cdn hmac-sha512 2023-11-14 22:23:20 +0000 UTC <nil>
	// 401 invalid_signature
}

// A pysigned signer returns what URLAuth.sign returns: the query
// re-encoded, blank values dropped, sig and exp appended, the fragment kept.
func ExamplePysignedSigner_SignURL() {
	secret := make([]byte, 64)
	for i := range secret {
		secret[i] = byte(i)
	}
	signer, err := signet.NewPysignedSigner(signet.NewHMACKey(secret),
		signet.PysignedTTL(10*time.Minute),
		signet.WithClock(func() time.Time { return time.Unix(1_700_000_000, 0) }))
	if err != nil {
		panic(err)
	}
	signed, err := signer.SignURL("https://example.com/a?b=1&flag#section-2")
	fmt.Println(signed, err)
	// Output:
	// https://example.com/a?b=1&sig=065826ea0f5aa4ea70030f09aea55dd548e62cff4d74020eaace710a351c908eb2e322396d13f2cb4667b55e471a6955469ee8e1de2ec726360d92829fe8b528&exp=1700000600#section-2 <nil>
}

// Keys can come from a JSON Web Key Set in pysigned's formats; without a
// kid, a key gets pysigned's default id.
func ExampleParseJWKS() {
	keys, err := signet.ParseJWKS([]byte(`{"keys": [
		{"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"},
		{"kty": "oct", "alg": "HS512", "kid": "2025",
		 "k": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0-Pw"}
	]}`), signet.Pysigned028)
	if err != nil {
		panic(err)
	}
	for _, s := range keys.Secrets() {
		fmt.Println(s.ID, s.Key.IsHMAC())
	}
	verifier, err := signet.NewPysigned(keys, signet.Pysigned028)
	fmt.Println(verifier != nil, err)
	// Output:
	// DgKlAiW0uqoY false
	// 2025 true
	// true <nil>
}

// A 0.2.8 signer with PysignedRequireKid writes the key's default id unless
// PysignedKeyID names another: to sign with a key set's signing key under
// its kid, pass the id SigningKey returns.
func ExampleJWKSKeys_SigningKey() {
	keys, err := signet.ParseJWKS([]byte(`{"keys": [
		{"kty": "oct", "alg": "HS512", "kid": "2025",
		 "k": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0-Pw"}
	]}`), signet.Pysigned028)
	if err != nil {
		panic(err)
	}
	id, key, err := keys.SigningKey()
	if err != nil {
		panic(err)
	}
	clock := signet.WithClock(func() time.Time { return time.Unix(1_700_000_000, 0) })
	signer, err := signet.NewPysignedSigner(key, signet.Pysigned028, signet.PysignedRequireKid(),
		signet.PysignedKeyID(id), clock)
	if err != nil {
		panic(err)
	}
	signed, _ := signer.SignURL("https://example.com/a?b=1")
	fmt.Println(signed[strings.LastIndex(signed, "&"):])

	verifier, err := signet.NewPysigned(keys, signet.Pysigned028, signet.PysignedRequireKid(),
		signet.PysignedOrigin("https://example.com"), clock)
	if err != nil {
		panic(err)
	}
	u, _ := url.Parse(signed)
	res, err := verifier.Verify(context.Background(), signet.FromHTTP(httptest.NewRequest("GET", u.RequestURI(), nil)))
	fmt.Println(res.KeyID, err)
	// Output:
	// &kid=2025
	// 2025 <nil>
}

// FetchJWKS reads a key set once. To pick up rotated keys without a
// restart, keep the latest set behind an atomic pointer, refresh it on a
// timer, and look keys up through a KeyFunc; a failed refresh keeps the
// last good set.
func ExampleFetchJWKS_rotation() {
	const (
		key2025 = `{"kty": "oct", "alg": "HS512", "kid": "2025", "k": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0-Pw"}`
		key2026 = `{"kty": "oct", "alg": "HS512", "kid": "2026", "k": "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl9gYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1-fw"}`
	)
	var published atomic.Value // what the key server answers
	published.Store(`{"keys": [` + key2025 + `]}`)
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, published.Load().(string))
	}))
	defer server.Close()

	var current atomic.Pointer[signet.JWKSKeys]
	refresh := func() error {
		keys, err := signet.FetchJWKS(context.Background(), server.Client(), server.URL, signet.Pysigned028)
		if err != nil {
			return err // keep verifying with the last good set
		}
		current.Store(keys)
		return nil
	}
	if err := refresh(); err != nil { // once at startup: no keys, no service
		panic(err)
	}
	// In a service: go func() { for range time.Tick(5 * time.Minute) { _ = refresh() } }()

	clock := signet.WithClock(func() time.Time { return time.Unix(1_700_000_000, 0) })
	verifier, err := signet.NewPysigned(signet.KeyFunc(func(ctx context.Context, keyID string) ([]signet.Secret, error) {
		return current.Load().Lookup(ctx, keyID)
	}), signet.Pysigned028, signet.PysignedRequireKid(), signet.PysignedOrigin("https://example.com"), clock)
	if err != nil {
		panic(err)
	}

	// A signer already uses the next key, not yet published.
	next, err := signet.ParseJWKS([]byte(`{"keys": [`+key2026+`]}`), signet.Pysigned028)
	if err != nil {
		panic(err)
	}
	id, key, _ := next.SigningKey()
	signer, err := signet.NewPysignedSigner(key, signet.Pysigned028, signet.PysignedRequireKid(), signet.PysignedKeyID(id), clock)
	if err != nil {
		panic(err)
	}
	signed, _ := signer.SignURL("https://example.com/report.pdf")
	u, _ := url.Parse(signed)
	verify := func() {
		res, err := verifier.Verify(context.Background(), signet.FromHTTP(httptest.NewRequest("GET", u.RequestURI(), nil)))
		if e := signet.AsError(err); e != nil {
			fmt.Println(e.Status(), e.Code())
			return
		}
		fmt.Println("verified with", res.KeyID)
	}

	verify()
	published.Store(`{"keys": [` + key2025 + `, ` + key2026 + `]}`)
	if err := refresh(); err != nil {
		panic(err)
	}
	verify()
	// Output:
	// 401 unknown_key
	// verified with 2026
}

// Behind a proxy that strips /files from the paths it forwards (nginx's
// location /files/ { proxy_pass http://backend/; }), links are signed for
// the public URL, by pysigned or by signet, and the verifier puts the
// prefix back.
func ExamplePysignedPathPrefix() {
	secret := signet.NewHMACKey([]byte(strings.Repeat("s", 64)))
	clock := signet.WithClock(func() time.Time { return time.Unix(1700000000, 0) })
	signer, err := signet.NewPysignedSigner(secret, signet.PysignedPathPrefix("/files"), clock)
	if err != nil {
		panic(err)
	}
	link, err := signer.SignURL("https://example.com/files/report.pdf?download=1")
	if err != nil {
		panic(err)
	}
	fmt.Println(link)

	keys, _ := signet.NewStaticKeys(signet.Secret{ID: "k1", Key: secret})
	verifier, err := signet.NewPysigned(keys, signet.PysignedOrigin("https://example.com"),
		signet.PysignedPathPrefix("/files"), clock)
	if err != nil {
		panic(err)
	}
	for _, target := range []string{
		strings.TrimPrefix(link, "https://example.com/files"), // as the proxy forwards it
		strings.TrimPrefix(link, "https://example.com"),       // not through the proxy
	} {
		r := httptest.NewRequest("GET", target, nil) // as the backend receives it
		_, err := verifier.Verify(context.Background(), signet.FromHTTP(r))
		fmt.Println(target[:strings.IndexByte(target, '?')], err)
	}

	_, err = signer.SignURL("https://example.com/admin/report.pdf")
	fmt.Println(err)
	// Output:
	// https://example.com/files/report.pdf?download=1&sig=d607760ce99a0bd9f6652f1a1db5d9c61c06b76cbbeacb47bf7b885fc0720ff6bf1da46e19234a0443bc44776947da156ea8d8a1727fc552196cbce52393fd5d&exp=1700000600
	// /report.pdf <nil>
	// /files/report.pdf the signature does not match the request
	// signet: the path "/admin/report.pdf" is not under "/files", the prefix the proxy strips (PysignedPathPrefix): sign the public URL, under it
}
