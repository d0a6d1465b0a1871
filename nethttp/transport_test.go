package signethttp_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
	signethttp "github.com/signet-go/signet/nethttp"
)

// TestTransportRedirects: a redirect on the same origin is signed again (the
// path changed, so the first signature would not do); one to another origin
// is sent unsigned, so that no other server gets a signature to replay.
func TestTransportRedirects(t *testing.T) {
	captured := make(chan http.Header, 1)
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		captured <- r.Header.Clone()
	}))
	defer other.Close()

	mux := http.NewServeMux()
	mux.Handle("/here", http.RedirectHandler("/there", http.StatusTemporaryRedirect))
	mux.Handle("/away", http.RedirectHandler(other.URL+"/transfer", http.StatusTemporaryRedirect))
	mux.Handle("/there", signethttp.New(verifier(t))(echo))
	api := httptest.NewServer(mux)
	defer api.Close()

	signer, err := signet.NewSASigningSigner(key, covers...)
	require.NoError(t, err)
	client := &http.Client{Transport: &signethttp.Transport{Signer: signer}}

	resp, err := client.Post(api.URL+"/here", "text/plain", strings.NewReader("hello"))
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the same-origin redirect is signed again: %s", body)

	resp, err = client.Post(api.URL+"/away", "text/plain", strings.NewReader("hello"))
	require.NoError(t, err)
	resp.Body.Close()
	header := <-captured
	assert.Empty(t, header.Get("Signature"), "no signature for another origin")
}

// TestTransportURLSignerRedirects: a URL signer re-signs a same-origin
// redirect that brings its own parameters back (ServeMux's redirect to the
// path with a trailing slash keeps the query).
func TestTransportURLSignerRedirects(t *testing.T) {
	secret := []byte(strings.Repeat("a URL signer's secret ", 4))
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "k", Key: signet.NewHMACKey(secret), Credentials: app{"billing"}})
	require.NoError(t, err)
	native, err := signet.NewSignedURL(keys)
	require.NoError(t, err)
	nativeSigner, err := signet.NewSignedURLSigner("k", signet.NewHMACKey(secret))
	require.NoError(t, err)
	pysigned, err := signet.NewPysigned(keys)
	require.NoError(t, err)
	pysignedSigner, err := signet.NewPysignedSigner(signet.NewHMACKey(secret))
	require.NoError(t, err)
	for _, c := range []struct {
		name     string
		verifier signet.Verifier
		signer   signet.Signer
	}{{"signedurl", native, nativeSigner}, {"pysigned", pysigned, pysignedSigner}} {
		t.Run(c.name, func(t *testing.T) {
			mux := http.NewServeMux()
			mux.Handle("/dir/", signethttp.New(c.verifier)(echo))
			srv := httptest.NewServer(mux)
			defer srv.Close()
			client := &http.Client{Transport: &signethttp.Transport{Signer: c.signer}}
			resp, err := client.Get(srv.URL + "/dir?x=1&kid=42")
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
			assert.Equal(t, "/dir/", resp.Request.URL.Path, "redirected")
			assert.Equal(t, "42", resp.Request.URL.Query().Get("kid"), "the caller's own kid is kept")
		})
	}
}

// redirects is a Base that answers the i-th request with a 307 to
// locations[i] while there is one (setting Response.Request only when
// withRequest), and records whether each request is signed.
type redirects struct {
	locations   []string
	withRequest bool
	signed      []bool
}

func (b *redirects) RoundTrip(r *http.Request) (*http.Response, error) {
	resp := &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: http.NoBody}
	if i := len(b.signed); i < len(b.locations) {
		resp.StatusCode = http.StatusTemporaryRedirect
		resp.Header.Set("Location", b.locations[i])
	}
	b.signed = append(b.signed, r.Header.Get("Signature") != "")
	if b.withRequest {
		resp.Request = r
	}
	return resp, nil
}

// TestTransportRedirectOrigins: what counts as the same origin (default
// ports, case, a trailing dot, IPv6 spellings); a redirect back home after
// a hop elsewhere, or one whose previous request the Base did not record,
// is not signed.
func TestTransportRedirectOrigins(t *testing.T) {
	signer, err := signet.NewSASigningSigner(key, covers...)
	require.NoError(t, err)
	for _, tc := range []struct {
		from        string
		to          []string
		withRequest bool
		signed      []bool
	}{
		{"https://api.test/a", []string{"https://api.test:443/b"}, true, []bool{true, true}},
		{"http://api.test/a", []string{"http://API.test:80/b"}, true, []bool{true, true}},
		{"https://api.test./a", []string{"https://api.test/b"}, true, []bool{true, true}},
		{"http://[::1]:8080/a", []string{"http://[0:0::1]:8080/b"}, true, []bool{true, true}},
		{"https://api.test/a", []string{"http://api.test/b"}, true, []bool{true, false}},
		{"https://api.test/a", []string{"https://api.test:8443/b"}, true, []bool{true, false}},
		{"https://api.test/a", []string{"https://evil.test/b"}, true, []bool{true, false}},
		{"https://api.test/a", []string{"https://evil.test/b", "https://api.test/admin"}, true, []bool{true, false, false}},
		{"https://api.test/a", []string{"https://api.test/b"}, false, []bool{true, true}}, // the Base lost the request: the Transport keeps the caller's
	} {
		base := &redirects{locations: tc.to, withRequest: tc.withRequest}
		client := &http.Client{Transport: &signethttp.Transport{Signer: signer, Base: base}}
		resp, err := client.Post(tc.from, "text/plain", strings.NewReader("x"))
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, tc.signed, base.signed, "%s -> %v", tc.from, tc.to)
	}
}

