package signet_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// outgoingSigners are signers at a fixed clock, to compare what each signs
// for two requests.
func outgoingSigners(t *testing.T) map[string]signet.Signer {
	t.Helper()
	key := signet.NewHMACKey([]byte("secret"))
	now := int64(1_704_067_200)
	cavage, err := signet.NewCavageSigner("k", key, clockAt(now))
	require.NoError(t, err)
	sa, err := signet.NewSASigningSigner(key, clockAt(now),
		signet.SASigningFields(signet.FieldMethod, signet.FieldPath, signet.FieldTimestamp), signet.SASigningDelimiter("\n"))
	require.NoError(t, err)
	signedURL, err := signet.NewSignedURLSigner("k", key, clockAt(now))
	require.NoError(t, err)
	signway, err := signet.NewSignwaySigner("k", key, "https://gw.example/", clockAt(now))
	require.NoError(t, err)
	return map[string]signet.Signer{"cavage": cavage, "sasigning": sa, "signedurl": signedURL, "signway": signway}
}

// signedParts is what a signer put on r: its URL and headers (a nil map
// as an empty one).
func signedParts(r *http.Request) (string, http.Header) {
	if r.Header == nil {
		return r.URL.String(), http.Header{}
	}
	return r.URL.String(), r.Header
}

// TestSignerEmptyMethod: net/http sends a request with an empty Method as
// GET, so every signer signs it as GET, byte for byte.
func TestSignerEmptyMethod(t *testing.T) {
	for name, signer := range outgoingSigners(t) {
		t.Run(name, func(t *testing.T) {
			get, err := http.NewRequest("GET", "http://api.example/orders?id=7", nil)
			require.NoError(t, err)
			require.NoError(t, signer.Sign(get))
			empty := &http.Request{URL: mustURL(t, "http://api.example/orders?id=7"), Header: http.Header{}}
			require.NoError(t, signer.Sign(empty), "an empty method is GET")
			wantURL, wantHeader := signedParts(get)
			gotURL, gotHeader := signedParts(empty)
			assert.Equal(t, wantURL, gotURL)
			assert.Equal(t, wantHeader, gotHeader)
		})
	}
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	require.NoError(t, err)
	return u
}

// TestSignerNilHeader: a request built without a Header map is signed as
// one with an empty map, without a panic.
func TestSignerNilHeader(t *testing.T) {
	for name, signer := range outgoingSigners(t) {
		t.Run(name, func(t *testing.T) {
			want := &http.Request{Method: "GET", URL: mustURL(t, "http://api.example/x"), Header: http.Header{}}
			require.NoError(t, signer.Sign(want))
			got := &http.Request{Method: "GET", URL: mustURL(t, "http://api.example/x")}
			require.NotPanics(t, func() { require.NoError(t, signer.Sign(got)) })
			wantURL, wantHeader := signedParts(want)
			gotURL, gotHeader := signedParts(got)
			assert.Equal(t, wantURL, gotURL)
			assert.Equal(t, wantHeader, gotHeader)
		})
	}
}

// TestSignerNoURL: a request without a URL, which net/http cannot send, is
// an error, never a panic.
func TestSignerNoURL(t *testing.T) {
	pysigned, err := signet.NewPysignedSigner(signet.NewHMACKey([]byte(strings.Repeat("k", 64))))
	require.NoError(t, err)
	signers := outgoingSigners(t)
	signers["pysigned"] = pysigned
	for name, signer := range signers {
		t.Run(name, func(t *testing.T) {
			r := &http.Request{Method: "GET", Header: http.Header{}}
			require.NotPanics(t, func() { assert.Error(t, signer.Sign(r)) })
		})
	}
}

// TestSignerErrors: a request a signer cannot sign gets a signer's error,
// prefixed signet:, keeping its kind, and not the advice a verifier sends
// its client.
func TestSignerErrors(t *testing.T) {
	key := signet.NewHMACKey([]byte("secret"))
	newSA := func(opts ...signet.SASigningOption) signet.Signer {
		s, err := signet.NewSASigningSigner(key, append(opts, signet.SASigningDelimiter("\n"))...)
		require.NoError(t, err)
		return s
	}
	cavage, err := signet.NewCavageSigner("k", key, signet.CavageSignHeaders("(request-target)", "date", "x-client"))
	require.NoError(t, err)
	for _, tc := range []struct {
		name   string
		signer signet.Signer
		kind   error // nil: any
		want   string
	}{
		{"cavage missing header", cavage, signet.ErrMissingHeader, "x-client"},
		{"sasigning time before 1970", newSA(signet.SASigningFields(signet.FieldPath, signet.FieldTimestamp),
			fixedClock(time.Unix(-1, 0))), nil, "unix seconds"},
		{"sasigning outside the mount", newSA(signet.SASigningMount("/api")), nil, `"/x" is outside the prefix "/api"`},
		{"sasigning missing content type", newSA(signet.SASigningFields(signet.FieldContentType)), signet.ErrMissingHeader, "Content-Type"},
		{"sasigning missing header", newSA(signet.SASigningFields("header:X-Client")), signet.ErrMissingHeader, "X-Client"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := http.NewRequest("GET", "http://api.example/x", nil)
			require.NoError(t, err)
			err = tc.signer.Sign(r)
			require.Error(t, err)
			msg := err.Error()
			assert.True(t, strings.HasPrefix(msg, "signet: "), msg)
			assert.Contains(t, msg, tc.want)
			assert.NotContains(t, msg, "send the ")
			assert.NotContains(t, msg, "this server")
			if tc.kind != nil {
				assert.ErrorIs(t, err, tc.kind)
			}
		})
	}
}

