package signet_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
)

// TestCavageSignerVectors signs each request the npm signers (and the draft)
// signed, with the same key, headers and clock, and compares the header it
// sends byte for byte. ECDSA signatures are randomized and are checked by
// verification instead.
func TestCavageSignerVectors(t *testing.T) {
	vectors, table, err := signettest.CavageVectors()
	require.NoError(t, err)
	reproduced := 0
	for _, v := range vectors {
		in := v.SignerInput
		if v.Mutation != "" || in.SignedHeaders == nil || v.Key.Signing == nil || v.SignerSigningString == nil ||
			strings.Contains(v.Description, "array") || strings.Contains(v.Signature.HeaderValue, "created=") {
			continue // not a request our signer is meant to reproduce
		}
		t.Run(v.ID, func(t *testing.T) {
			opts := []signet.CavageSignerOption{signet.CavageSignHeaders(in.SignedHeaders...), clockAt(v.SignAt)}
			if in.Algorithm != "" {
				opts = append(opts, signet.CavageSignAlgorithm(in.Algorithm))
			}
			if strings.HasPrefix(v.ID, "apisig-") {
				opts = append(opts, signet.DialectAPISignature) // its README client signs the bare path
			}
			if v.Signature.HeaderName == "Signature" {
				opts = append(opts, signet.CavageSignatureHeader())
			}
			signer, err := signet.NewCavageSigner(v.Key.KeyID, cavageKey(t, *v.Key.Signing, true), opts...)
			require.NoError(t, err)
			r := outgoingRequest(t, v)
			require.NoError(t, signer.Sign(r))
			got := r.Header.Get(v.Signature.HeaderName)
			if v.Key.Signing.Type == "ecdsa" {
				verifier, err := signet.NewCavage(cavageKeys(t, table, false), clockAt(v.Now))
				require.NoError(t, err)
				in := cavageRequest(v)
				in.Header.Set(v.Signature.HeaderName, got)
				_, err = verifier.Verify(context.Background(), signet.FromHTTP(in))
				assert.NoError(t, err)
				return
			}
			assert.Equal(t, v.Signature.HeaderValue, got)
			reproduced++
		})
	}
	assert.Equal(t, 17, reproduced)
}

// outgoingRequest is the client request a vector's signer was given.
func outgoingRequest(t *testing.T, v signettest.CavageVector) *http.Request {
	t.Helper()
	host := ""
	for _, h := range v.Request.Headers {
		if strings.EqualFold(h[0], "Host") {
			host = h[1]
		}
	}
	var body *strings.Reader
	if v.Request.Body != "" {
		body = strings.NewReader(v.Request.Body)
	}
	r, err := http.NewRequest(v.Request.Method, "http://"+host+v.Request.URL, nil)
	if body != nil {
		r, err = http.NewRequest(v.Request.Method, "http://"+host+v.Request.URL, body)
	}
	require.NoError(t, err)
	for _, h := range v.Request.Headers {
		if h[0] != "Host" && h[0] != v.Signature.HeaderName {
			r.Header.Add(h[0], h[1])
		}
	}
	return r
}

