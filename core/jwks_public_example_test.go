package signet_test

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"time"

	signet "github.com/signet-go/signet/core"
)

// A published JWKS is public, but it may hold HS512 secrets ("kty":
// "oct") as well as public keys, and anyone who reads it can mint links
// with them: by default they verify. WithAlgorithms("ed25519") lets only
// the set's public keys verify: a link signed with its HMAC key is then
// refused, the Ed25519 one still accepted.
func ExampleFetchJWKS_publicKeysOnly() {
	seed, _ := base64.RawURLEncoding.DecodeString("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A") // RFC 8037's test key
	issuer := ed25519.NewKeyFromSeed(seed)
	const hs512 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0-Pw"
	jwks := `{"keys": [
		{"kty": "OKP", "crv": "Ed25519", "kid": "issuer-2025", "x": "` +
		base64.RawURLEncoding.EncodeToString(issuer.Public().(ed25519.PublicKey)) + `"},
		{"kty": "oct", "alg": "HS512", "kid": "legacy", "k": "` + hs512 + `"}
	]}`
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, jwks)
	}))
	defer server.Close()

	keys, err := signet.FetchJWKS(context.Background(), server.Client(), server.URL)
	if err != nil {
		panic(err)
	}
	clock := signet.WithClock(func() time.Time { return time.Unix(1_700_000_000, 0) })
	origin := signet.PysignedOrigin("https://files.example.com")
	secret, _ := base64.RawURLEncoding.DecodeString(hs512) // what anyone can read in the JWKS
	edKey, _ := signet.NewPrivateKey(issuer)
	links := map[string]string{}
	for name, key := range map[string]*signet.Key{"ed25519": edKey, "hmac": signet.NewHMACKey(secret)} {
		signer, err := signet.NewPysignedSigner(key, clock)
		if err != nil {
			panic(err)
		}
		link, _ := signer.SignURL("https://files.example.com/report.pdf")
		u, _ := url.Parse(link)
		links[name] = u.RequestURI()
	}

	for _, allowed := range [][]string{{"hmac-sha512", "ed25519"}, {"ed25519"}} {
		verifier, err := signet.NewPysigned(keys, signet.WithAlgorithms(allowed...), origin, clock)
		if err != nil {
			panic(err)
		}
		for _, name := range []string{"ed25519", "hmac"} {
			res, err := verifier.Verify(context.Background(), signet.FromHTTP(httptest.NewRequest("GET", links[name], nil)))
			if e := signet.AsError(err); e != nil {
				fmt.Println(allowed, name, "link:", e.Status(), e.Code())
				continue
			}
			fmt.Println(allowed, name, "link: verified with", res.KeyID, res.Algorithm)
		}
	}
	// Output:
	// [hmac-sha512 ed25519] ed25519 link: verified with issuer-2025 ed25519
	// [hmac-sha512 ed25519] hmac link: verified with legacy hmac-sha512
	// [ed25519] ed25519 link: verified with issuer-2025 ed25519
	// [ed25519] hmac link: 401 invalid_signature
}