// TestSignersRefuseHostsNotSent: a host net/http would not send as it is (an
// IPv6 zone it drops, a host it sends empty) is refused by the signers that
// sign the host, as the signed-URL signer refuses it.
func TestSignersRefuseHostsNotSent(t *testing.T) {
	key := signet.NewHMACKey([]byte(strings.Repeat("k", 64)))
	cavage, err := signet.NewCavageSigner("k", key)
	require.NoError(t, err)
	pysigned, err := signet.NewPysignedSigner(key)
	require.NoError(t, err)
	for _, host := range []string{"[fe80::1%25eth0]:8080", "[fe80::1%eth0]", "api example.com", "unix/var/run/x.sock"} {
		for name, signer := range map[string]signet.Signer{"cavage": cavage, "pysigned": pysigned} {
			r, err := http.NewRequest("GET", "http://api.example/x", nil)
			require.NoError(t, err)
			r.Host = host
			assert.ErrorContains(t, signer.Sign(r), "is not sent as it is", "%s, %q", name, host)
		}
	}
}

// TestSignerUserAgentAsSent: net/http sends the first User-Agent value, and
// none for "": a signer signs what is sent.
func TestSignerUserAgentAsSent(t *testing.T) {
	key := signet.NewHMACKey([]byte("secret"))
	verifier, err := signet.NewCavage(staticKeys(t, signet.Secret{ID: "k", Key: key}))
	require.NoError(t, err)
	signer, err := signet.NewCavageSigner("k", key, signet.CavageSignHeaders("(request-target)", "host", "date", "user-agent"))
	require.NoError(t, err)
	assert.NoError(t, verifiedAtServer(t, verifier, signer, http.Header{"User-Agent": {"first", "second"}}))

	r, err := http.NewRequest("GET", "http://api.example/x", nil)
	require.NoError(t, err)
	r.Header["User-Agent"] = []string{""}
	assert.ErrorContains(t, signer.Sign(r), "user-agent", "not sent: nothing to sign")
}

// verifiedAtServer sends a GET with header, signed by signer, to a server
// on 127.0.0.1, and returns what v answered there.
func verifiedAtServer(t *testing.T, v signet.Verifier, signer signet.Signer, header http.Header) error {
	t.Helper()
	verified := make(chan error, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		_, err := v.Verify(r.Context(), signet.FromHTTP(r))
		verified <- err
	}))
	defer srv.Close()
	r, err := http.NewRequest("GET", srv.URL+"/x", nil)
	require.NoError(t, err)
	r.Header = header
	require.NoError(t, signer.Sign(r))
	resp, err := srv.Client().Do(r)
	require.NoError(t, err)
	resp.Body.Close()
	return <-verified
}

// TestSignerHeaderValuesAsSent: net/http sends header values trimmed, so a
// signer signs them so (SASigning signed them as set); a signed Cookie with
// several values, which an HTTP/2 server joins otherwise than an HTTP/1.1
// one, is refused.
func TestSignerHeaderValuesAsSent(t *testing.T) {
	key := signet.NewHMACKey([]byte("secret"))
	opts := []signet.SASigningOption{signet.SASigningFields("path", "header:X-A", "header:Cookie"), signet.SASigningDelimiter("\n")}
	verifier, err := signet.NewSASigning(staticKeys(t, signet.Secret{ID: "k", Key: key}), opts...)
	require.NoError(t, err)
	signer, err := signet.NewSASigningSigner(key, opts...)
	require.NoError(t, err)
	assert.NoError(t, verifiedAtServer(t, verifier, signer, http.Header{"X-A": {" padded\t", "two "}, "Cookie": {"a=1; b=2"}}))

	r, err := http.NewRequest("GET", "http://api.example/x", nil)
	require.NoError(t, err)
	r.Header = http.Header{"X-A": {"a"}, "Cookie": {"a=1", "b=2"}}
	assert.ErrorContains(t, signer.Sign(r), "several Cookie headers")
}

// TestSignerHeaderSpellings: net/http sends every key of the header map, so
// a key not in canonical form (r.Header["x-custom"]) beside a signed header
// would reach the server as values the signature does not cover (Date: a
// second one beside the signer's): the signers refuse it. Another header's
// spelling is no concern of theirs.
func TestSignerHeaderSpellings(t *testing.T) {
	key := signet.NewHMACKey([]byte("secret"))
	cavage, err := signet.NewCavageSigner("k", key, signet.CavageSignHeaders("(request-target)", "date", "x-custom"))
	require.NoError(t, err)
	sa, err := signet.NewSASigningSigner(key, signet.SASigningFields("path", "header:X-Custom"), signet.SASigningDelimiter("\n"))
	require.NoError(t, err)
	signway, err := signet.NewSignwaySigner("k", key, "https://gw.example/", signet.SignwaySignHeaders("X-Custom"))
	require.NoError(t, err)
	for name, signer := range map[string]signet.Signer{"cavage": cavage, "sasigning": sa, "signway": signway} {
		for _, tt := range []struct {
			header http.Header
			refuse bool
		}{
			{http.Header{"X-Custom": {"a"}, "x-custom": {"b"}}, true},
			{http.Header{"X-Custom": {"a"}, "x-other": {"b"}}, false},
		} {
			r, err := http.NewRequest("GET", "https://api.example/x", nil)
			require.NoError(t, err)
			r.Header = tt.header
			if err := signer.Sign(r); tt.refuse {
				assert.ErrorContains(t, err, `hold "x-custom"`, name)
			} else {
				assert.NoError(t, err, name)
			}
		}
	}
	r, err := http.NewRequest("GET", "https://api.example/x", nil)
	require.NoError(t, err)
	r.Header = http.Header{"date": {"Mon, 01 Jan 2024 00:00:00 GMT"}, "X-Custom": {"a"}}
	assert.ErrorContains(t, cavage.Sign(r), `hold "date"`)
}