// TestTransportSignwayRedirects: a Signway signer sends every request to its
// gateway, but redirects are judged by the caller's URLs: an upstream that
// redirects to the gateway gets nothing signed, and a redirect within the
// upstream is signed again and goes through the gateway.
func TestTransportSignwayRedirects(t *testing.T) {
	key := signet.NewHMACKey([]byte("signway-secret"))
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "app", Key: key})
	require.NoError(t, err)
	verifier, err := signet.NewSignway(keys)
	require.NoError(t, err)
	var gatewayURL string
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/start":
			http.Redirect(w, r, gatewayURL+"/admin?delete=all", http.StatusFound)
		case "/relative":
			http.Redirect(w, r, "/next", http.StatusFound)
		default:
			w.Header().Set("X-Reached", "upstream")
		}
	}))
	defer upstream.Close()
	gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		res, err := verifier.Verify(r.Context(), signet.FromHTTP(r))
		if err != nil {
			w.Header().Set("X-Reached", "gateway, unverified")
			return
		}
		proxy := res.Details.(*signet.SignwayDetails).Proxy
		if !strings.HasPrefix(proxy, upstream.URL) {
			w.Header().Set("X-Reached", "gateway, signed for "+proxy)
			return
		}
		forward, err := http.NewRequest(r.Method, proxy, nil) // as a gateway forwards
		require.NoError(t, err)
		resp, err := http.DefaultTransport.RoundTrip(forward)
		require.NoError(t, err)
		resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.Header().Set("X-Via", "gateway")
		w.WriteHeader(resp.StatusCode)
	}))
	defer gateway.Close()
	gatewayURL = gateway.URL

	signer, err := signet.NewSignwaySigner("app", key, gateway.URL)
	require.NoError(t, err)
	client := &http.Client{Transport: &signethttp.Transport{Signer: signer}}
	for path, want := range map[string]string{"/start": "gateway, unverified", "/relative": "upstream"} {
		resp, err := client.Get(upstream.URL + path)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, want, resp.Header.Get("X-Reached"), path)
		if path == "/relative" {
			assert.Equal(t, "gateway", resp.Header.Get("X-Via"), "the redirect within the upstream went through the gateway, signed")
		}
	}
}

// idleCounter is a RoundTripper counting the calls to its
// CloseIdleConnections.
type idleCounter struct {
	http.RoundTripper
	closed int
}

func (c *idleCounter) CloseIdleConnections() { c.closed++ }

// TestTransportCloseIdleConnections: a client's CloseIdleConnections
// reaches the Transport's Base.
func TestTransportCloseIdleConnections(t *testing.T) {
	base := &idleCounter{}
	client := &http.Client{Transport: &signethttp.Transport{Base: base}}
	client.CloseIdleConnections()
	assert.Equal(t, 1, base.closed)
	// Without a Base, http.DefaultTransport's (no panic).
	(&http.Client{Transport: &signethttp.Transport{}}).CloseIdleConnections()
}

// TestTransportCookieOverHTTP2: a signed Cookie verifies over HTTP/2, which
// carries it as crumbs cut at each ';' and joined again with "; ", as over
// HTTP/1.1, however its crumbs are separated and, in the api-signature
// dialect, over several Cookie headers.
func TestTransportCookieOverHTTP2(t *testing.T) {
	key := signet.NewHMACKey([]byte(strings.Repeat("k", 40)))
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "c", Key: key})
	require.NoError(t, err)
	single := []string{"a=1", "a=1; b=2", "a=1;b=2", " a=1 ", "a=1; ", "a=1;", "a=1 ;b=2", "a=1;  b=2;c=3", "a=1;;b=2"}
	for _, tc := range []struct {
		name    string
		dialect signet.CavageDialect
		cookies [][]string
	}{
		{"draft", signet.DialectDraft, [][]string{}},
		{"api-signature", signet.DialectAPISignature, [][]string{{"a=1;b=2", "c=3"}, {"a=1", "b=2 ;c=3"}}},
	} {
		for _, c := range single {
			tc.cookies = append(tc.cookies, []string{c})
		}
		v, err := signet.NewCavage(keys, tc.dialect)
		require.NoError(t, err)
		signer, err := signet.NewCavageSigner("c", key, tc.dialect, signet.CavageSignHeaders("(request-target)", "host", "date", "cookie"))
		require.NoError(t, err)
		handler := signethttp.New(v)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, r.Proto+" "+r.Header.Get("Cookie"))
		}))
		for _, h2 := range []bool{false, true} {
			srv := httptest.NewUnstartedServer(handler)
			srv.EnableHTTP2 = h2
			srv.StartTLS()
			client := srv.Client()
			client.Transport = &signethttp.Transport{Signer: signer, Base: client.Transport}
			for _, cookies := range tc.cookies {
				r, err := http.NewRequest(http.MethodGet, srv.URL+"/x", nil)
				require.NoError(t, err)
				r.Header["Cookie"] = cookies
				resp, err := client.Do(r)
				require.NoError(t, err)
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				assert.Equal(t, http.StatusOK, resp.StatusCode, "%s, HTTP/2 %v, Cookie %q: %s", tc.name, h2, cookies, body)
				assert.Equal(t, h2, resp.ProtoMajor == 2)
			}
			srv.Close()
		}
	}
}
