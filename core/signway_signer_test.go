package signet_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
)

// signwayURLOf is the SignwayURL a vector's signer signed.
func signwayURLOf(v signettest.SignwayVector) signet.SignwayURL {
	u := signet.SignwayURL{
		Method:            v.Sign.Method,
		Proxy:             v.Sign.ProxyURL,
		Expiry:            time.Duration(v.Sign.ExpirySeconds) * time.Second,
		SignBody:          v.Sign.Body != nil,
		OmitContentLength: !v.Sign.ContentLengthAdded,
	}
	for _, h := range v.Sign.Headers {
		u.Headers = append(u.Headers, signet.SignwayHeader{Name: h[0], Value: h[1]})
	}
	if v.Sign.Body != nil {
		u.Body = []byte(*v.Sign.Body)
	}
	return u
}

// TestSignwaySignerVectors signs every vector's inputs and reproduces the
// signed URL, canonical request, string to sign and signature byte for
// byte (the signing key is checked by TestSignwaySigningKey). The one
// vector made by the Python SDK, which does not normalise X-Sw-Proxy,
// differs as the Rust signer and the JS SDK differ from it: signet signs
// what the gateway recomputes.
func TestSignwaySignerVectors(t *testing.T) {
	vectors, err := signettest.SignwayVectors()
	require.NoError(t, err)
	reproduced := 0
	for _, v := range vectors {
		t.Run(v.Name, func(t *testing.T) {
			signer, err := signet.NewSignwaySigner(v.Sign.ID, signet.NewHMACKey([]byte(v.Sign.Secret)), v.Sign.Host,
				fixedClock(time.Unix(v.Sign.Datetime.Unix, 0)))
			require.NoError(t, err)
			signed, err := signer.Presign(signwayURLOf(v))
			require.NoError(t, err)
			if !v.Sign.ProxyNormalizedBySigner {
				assert.NotEqual(t, v.SignedURL, signed.URL)
				assert.Equal(t, *v.Verify.CanonicalRequest, signed.CanonicalRequest, "what the gateway rebuilds")
				assert.Equal(t, *v.Verify.ExpectedSignature, signed.Signature)
				return
			}
			assert.Equal(t, v.SignedURL, signed.URL)
			assert.Equal(t, v.CanonicalRequest, signed.CanonicalRequest)
			assert.Equal(t, v.StringToSign, signed.StringToSign)
			assert.Equal(t, v.Signature, signed.Signature)
			url, err := signer.SignURL(signwayURLOf(v))
			require.NoError(t, err)
			assert.Equal(t, v.SignedURL, url)
			reproduced++
		})
	}
	assert.Equal(t, 20, reproduced)
}