// TestCavageSignerRoundTrip signs with every key type and algorithm the
// signer offers and verifies with the draft verifier.
func TestCavageSignerRoundTrip(t *testing.T) {
	_, table, err := signettest.CavageVectors()
	require.NoError(t, err)
	keys := cavageKeys(t, table, false)
	tests := []struct {
		keyID, algorithm string
		opts             []signet.CavageSignerOption
	}{
		{"client-1", "hmac-sha1", nil},
		{"client-1", "hmac-sha256", nil},
		{"client-1", "hmac-sha512", nil},
		{"client-1", "hs2019", []signet.CavageSignerOption{signet.CavageExpiresIn(time.Minute)}},
		{"rsa-1", "rsa-sha256", nil},
		{"rsa-1", "rsa-sha512", []signet.CavageSignerOption{signet.CavageSignatureHeader()}},
		{"rsa-1", "hs2019", nil},
		{"ecdsa-1", "ecdsa-sha256", nil},
		{"ecdsa-1", "hs2019", nil},
		{"ed25519-1", "ed25519", nil},
		{"ed25519-1", "ed25519-sha512", []signet.CavageSignerOption{signet.CavageExpiresIn(time.Minute)}},
		{"ed25519-1", "hs2019", nil},
	}
	now := int64(1_704_067_200)
	for _, tt := range tests {
		for _, body := range []string{"", `{"amount":100}`} {
			t.Run(tt.keyID+"/"+tt.algorithm+"/body="+body, func(t *testing.T) {
				opts := append([]signet.CavageSignerOption{signet.CavageSignAlgorithm(tt.algorithm), clockAt(now)}, tt.opts...)
				signer, err := signet.NewCavageSigner(tt.keyID, cavageKey(t, table[tt.keyID], true), opts...)
				require.NoError(t, err)
				out, err := http.NewRequest("POST", "http://api.example/orders?id=7", strings.NewReader(body))
				require.NoError(t, err)
				require.NoError(t, signer.Sign(out))
				if body != "" {
					assert.Contains(t, out.Header.Get("Authorization")+out.Header.Get("Signature"), "digest")
				}
				verifier, err := signet.NewCavage(keys, clockAt(now+5), signet.CavageDigest(signet.DigestRequire))
				require.NoError(t, err)
				in := serverRequest(out, body)
				res, err := verifier.Verify(context.Background(), signet.FromHTTP(in))
				require.NoError(t, err)
				assert.Equal(t, tt.keyID, res.KeyID)

				in = serverRequest(out, body+" ")
				_, err = verifier.Verify(context.Background(), signet.FromHTTP(in))
				assert.Error(t, err, "a changed body fails")
			})
		}
	}
}

// serverRequest is what a server receives for the signed client request out.
func serverRequest(out *http.Request, body string) *http.Request {
	in, _ := http.NewRequest(out.Method, out.URL.RequestURI(), strings.NewReader(body))
	in.RequestURI, in.Host, in.Header = out.URL.RequestURI(), out.URL.Host, out.Header.Clone()
	return in
}

