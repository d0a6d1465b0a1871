package signet_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	signet "github.com/signet-go/signet/core"
)

// A signed URL verifier looks sn-kid up in a KeyStore, checks the
// signature with the key's algorithm, then the expiry.
func ExampleNewSignedURL() {
	keys, _ := signet.NewStaticKeys(signet.Secret{
		ID:          "k1",
		Key:         signet.NewHMACKey([]byte("signedurl-test-secret-1")),
		Credentials: "downloads",
	})
	verify := func(at int64, target string) {
		verifier, err := signet.NewSignedURL(keys,
			signet.SignedURLIgnoreParams("utm_*"),
			signet.WithClock(func() time.Time { return time.Unix(at, 0) }))
		if err != nil {
			panic(err)
		}
		r, _ := http.NewRequest("GET", "https://example.com"+target, nil)
		r.RequestURI = target // as a server receives it
		res, err := verifier.Verify(context.Background(), signet.FromHTTP(r))
		if err != nil {
			e := signet.AsError(err)
			fmt.Println(e.Status(), e.Code())
			return
		}
		fmt.Println(res.KeyID, res.Credentials, res.Algorithm, res.Expires.Unix())
	}

	// Signed by the vectors' independent Python signer (vector hmac-basic).
	signed := "/files/report.pdf?download=1&lang=en&sn-kid=k1&sn-iat=1700000000&sn-exp=1700000300" +
		"&sn-sig=T5MY0wLW-ifRoxauu_h_EWt_WAHSbJZ-ipRIskXqJ4Y"
	verify(1700000000, signed)
	verify(1700000000, signed+"&utm_source=mail") // an ignored parameter added later
	verify(1700000000, signed+"&admin=1")         // any other parameter breaks it
	verify(1700000301, signed)                    // after sn-exp
	// Output:
	// k1 downloads hmac-sha256 1700000300
	// k1 downloads hmac-sha256 1700000300
	// 401 invalid_signature
	// 401 expired
}

// A signer appends sn-kid, sn-iat, sn-exp and sn-sig to a URL, escaping
// what browsers would escape themselves.
func ExampleSignedURLSigner_SignURL() {
	signer, err := signet.NewSignedURLSigner("k1", signet.NewHMACKey([]byte("signedurl-test-secret-1")),
		signet.WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	if err != nil {
		panic(err)
	}
	signed, err := signer.SignURL("GET", "https://example.com/files/report.pdf?download=1&lang=en", 5*time.Minute)
	fmt.Println(signed, err)
	signed, err = signer.SignURL("GET", "https://example.com/über uns?q=a b", time.Minute)
	fmt.Println(signed, err)
	// Output:
	// https://example.com/files/report.pdf?download=1&lang=en&sn-kid=k1&sn-iat=1700000000&sn-exp=1700000300&sn-sig=T5MY0wLW-ifRoxauu_h_EWt_WAHSbJZ-ipRIskXqJ4Y <nil>
	// https://example.com/%C3%BCber%20uns?q=a%20b&sn-kid=k1&sn-iat=1700000000&sn-exp=1700000060&sn-sig=2r6x_qNaGGCy8Wnae28s7SHvVkNlXKpqiNDTIZFNbpk <nil>
}

// As a signet.Signer, a SignedURLSigner signs the URL of each request that
// signethttp.Transport sends, with the TTL of SignedURLTTL.
func ExampleSignedURLSigner_Sign() {
	signer, err := signet.NewSignedURLSigner("k1", signet.NewHMACKey([]byte("signedurl-test-secret-1")),
		signet.SignedURLTTL(time.Minute),
		signet.WithClock(func() time.Time { return time.Unix(1700000000, 0) }))
	if err != nil {
		panic(err)
	}
	r, _ := http.NewRequest("GET", "https://example.com/feed?page=2", nil)
	if err := signer.Sign(r); err != nil {
		panic(err)
	}
	fmt.Println(r.URL.RawQuery)
	// Output:
	// page=2&sn-kid=k1&sn-iat=1700000000&sn-exp=1700000060&sn-sig=euStYsTYFFBWqBzQjatMD50q5W3INTi34JgNyenmg6g
}

// Behind a proxy that strips /files from the paths it forwards (nginx's
// location /files/ { proxy_pass http://backend/; }), links are signed for
// the public URL and the verifier puts the prefix back.
func ExampleSignedURLPathPrefix() {
	clock := signet.WithClock(func() time.Time { return time.Unix(1700000000, 0) })
	signer, err := signet.NewSignedURLSigner("k1", signet.NewHMACKey([]byte("signedurl-test-secret-1")),
		signet.SignedURLPathPrefix("/files"), clock)
	if err != nil {
		panic(err)
	}
	link, err := signer.SignURL("GET", "https://example.com/files/report.pdf?download=1", 5*time.Minute)
	if err != nil {
		panic(err)
	}
	fmt.Println(link)

	keys, _ := signet.NewStaticKeys(signet.Secret{ID: "k1", Key: signet.NewHMACKey([]byte("signedurl-test-secret-1"))})
	verifier, err := signet.NewSignedURL(keys, signet.SignedURLPathPrefix("/files"), clock)
	if err != nil {
		panic(err)
	}
	for _, target := range []string{
		strings.TrimPrefix(link, "https://example.com/files"), // as the proxy forwards it
		strings.TrimPrefix(link, "https://example.com"),       // not through the proxy
	} {
		r, _ := http.NewRequest("GET", "http://backend"+target, nil)
		r.RequestURI = target // as the backend receives it
		_, err := verifier.Verify(context.Background(), signet.FromHTTP(r))
		fmt.Println(target[:strings.IndexByte(target, '?')], err)
	}

	_, err = signer.SignURL("GET", "https://example.com/admin/report.pdf", 5*time.Minute)
	fmt.Println(err)
	// Output:
	// https://example.com/files/report.pdf?download=1&sn-kid=k1&sn-iat=1700000000&sn-exp=1700000300&sn-sig=NNwfVQx4Iw--mTVe4Qg8TjuM8hBjqisLk2ZLr7wREaw
	// /report.pdf <nil>
	// /files/report.pdf the signature does not match the request
	// signet: the path "/admin/report.pdf" is not under "/files", the prefix the proxy strips (SignedURLPathPrefix): sign the public URL, under it
}