// TestSignwaySignerErrors checks what a signer refuses to build or sign.
func TestSignwaySignerErrors(t *testing.T) {
	key := signet.NewHMACKey([]byte("s"))
	for _, tc := range []struct {
		name, id, gateway string
		key               *signet.Key
		opts              []signet.SignwaySignerOption
	}{
		{"empty id", "", "https://gw/", key, nil},
		{"id with a slash", "a/b", "https://gw/", key, nil},
		{"id not UTF-8", "\xd7", "https://gw/", key, nil},
		{"no key", "id", "https://gw/", nil, nil},
		{"gateway not http", "id", "ftp://gw/", key, nil},
		{"gateway relative", "id", "/gw", key, nil},
		{"gateway with query", "id", "https://gw/?a=1", key, nil},
		{"gateway with empty query", "id", "https://gw/?", key, nil},
		{"gateway with fragment", "id", "https://gw/#f", key, nil},
		{"fractional ttl", "id", "https://gw/", key, []signet.SignwaySignerOption{signet.SignwayTTL(1500 * time.Millisecond)}},
		{"negative ttl", "id", "https://gw/", key, []signet.SignwaySignerOption{signet.SignwayTTL(-time.Second)}},
		{"ttl beyond u32", "id", "https://gw/", key, []signet.SignwaySignerOption{signet.SignwayTTL(1 << 32 * time.Second)}},
		{"host header", "id", "https://gw/", key, []signet.SignwaySignerOption{signet.SignwaySignHeaders("Host")}},
		{"bad header name", "id", "https://gw/", key, []signet.SignwaySignerOption{signet.SignwaySignHeaders("a b")}},
		{"a connection header", "id", "https://gw/", key, []signet.SignwaySignerOption{signet.SignwaySignHeaders("Upgrade")}},
		{"nil option", "id", "https://gw/", key, []signet.SignwaySignerOption{nil}},
		{"option of a verifier", "id", "https://gw/", key, []signet.SignwaySignerOption{signet.WithMaxAge(time.Minute)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := signet.NewSignwaySigner(tc.id, tc.key, tc.gateway, tc.opts...)
			assert.Error(t, err)
		})
	}

	signer, err := signet.NewSignwaySigner("id", key, "https://gw")
	require.NoError(t, err)
	ok := signet.SignwayURL{Method: "GET", Proxy: "https://api.example.com/x", Expiry: time.Minute}
	_, err = signer.SignURL(ok)
	require.NoError(t, err)
	for _, tc := range []struct {
		name   string
		change func(*signet.SignwayURL)
	}{
		{"no method", func(u *signet.SignwayURL) { u.Method = "" }},
		{"method with a space", func(u *signet.SignwayURL) { u.Method = "GET X" }},
		{"relative proxy", func(u *signet.SignwayURL) { u.Proxy = "/x" }},
		{"proxy not special", func(u *signet.SignwayURL) { u.Proxy = "data:text/plain,x" }},
		{"proxy not UTF-8", func(u *signet.SignwayURL) { u.Proxy = "https://h/\xff" }},
		{"proxy host out of scope", func(u *signet.SignwayURL) { u.Proxy = "https://日本.jp/" }},
		{"fractional expiry", func(u *signet.SignwayURL) { u.Expiry = time.Millisecond }},
		{"expiry beyond u32", func(u *signet.SignwayURL) { u.Expiry = 1 << 32 * time.Second }},
		{"body without SignBody", func(u *signet.SignwayURL) { u.Body = []byte("x") }},
		{"body not UTF-8", func(u *signet.SignwayURL) { u.SignBody, u.Body = true, []byte{0xff} }},
		{"wrong content-length", func(u *signet.SignwayURL) {
			u.SignBody, u.Body = true, []byte("abc")
			u.Headers = []signet.SignwayHeader{{Name: "Content-Length", Value: "4"}}
		}},
		{"header twice", func(u *signet.SignwayURL) {
			u.Headers = []signet.SignwayHeader{{Name: "X-A", Value: "1"}, {Name: "x-a", Value: "2"}}
		}},
		{"header value not visible ASCII", func(u *signet.SignwayURL) {
			u.Headers = []signet.SignwayHeader{{Name: "X-A", Value: "é"}}
		}},
		{"bad header name", func(u *signet.SignwayURL) { u.Headers = []signet.SignwayHeader{{Name: "X:A", Value: "1"}} }},
		{"a method browsers upper-case", func(u *signet.SignwayURL) { u.Method = "post" }},
		{"a header list longer than verifiers read", func(u *signet.SignwayURL) {
			for i := range 63 {
				u.Headers = append(u.Headers, signet.SignwayHeader{Name: fmt.Sprintf("x-%03d-%s", i, strings.Repeat("n", 260)), Value: "1"})
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := ok
			tc.change(&u)
			_, err := signer.SignURL(u)
			assert.Error(t, err)
		})
	}
	_, err = signer.SignURL(signet.SignwayURL{Method: "PROPFIND", Proxy: "https://api.example.com/x", Expiry: time.Minute})
	assert.NoError(t, err, "a method browsers send as written")

	// Sign: the gateway calls X-Sw-Proxy as it stands, so neither a Host
	// of the request's own nor credentials in the URL may go into it.
	for _, tc := range []struct {
		name, url, host, want string
	}{
		{"credentials in the URL", "https://user:pw@api.example.com/x", "", "holds credentials"},
		{"another Host", "https://10.0.0.5/x", "api.internal.example", "is not its URL's host"},
		{"the URL's host", "https://API.example.com/x", "api.example.com", ""},
	} {
		r, err := http.NewRequest("GET", tc.url, nil)
		require.NoError(t, err)
		r.Host = tc.host
		if err := signer.Sign(r); tc.want != "" {
			assert.ErrorContains(t, err, tc.want, tc.name)
			assert.NotContains(t, err.Error(), "pw", tc.name)
		} else {
			assert.NoError(t, err, tc.name)
		}
	}
}

// TestSignwaySignerContentLength checks the signed content-length: added
// after the caller's headers with the UTF-8 byte count (where both SDKs
// count characters and so never verify non-ASCII bodies), kept when the
// caller gives the right one, omitted on request.
func TestSignwaySignerContentLength(t *testing.T) {
	signer, err := signet.NewSignwaySigner("id", signet.NewHMACKey([]byte("s")), "https://gw/",
		fixedClock(time.Unix(1_700_000_000, 0)))
	require.NoError(t, err)
	for _, tc := range []struct {
		name    string
		headers []signet.SignwayHeader
		omit    bool
		want    string // X-Sw-SignedHeaders
	}{
		{"added", []signet.SignwayHeader{{Name: "X-A", Value: "1"}}, false, "x-a%3Bcontent-length"},
		{"given", []signet.SignwayHeader{{Name: "Content-Length", Value: "6"}, {Name: "X-A", Value: "1"}}, false, "content-length%3Bx-a"},
		{"omitted", []signet.SignwayHeader{{Name: "X-A", Value: "1"}}, true, "x-a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			signed, err := signer.Presign(signet.SignwayURL{Method: "POST", Proxy: "https://h/", Expiry: time.Minute,
				Headers: tc.headers, SignBody: true, Body: []byte("héllo"), OmitContentLength: tc.omit})
			require.NoError(t, err)
			assert.Contains(t, signed.URL, "&X-Sw-SignedHeaders="+tc.want+"&X-Sw-Body=true&")
			if !tc.omit {
				assert.Contains(t, signed.CanonicalRequest, "\ncontent-length:6\n")
			}
		})
	}
}