func TestCavageSignerErrors(t *testing.T) {
	hmacKey := signet.NewHMACKey([]byte("k"))
	hs2019Key, hs2019 := hmacKey, signet.CavageSignAlgorithm("hs2019") // may sign (created) and (expires)
	tests := []struct {
		name  string
		keyID string
		key   *signet.Key
		opts  []signet.CavageSignerOption
		want  string // in the error
	}{
		{"empty key id", "", hmacKey, nil, "cannot be sent"},
		{"quote in key id", `a"b`, hmacKey, nil, "cannot be sent"},
		{"no key", "k", nil, nil, "needs an HMAC key or a private key"},
		{"rsa-sha1 is verify-only", "k", hmacKey, []signet.CavageSignerOption{signet.CavageSignAlgorithm("rsa-sha1")}, `cannot sign with algorithm "rsa-sha1"`},
		{"algorithm of another key type", "k", hmacKey, []signet.CavageSignerOption{signet.CavageSignAlgorithm("rsa-sha256")}, "rsa-sha256 needs an RSA key, not an HMAC secret"},
		{"(created) with hmac-sha256", "k", hmacKey, []signet.CavageSignerOption{signet.CavageExpiresIn(time.Minute)}, "cannot be signed with hmac-sha256: use hs2019"},
		{"api-signature with the Signature header", "k", hmacKey, []signet.CavageSignerOption{signet.DialectAPISignature, signet.CavageSignatureHeader()}, "reads the signature from Authorization only"},
		{"header with a space", "k", hmacKey, []signet.CavageSignerOption{signet.CavageSignHeaders("date", "x date")}, "neither a header name nor (request-target), (created) or (expires)"},
		{"header with a quote", "k", hmacKey, []signet.CavageSignerOption{signet.CavageSignHeaders("date", `x"y`)}, "neither a header name"},
		{"an unclosed pseudo-header", "k", hmacKey, []signet.CavageSignerOption{signet.CavageSignHeaders("date", "(foo")}, "neither a header name"},
		{"a pseudo-header verifiers do not know", "k", hmacKey, []signet.CavageSignerOption{signet.CavageSignHeaders("date", "(keyid)")}, "neither a header name"},
		{"a header twice", "k", hmacKey, []signet.CavageSignerOption{signet.CavageSignHeaders("(request-target)", "date", "Date")}, "lists date twice"},
		{"date not signed", "k", hmacKey, []signet.CavageSignerOption{signet.CavageSignHeaders("host")}, "must include date"},
		{"a connection header", "k", hmacKey, []signet.CavageSignerOption{signet.CavageSignHeaders("date", "connection")}, "cannot sign connection, a connection header"},
		{"unused option", "k", hmacKey, []signet.CavageSignerOption{signet.WithMaxAge(time.Minute)}, "WithMaxAge is not used"},
		{"CavageExpiresIn without (created) or (expires) signed", "k", hs2019Key,
			[]signet.CavageSignerOption{hs2019, signet.CavageExpiresIn(time.Minute), signet.CavageSignHeaders("(request-target)", "host", "date")}, "must list (created) and (expires)"},
		{"CavageExpiresIn without (expires) signed", "k", hs2019Key,
			[]signet.CavageSignerOption{hs2019, signet.CavageExpiresIn(time.Minute), signet.CavageSignHeaders("(created)", "date")}, "must list (created) and (expires)"},
		{"CavageExpiresIn without (created) signed", "k", hs2019Key,
			[]signet.CavageSignerOption{hs2019, signet.CavageExpiresIn(time.Minute), signet.CavageSignHeaders("(expires)", "date")}, "must list (created) and (expires)"},
		{"(created) signed without CavageExpiresIn", "k", hs2019Key,
			[]signet.CavageSignerOption{hs2019, signet.CavageSignHeaders("(request-target)", "(created)", "date")}, "which only CavageExpiresIn sends"},
		{"(expires) signed without CavageExpiresIn", "k", hs2019Key,
			[]signet.CavageSignerOption{hs2019, signet.CavageSignHeaders("(expires)", "date")}, "which only CavageExpiresIn sends"},
		{"api-signature with hs2019", "k", hmacKey, []signet.CavageSignerOption{signet.DialectAPISignature, signet.CavageSignAlgorithm("hs2019")}, "api-signature dialect signs with hmac-sha1"},
		{"api-signature with (created)", "k", hmacKey, []signet.CavageSignerOption{signet.DialectAPISignature,
			signet.CavageSignAlgorithm("hs2019"), signet.CavageExpiresIn(time.Minute)}, "api-signature dialect signs with hmac-sha1"},
		{"authorization signed", "k", hmacKey, []signet.CavageSignerOption{signet.CavageSignHeaders("date", "Authorization")},
			"lists authorization, the header Sign sends the signature in"},
		{"signature signed with CavageSignatureHeader", "k", hmacKey, []signet.CavageSignerOption{signet.CavageSignHeaders("date", "signature"),
			signet.CavageSignatureHeader()}, "lists signature, the header Sign sends the signature in"},
		{"non-ASCII key id", "clé", hmacKey, nil, "is not ASCII"},
		{"comma in key id, api-signature", "a,b", hmacKey, []signet.CavageSignerOption{signet.DialectAPISignature},
			"has a comma, at which the api-signature dialect splits parameters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := signet.NewCavageSigner(tt.keyID, tt.key, tt.opts...)
			assert.ErrorContains(t, err, tt.want)
		})
	}
	// The accepted forms of the same options.
	for _, opts := range [][]signet.CavageSignerOption{
		{hs2019, signet.CavageExpiresIn(time.Minute)},
		{hs2019, signet.CavageExpiresIn(time.Minute), signet.CavageSignHeaders("(request-target)", "(created)", "(expires)", "date")},
		{hs2019, signet.CavageSignHeaders("(request-target)", "host", "date")},
	} {
		signer, err := signet.NewCavageSigner("k", hs2019Key, append(opts, clockAt(1_704_067_200))...)
		require.NoError(t, err)
		r, err := http.NewRequest("GET", "http://h/x", nil)
		require.NoError(t, err)
		assert.NoError(t, signer.Sign(r))
	}
}

