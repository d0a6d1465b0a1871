package signet_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httputil"
	"time"

	signet "github.com/signet-go/signet/core"
)

// A Signway verifier checks the URL a Signway signer made (here the example
// of Signway's docs) and tells the gateway where to forward it.
func ExampleNewSignway() {
	keys, _ := signet.NewStaticKeys(signet.Secret{
		ID:          "app-id",
		Key:         signet.NewHMACKey([]byte("super-secure-string")),
		Credentials: "the OpenAI app",
	})
	now := func() time.Time { return time.Date(2023, 6, 13, 16, 23, 21, 0, time.UTC) }
	verifier, err := signet.NewSignway(keys, signet.WithClock(now))
	if err != nil {
		panic(err)
	}

	r, _ := http.NewRequest("POST", "http://localhost:3000/?X-Sw-Algorithm=SW1-HMAC-SHA256"+
		"&X-Sw-Credential=app-id%2F20230613&X-Sw-Date=20230613T162311Z&X-Sw-Expires=300"+
		"&X-Sw-Proxy=https%3A%2F%2Fapi.openai.com%2Fv1%2Fchat%2Fcompletions&X-Sw-SignedHeaders=&X-Sw-Body=false"+
		"&X-Sw-Signature=ebf9dcd8fb2f298af7744a0dbbc96b10d21b38f6e85292f1e06605873088f6e5", nil)
	res, err := verifier.Verify(context.Background(), signet.FromHTTP(r))
	if err != nil {
		panic(err)
	}
	details := res.Details.(*signet.SignwayDetails)
	fmt.Println(res.KeyID, res.Credentials, res.Expires.Format(time.RFC3339))
	fmt.Println(details.Proxy)

	r.Method = "GET" // the URL was signed for POST
	_, err = verifier.Verify(context.Background(), signet.FromHTTP(r))
	e := signet.AsError(err)
	fmt.Println(e.Status(), e.Code())
	// Output:
	// app-id the OpenAI app 2023-06-13T16:28:11Z
	// https://api.openai.com/v1/chat/completions
	// 401 invalid_signature
}

// A SignwaySigner makes the URL a trusted backend hands to a browser: here
// Signway's own fixed example (server/src/signing/url_signer.rs).
func ExampleSignwaySigner_SignURL() {
	epoch := func() time.Time { return time.Unix(0, 0) }
	signer, err := signet.NewSignwaySigner("foo", signet.NewHMACKey([]byte("secret")), "http://localhost:3000",
		signet.WithClock(epoch))
	if err != nil {
		panic(err)
	}
	url, err := signer.SignURL(signet.SignwayURL{Method: "POST", Proxy: "https://github.com", Expiry: 10 * time.Minute})
	if err != nil {
		panic(err)
	}
	fmt.Println(url)
	// Output:
	// http://localhost:3000/?X-Sw-Algorithm=SW1-HMAC-SHA256&X-Sw-Credential=foo%2F19700101&X-Sw-Date=19700101T000000Z&X-Sw-Expires=600&X-Sw-Proxy=https%3A%2F%2Fgithub.com%2F&X-Sw-SignedHeaders=&X-Sw-Body=false&X-Sw-Signature=ed15db76d806155fd5119e093a0f030063c90d943dfdd27e011a9044a77a90a6
}

// A gateway forwards a verified request to the signed upstream URL, with
// the method, headers and body the signature covered. A handler behind a
// signet middleware finds the Result on the request's context.
func ExampleSignwayDetails_UpstreamURL() {
	gateway := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		res, _ := signet.ResultFrom(pr.In.Context())
		upstream, err := res.Details.(*signet.SignwayDetails).UpstreamURL()
		if err != nil {
			return // an unreachable URL: the proxy answers 502
		}
		pr.Out.URL, pr.Out.Host = upstream, ""
		pr.Out.Header.Set("Authorization", "Bearer "+"<the upstream API key of "+res.KeyID+">")
	}}
	_ = gateway // mount it behind signethttp.New(verifier)

	details := &signet.SignwayDetails{Proxy: "https://api.example.com/v1/items?page=2#top"}
	upstream, _ := details.UpstreamURL()
	fmt.Println(upstream)
	// Output: https://api.example.com/v1/items?page=2
}