// TestSignwaySignThenVerify checks Sign on an outgoing request: the request
// is rerouted to the gateway with X-Sw-Proxy = its URL, and a verifier
// accepts it with the signed headers and body.
func TestSignwaySignThenVerify(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	key := signet.NewHMACKey([]byte("secret"))
	signer, err := signet.NewSignwaySigner("app", key, "https://gw.example/sw",
		fixedClock(now), signet.SignwayTTL(time.Minute),
		signet.SignwaySignHeaders("Content-Type", "X-Request-Id"), signet.SignwaySignBody())
	require.NoError(t, err)
	verifier, err := signet.NewSignway(staticKeys(t, signet.Secret{ID: "app", Key: key}),
		fixedClock(now.Add(time.Minute)), signet.SignwayStrict("/sw/"))
	require.NoError(t, err)
	elsewhere, err := signet.NewSignway(staticKeys(t, signet.Secret{ID: "app", Key: key}),
		fixedClock(now.Add(time.Minute)), signet.SignwayStrict())
	require.NoError(t, err)

	for _, body := range []string{`{"model":"x"}`, ""} {
		r, err := http.NewRequest("POST", "HTTPS://API.Example.com:443/v1/chat?stream=true", strings.NewReader(body))
		require.NoError(t, err)
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-Request-Id", " 42 ")
		require.NoError(t, signer.Sign(r))
		assert.Equal(t, "gw.example", r.URL.Host)
		assert.Equal(t, "/sw/", r.URL.Path)
		assert.Empty(t, r.Host)
		sent, err := io.ReadAll(r.Body)
		require.NoError(t, err)
		assert.Equal(t, body, string(sent), "the body is still sent")

		in := httptest.NewRequest(r.Method, r.URL.String(), strings.NewReader(body))
		in.Header = r.Header.Clone()
		if body != "" {
			in.Header.Set("Content-Length", "13")
		}
		_, err = elsewhere.Verify(context.Background(), signet.FromHTTP(in.Clone(context.Background())))
		assert.ErrorContains(t, err, `served at / here, not at "/sw/"`, "the path is not signed: strict binds it")
		res, err := verifier.Verify(context.Background(), signet.FromHTTP(in))
		require.NoError(t, err, body)
		d := res.Details.(*signet.SignwayDetails)
		assert.Equal(t, "https://api.example.com/v1/chat?stream=true", d.Proxy)
		assert.Equal(t, body != "", d.BodySigned)
		want := []signet.SignwayHeader{{Name: "content-type", Value: "application/json"}, {Name: "x-request-id", Value: "42"}}
		if body != "" {
			want = append(want, signet.SignwayHeader{Name: "content-length", Value: "13"})
		}
		assert.Equal(t, want, d.SignedHeaders)
		upstream, err := d.UpstreamURL()
		require.NoError(t, err)
		assert.Equal(t, "api.example.com", upstream.Host)
	}

	r, err := http.NewRequest("GET", "https://api.example.com/", nil)
	require.NoError(t, err)
	assert.ErrorContains(t, signer.Sign(r), "content-type", "a header to sign is missing")
	r, err = http.NewRequest("GET", "/relative", nil)
	require.NoError(t, err)
	assert.Error(t, signer.Sign(r))
}