// TestCavageSignerAcceptedConfigs: the forms the refusals above leave to
// the signer sign requests the draft verifier accepts.
func TestCavageSignerAcceptedConfigs(t *testing.T) {
	now := int64(1_704_067_200)
	for _, tt := range []struct {
		name, keyID, header string
		opts                []signet.CavageSignerOption
	}{
		{"signature signed, Authorization sent", "k", "Signature", []signet.CavageSignerOption{signet.CavageSignHeaders("date", "signature")}},
		{"authorization signed, Signature sent", "k", "Authorization", []signet.CavageSignerOption{signet.CavageSignHeaders("date", "authorization"),
			signet.CavageSignatureHeader()}},
		{"comma in key id, draft", "a,b", "", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			key := signet.NewHMACKey([]byte("k"))
			signer, err := signet.NewCavageSigner(tt.keyID, key, append(tt.opts, clockAt(now))...)
			require.NoError(t, err)
			out, err := http.NewRequest("GET", "http://h/x", nil)
			require.NoError(t, err)
			if tt.header != "" {
				out.Header.Set(tt.header, "other")
			}
			require.NoError(t, signer.Sign(out))
			verifier, err := signet.NewCavage(staticKeys(t, signet.Secret{ID: tt.keyID, Key: key}), clockAt(now))
			require.NoError(t, err)
			res, err := verifier.Verify(context.Background(), signet.FromHTTP(serverRequest(out, "")))
			require.NoError(t, err)
			assert.Equal(t, tt.keyID, res.KeyID)
		})
	}
}

// TestCavageSignerDraftPeers: in the draft dialect, Sign refuses, before
// changing the request, what http-signature rejects however it is signed:
// an X-Date header with x-date unsigned, several Cookie headers signed.
func TestCavageSignerDraftPeers(t *testing.T) {
	signed := func(names ...string) signet.CavageSignerOption { return signet.CavageSignHeaders(names...) }
	for _, tt := range []struct {
		name   string
		opts   []signet.CavageSignerOption
		header [][2]string
		want   string // in the error; "" for none
	}{
		{"X-Date, default list", nil, [][2]string{{"X-Date", "Mon, 01 Jan 2024 00:00:00 GMT"}}, `add "x-date" to CavageSignHeaders, or remove the header`},
		{"X-Date unsigned", []signet.CavageSignerOption{signed("(request-target)", "date")},
			[][2]string{{"X-Date", "Mon, 01 Jan 2024 00:00:00 GMT"}}, `add "x-date" to CavageSignHeaders, or remove the header`},
		{"X-Date signed", []signet.CavageSignerOption{signed("date", "x-date")}, [][2]string{{"X-Date", "Mon, 01 Jan 2024 00:00:00 GMT"}}, ""},
		{"X-Date, api-signature", []signet.CavageSignerOption{signet.DialectAPISignature},
			[][2]string{{"X-Date", "Mon, 01 Jan 2024 00:00:00 GMT"}}, ""},
		{"two Cookie headers signed", []signet.CavageSignerOption{signed("date", "cookie")},
			[][2]string{{"Cookie", "a=1"}, {"Cookie", "b=2"}}, "send one Cookie header"},
		{"one Cookie header signed", []signet.CavageSignerOption{signed("date", "cookie")}, [][2]string{{"Cookie", "a=1; b=2"}}, ""},
		{"two Cookie headers unsigned", nil, [][2]string{{"Cookie", "a=1"}, {"Cookie", "b=2"}}, ""},
		{"two Cookie headers signed, api-signature", []signet.CavageSignerOption{signet.DialectAPISignature, signed("date", "cookie")},
			[][2]string{{"Cookie", "a=1"}, {"Cookie", "b=2"}}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			signer, err := signet.NewCavageSigner("k", signet.NewHMACKey([]byte("k")), tt.opts...)
			require.NoError(t, err)
			r, err := http.NewRequest("GET", "http://h/x", nil)
			require.NoError(t, err)
			for _, h := range tt.header {
				r.Header.Add(h[0], h[1])
			}
			err = signer.Sign(r)
			if tt.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "signet: "), err.Error())
			assert.Contains(t, err.Error(), tt.want)
			assert.Empty(t, r.Header.Get("Date"), "the request is left unchanged")
			assert.Empty(t, r.Header.Get("Authorization"))
		})
	}
}