// TestSignwaySignRefusals: Sign refuses a request the gateway would refuse
// or could not verify: a signed header sent twice, a signed body sent
// chunked (without the Content-Length it signs).
func TestSignwaySignRefusals(t *testing.T) {
	key := signet.NewHMACKey([]byte("s"))
	headers, err := signet.NewSignwaySigner("id", key, "https://gw/", signet.SignwaySignHeaders("X-A"))
	require.NoError(t, err)
	r, err := http.NewRequest("GET", "https://api.example/v1", nil)
	require.NoError(t, err)
	r.Header.Add("X-A", "1")
	r.Header.Add("X-A", "2")
	assert.ErrorContains(t, headers.Sign(r), "2 x-a headers")

	body, err := signet.NewSignwaySigner("id", key, "https://gw/", signet.SignwaySignBody())
	require.NoError(t, err)
	r, err = http.NewRequest("POST", "https://api.example/v1", strings.NewReader("hello"))
	require.NoError(t, err)
	r.TransferEncoding = []string{"chunked"}
	assert.ErrorContains(t, body.Sign(r), "sent chunked")
	r, err = http.NewRequest("POST", "https://api.example/v1", strings.NewReader("hello"))
	require.NoError(t, err)
	assert.NoError(t, body.Sign(r), "the same body with its length")
}

// TestSignwayTargetLimit: a Signway URL's request-target is read up to 16
// KiB, as the other signed URLs': the signer refuses to make a longer one,
// and the verifier refuses one padded past it.
func TestSignwayTargetLimit(t *testing.T) {
	key := signet.NewHMACKey([]byte("s"))
	at := clockAt(1_700_000_000)
	signer, err := signet.NewSignwaySigner("id", key, "https://gw.example/a/", at)
	require.NoError(t, err)
	_, err = signer.SignURL(signet.SignwayURL{Method: "GET", Proxy: "https://api.example.com/" + strings.Repeat("x", 16<<10), Expiry: time.Minute})
	assert.ErrorContains(t, err, "verifiers read at most 16384")

	link, err := signer.SignURL(signet.SignwayURL{Method: "GET", Proxy: "https://api.example.com/x", Expiry: time.Minute})
	require.NoError(t, err)
	v, err := signet.NewSignway(staticKeys(t, signet.Secret{ID: "id", Key: key}), at)
	require.NoError(t, err)
	for _, tc := range []struct {
		padding int
		want    error
	}{{0, nil}, {16<<10 - len(link) + len("https://gw.example"), nil}, {16<<10 - len(link) + len("https://gw.example") + 1, signet.ErrMalformed}} {
		padded := link
		if tc.padding > 0 {
			padded += "&p=" + strings.Repeat("x", tc.padding-len("&p="))
		}
		r := httptest.NewRequest("GET", padded, nil)
		r.RequestURI = strings.TrimPrefix(padded, "https://gw.example")
		_, err := v.Verify(context.Background(), signet.FromHTTP(r))
		if tc.want == nil {
			assert.NoError(t, err, "a target of %d bytes", len(r.RequestURI))
		} else {
			assert.ErrorIs(t, err, tc.want, "a target of %d bytes", len(r.RequestURI))
		}
	}
	// Before anything of it is read: with no signature too.
	r := httptest.NewRequest("GET", "/a/?p="+strings.Repeat("x", 16<<10), nil)
	_, err = v.Verify(context.Background(), signet.FromHTTP(r))
	assert.ErrorIs(t, err, signet.ErrMalformed)
}