// TestCavageSignerHeaders: a client request keeps Content-Length outside
// its headers, and an explicit digest is sent for an empty body too.
func TestCavageSignerHeaders(t *testing.T) {
	key := signet.NewHMACKey([]byte("k"))
	verifier, err := signet.NewCavage(staticKeys(t, signet.Secret{ID: "k", Key: key}))
	require.NoError(t, err)
	for _, tt := range []struct{ body, contentLength string }{{"", ""}, {"twelve bytes", "12"}} {
		headers := []string{"(request-target)", "date", "digest"}
		if tt.contentLength != "" {
			headers = append(headers, "content-length")
		}
		signer, err := signet.NewCavageSigner("k", key, signet.CavageSignHeaders(headers...))
		require.NoError(t, err)
		out, err := http.NewRequest("PUT", "http://h/x", strings.NewReader(tt.body))
		require.NoError(t, err)
		require.NoError(t, signer.Sign(out))
		assert.NotEmpty(t, out.Header.Get("Digest"), "an explicit digest is sent even for an empty body")
		in := serverRequest(out, tt.body)
		if tt.contentLength != "" {
			in.Header.Set("Content-Length", tt.contentLength) // as a server receives it
		}
		_, err = verifier.Verify(context.Background(), signet.FromHTTP(in))
		assert.NoError(t, err, tt.body)
	}
}

// TestCavageSignerNonASCIIHost: net/http sends a non-ASCII host in its
// punycode form, so a signer signing host refuses one and names that form.
func TestCavageSignerNonASCIIHost(t *testing.T) {
	key := signet.NewHMACKey([]byte("k"))
	signer, err := signet.NewCavageSigner("k", key)
	require.NoError(t, err)
	unsigned, err := signet.NewCavageSigner("k", key, signet.CavageSignHeaders("(request-target)", "date"))
	require.NoError(t, err)
	for _, tc := range []struct {
		name, url, host string
		signer          *signet.CavageSigner
		want            string // in the error; "" for none
	}{
		{"URL host", "http://bücher.example/x", "", signer, `sign for "xn--bcher-kva.example"`},
		{"URL host with port", "http://bücher.example:8080/x", "", signer, `sign for "xn--bcher-kva.example:8080"`},
		{"r.Host", "http://10.0.0.1/x", "BÜCHER.example", signer, `sign for "xn--bcher-kva.example"`},
		{"beyond Latin-1", "http://例え.jp/x", "", signer, "punycode (xn--) form"},
		{"punycode", "http://xn--bcher-kva.example/x", "", signer, ""},
		{"host not signed", "http://bücher.example/x", "", unsigned, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := http.NewRequest("GET", tc.url, nil)
			require.NoError(t, err)
			r.Host = cmpOr(tc.host, r.Host)
			err = tc.signer.Sign(r)
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "signet: "), err.Error())
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestCavageSignAlgorithmCase: CavageSignAlgorithm takes a label in any
// case, as key pins do, and sends it lower-cased; rsa-sha1 stays
// verify-only in every case.
func TestCavageSignAlgorithmCase(t *testing.T) {
	now := int64(1_704_067_200)
	key := signet.NewHMACKey([]byte("secret-1"))
	verifier, err := signet.NewCavage(staticKeys(t, signet.Secret{ID: "k", Key: key}), clockAt(now))
	require.NoError(t, err)
	for _, tt := range []struct{ name, sent, verifiedWith string }{
		{"HMAC-SHA256", "hmac-sha256", "hmac-sha256"},
		{"Hmac-Sha512", "hmac-sha512", "hmac-sha512"},
		{"HS2019", "hs2019", "hmac-sha512"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			signer, err := signet.NewCavageSigner("k", key, signet.CavageSignAlgorithm(tt.name), clockAt(now))
			require.NoError(t, err)
			out, err := http.NewRequest("GET", "http://h/x", nil)
			require.NoError(t, err)
			require.NoError(t, signer.Sign(out))
			assert.Contains(t, out.Header.Get("Authorization"), `algorithm="`+tt.sent+`"`)
			res, err := verifier.Verify(context.Background(), signet.FromHTTP(serverRequest(out, "")))
			require.NoError(t, err)
			assert.Equal(t, tt.verifiedWith, res.Algorithm)
		})
	}
	_, err = signet.NewCavageSigner("k", key, signet.CavageSignAlgorithm("RSA-SHA1"))
	assert.ErrorContains(t, err, `cannot sign with algorithm "RSA-SHA1"`)
}
