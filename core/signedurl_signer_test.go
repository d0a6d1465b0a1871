package signet_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// TestSignedURLSignerConfigErrors: a signer that could only make URLs no
// verifier accepts is refused at construction.
func TestSignedURLSignerConfigErrors(t *testing.T) {
	hmacKey := signet.NewHMACKey([]byte("s"))
	_, edPriv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	edPublic, err := signet.NewPublicKey(edPriv.Public())
	require.NoError(t, err)
	ecPriv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	ecKey, err := signet.NewPrivateKey(ecPriv)
	require.NoError(t, err)
	tests := []struct {
		name    string
		keyID   string
		key     *signet.Key
		opts    []signet.SignedURLOption
		message string
	}{
		{"empty key id", "", hmacKey, nil, "key id"},
		{"key id needing escapes", "a b", hmacKey, nil, "key id"},
		{"key id of 129 characters", strings.Repeat("k", 129), hmacKey, nil, "key id"},
		{"no key", "k1", nil, nil, "HMAC secret or an Ed25519 private key"},
		{"an Ed25519 public key", "k1", edPublic, nil, "HMAC secret or an Ed25519 private key"},
		{"an ECDSA key", "k1", ecKey, nil, "HMAC secret or an Ed25519 private key"},
		{"nil option", "k1", hmacKey, []signet.SignedURLOption{nil}, "nil SignedURLOption"},
		{"a verifier's clock skew", "k1", hmacKey, []signet.SignedURLOption{signet.WithClockSkew(time.Second)}, "WithClockSkew is not used by the signedurl signer"},
		{"a nonce store", "k1", hmacKey, []signet.SignedURLOption{signet.WithNonceStore(&memoryNonces{})}, "WithNonceStore is not used"},
		{"algorithms: the key decides", "k1", hmacKey, []signet.SignedURLOption{signet.WithAlgorithms("ed25519")}, "WithAlgorithms is not used"},
		{"a TTL under a second", "k1", hmacKey, []signet.SignedURLOption{signet.SignedURLTTL(time.Millisecond)}, "shorter than a second"},
		{"a TTL over the maximum", "k1", hmacKey, []signet.SignedURLOption{signet.WithMaxAge(time.Minute), signet.SignedURLTTL(2 * time.Minute)}, "longer than the maximum TTL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := signet.NewSignedURLSigner(tc.keyID, tc.key, tc.opts...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.message)
		})
	}
	edKey, err := signet.NewPrivateKey(edPriv)
	require.NoError(t, err)
	_, err = signet.NewSignedURLSigner("a-Z_0.9~", edKey)
	assert.NoError(t, err, "every unreserved character, an Ed25519 private key")
}

// TestSignedURLSignURL: the shapes of URL a signer takes, and what it
// makes of them.
func TestSignedURLSignURL(t *testing.T) {
	tests := []struct {
		name, method, url string
		opts              []signet.SignedURLOption
		prefix, suffix    string // of the signed URL
	}{
		{"a path", "GET", "/a?x=1", nil, "/a?x=1&sn-kid=k1&sn-iat=1700000000&sn-exp=1700000300&sn-sig=", ""},
		{"a bare '?'", "GET", "https://example.com/a?", nil, "https://example.com/a?sn-kid=k1&", ""},
		{"no path", "GET", "https://example.com?x", nil, "https://example.com/?x&sn-kid=", ""},
		{"upper-case scheme and host kept as written", "GET", "HTTPS://EXAMPLE.COM/A", nil, "HTTPS://EXAMPLE.COM/A?sn-kid=", ""},
		{"a fragment kept, escaped like a query", "GET", "https://example.com/a#b c#d?/'", nil, "https://example.com/a?sn-kid=", "#b%20c%23d?/%27"},
		{"an empty fragment kept", "GET", "https://example.com/a#", nil, "https://example.com/a?sn-kid=", "#"},
		{"no method when unbound", "", "/a", []signet.SignedURLOption{signet.SignedURLBindMethod(false)}, "/a?sn-kid=", ""},
		{"a path with a public origin", "GET", "/a", []signet.SignedURLOption{signet.SignedURLOrigin("https://example.com")}, "/a?sn-kid=", ""},
		{"escapes written in lower case kept", "GET", "/%c3%bc?q=%2f", nil, "/%c3%bc?q=%2f&sn-kid=", ""},
		{"what clients escape, escaped", "GET", "/a b\"<>\\^`{|}?q=' \"<>{}", nil, "/a%20b%22%3C%3E%5C%5E%60%7B%7C%7D?q=%27%20%22%3C%3E%7B%7D&sn-kid=", ""},
		{"a control character escaped", "GET", "/a\tb", nil, "/a%09b?sn-kid=", ""},
		{"dots inside segments are fine", "GET", "/a.b/..c/.../x.", nil, "/a.b/..c/.../x.?sn-kid=", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newSignedURLFixture(t, tc.opts...)
			signed, err := f.signer.SignURL(tc.method, tc.url, 5*time.Minute)
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(signed, tc.prefix), "%s does not start with %s", signed, tc.prefix)
			assert.True(t, strings.HasSuffix(signed, tc.suffix), "%s does not end with %s", signed, tc.suffix)

			target, _, _ := strings.Cut(signed, "#")
			if i := strings.Index(target, "://"); i >= 0 {
				target = "/" + strings.SplitN(target[i+3:], "/", 2)[1]
			}
			method := tc.method
			if method == "" {
				method = "POST"
			}
			r := signedURLServerRequest(method, "https", "example.com", target)
			_, err = f.verifier(t, tc.opts...).Verify(context.Background(), signet.FromHTTP(r))
			assert.NoError(t, err)
		})
	}
}

// TestSignedURLSignURLErrors: what SignURL refuses, and says why.
func TestSignedURLSignURLErrors(t *testing.T) {
	f := newSignedURLFixture(t)
	for _, tc := range []struct{ name, method, url, message string }{
		{"no method", "", "/a", `"" is not a method`},
		{"a method that is not a token", "GE T", "/a", "is not a method"},
		{"a method browsers upper-case", "get", "/a", `browsers send the method "get" as GET`},
		{"another one", "Delete", "/a", "sign DELETE"},
		{"not a URL", "GET", "example.com/a", "neither an absolute http(s) URL nor a path"},
		{"a dot segment", "GET", "/a/../b", "dot segment"},
		{"an invalid escape", "GET", "/a%zz", "invalid percent-escape"},
		{"a reserved parameter", "GET", "/a?sn-kid=x", "sn-"},
		// sorted as written, %61=2&a=1: the reordered URL, whose a is 2 to
		// a handler, would verify too
		{"a name spelled two ways", "GET", "/a?a=1&%61=2", `spells the parameter "a" as "a" and as "%61"`},
		{"a name spelled two ways, '+'", "GET", "/a?a+b=1&a%20b=2", `as "a+b" and as "a%20b"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.signer.SignURL(tc.method, tc.url, time.Minute)
			assert.ErrorContains(t, err, tc.message)
		})
	}
	_, err := f.signer.SignURL("GET", "/a?a=1&a=2&%62=3&%62=4", time.Minute)
	assert.NoError(t, err, "names repeated as written")
	_, err = f.signer.SignURL("purge", "/a", time.Minute)
	assert.NoError(t, err, "a method browsers do not normalise is signed as written")
	unbound := newSignedURLFixture(t, signet.SignedURLBindMethod(false))
	_, err = unbound.signer.SignURL("get", "/a", time.Minute)
	assert.NoError(t, err, "an unsigned method is not checked")

	// Under SignedURLOrigin, an absolute URL on another origin would carry a
	// signature bound to the configured one: it could not verify where it
	// points. The origin is compared as the verifier normalises it.
	origin := newSignedURLFixture(t, signet.SignedURLOrigin("https://files.example.com"))
	for _, rawURL := range []string{"https://other.example.com/x", "http://files.example.com/x", "https://files.example.com:8443/x"} {
		_, err := origin.signer.SignURL("GET", rawURL, time.Minute)
		assert.ErrorContains(t, err, "is not on https://files.example.com, the origin the URL is signed for", rawURL)
	}
	for _, rawURL := range []string{"/x", "https://files.example.com/x", "HTTPS://Files.Example.COM:443/x?a=1"} {
		_, err := origin.signer.SignURL("GET", rawURL, time.Minute)
		assert.NoError(t, err, rawURL)
	}
}

// TestSignedURLSignerTTL: whole seconds from the current second, at most
// the maximum TTL.
func TestSignedURLSignerTTL(t *testing.T) {
	now := time.Unix(signedAtUnix, 999_999_999) // late in the second
	signer, err := signet.NewSignedURLSigner("k1", signet.NewHMACKey([]byte("s")), fixedClock(now),
		signet.WithMaxAge(time.Hour))
	require.NoError(t, err)
	signed, err := signer.SignURL("GET", "/a", 90*time.Second+900*time.Millisecond)
	require.NoError(t, err)
	assert.Contains(t, signed, "sn-iat=1700000000&sn-exp=1700000090&", "rounded down")
	_, err = signer.SignURL("GET", "/a", time.Hour)
	assert.NoError(t, err)
	_, err = signer.SignURL("GET", "/a", time.Hour+time.Second)
	assert.ErrorContains(t, err, "longer than the maximum TTL")
}

// TestSignedURLSignRequest: the signer as a signet.Signer signs the URL an
// outgoing request will be sent with; the server's view verifies.
func TestSignedURLSignRequest(t *testing.T) {
	key := signet.NewHMACKey([]byte(testSecret))
	opts := []signet.SignedURLOption{signet.SignedURLBindOrigin()}
	signer, err := signet.NewSignedURLSigner("k1", key, append(opts, signet.SignedURLTTL(time.Minute),
		fixedClock(signedAt))...)
	require.NoError(t, err)
	var _ signet.Signer = signer
	keys := staticKeys(t, signet.Secret{ID: "k1", Key: key})
	verifier, err := signet.NewSignedURL(keys, append(opts, fixedClock(signedAt))...)
	require.NoError(t, err)

	for _, tc := range []struct{ name, method, url, host string }{
		{"plain", "GET", "https://api.example.com/v1/items?b=2&a=1", ""},
		{"raw bytes in the query", "GET", "https://api.example.com/s?q=ü x&t='", ""},
		{"escaped path", "DELETE", "https://api.example.com/a%2Fb/c d", ""},
		{"Host overriding the URL's", "GET", "http://10.0.0.1:8080/x", "API.example.com"},
		{"no path", "GET", "https://api.example.com", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := http.NewRequest(tc.method, tc.url, nil)
			require.NoError(t, err)
			r.Host = tc.host
			require.NoError(t, signer.Sign(r))
			assert.Contains(t, r.URL.RawQuery, "sn-exp=1700000060&sn-sig=")
			host := r.Host
			if host == "" {
				host = r.URL.Host
			}
			in := signedURLServerRequest(tc.method, r.URL.Scheme, host, r.URL.RequestURI())
			res, err := verifier.Verify(context.Background(), signet.FromHTTP(in))
			require.NoError(t, err, "target %s", in.RequestURI)
			assert.Equal(t, "k1", res.KeyID)

			in.Method = "PATCH"
			_, err = verifier.Verify(context.Background(), signet.FromHTTP(in))
			assert.ErrorIs(t, err, signet.ErrInvalidSignature)
		})
	}

	r, _ := http.NewRequest("GET", "https://api.example.com/a?sn-kid=x", nil)
	assert.ErrorContains(t, signer.Sign(r), "already has sn- parameters")
	r, _ = http.NewRequest("GET", "mailto:someone@example.com", nil)
	assert.Error(t, signer.Sign(r))
}

// viaNetHTTP is the server's view of the outgoing request r: r written by
// net/http's client (HTTP/1.1) and read back by net/http's server, so the
// Host is what net/http sends (punycode, no IPv6 zone) byte for byte.
func viaNetHTTP(t *testing.T, r *http.Request) *http.Request {
	t.Helper()
	var wire bytes.Buffer
	require.NoError(t, r.Write(&wire))
	in, err := http.ReadRequest(bufio.NewReader(&wire))
	require.NoError(t, err, "net/http's server refuses %q", wire.String())
	if r.URL.Scheme == "https" {
		in.TLS = &tls.ConnectionState{}
	}
	return in
}

// requireSignedURLHostVerifies checks that the signed URL verifies as Go's
// client and as browsers send it: browsers must accept it, and both Hosts
// must verify.
func requireSignedURLHostVerifies(t *testing.T, v *signet.SignedURL, signed string) {
	t.Helper()
	r, err := http.NewRequest("GET", signed, nil)
	require.NoError(t, err)
	in := viaNetHTTP(t, r)
	_, err = v.Verify(context.Background(), signet.FromHTTP(in))
	require.NoError(t, err, "%s sent by net/http with Host %q", signed, in.Host)

	host, err := signet.BrowserHost(signed)
	require.NoError(t, err, "browsers refuse %s", signed)
	in.Host = host
	_, err = v.Verify(context.Background(), signet.FromHTTP(in))
	require.NoError(t, err, "%s sent by a browser with Host %q", signed, host)
}

// TestSignedURLSignURLOriginHosts: with the origin bound to the request's,
// a URL's host is signed, so the signer takes only hosts in the form every
// client sends (browsers send the WHATWG form of the host, net/http sends
// it as written) and its error names the form to sign; that form signs and
// verifies as both send it.
func TestSignedURLSignURLOriginHosts(t *testing.T) {
	opts := []signet.SignedURLOption{signet.SignedURLBindOrigin()}
	f := newSignedURLFixture(t, opts...)
	v := f.verifier(t, opts...)
	tests := []struct {
		name, url string
		message   string // of the error; "" when it signs
		instead   string // the URL to sign according to the error
	}{
		{"a name", "http://example.com/p", "", ""},
		{"upper case and the default port", "HTTPS://Example.COM:443/p", "", ""},
		{"http's default port", "http://example.com:80/p", "", ""},
		{"another port", "http://example.com:8080/p", "", ""},
		{"port 0", "http://example.com:0/p", "", ""},
		{"port 65535", "http://example.com:65535/p", "", ""},
		{"a trailing dot", "http://example.com./p", "", ""},
		{"an underscore", "http://a_b.example.com/p", "", ""},
		{"punycode", "http://xn--bcher-kva.example/p", "", ""},
		{"IPv4", "http://127.0.0.1:8080/p", "", ""},
		{"IPv6", "http://[::1]/p", "", ""},
		{"IPv6 in upper case", "http://[2001:DB8::A]:8443/p", "", ""},
		{"IPv4-mapped IPv6, hex", "http://[::ffff:102:304]/p", "", ""},

		{"non-ASCII", "http://bücher.example/p", `is not ASCII, and clients send it in its punycode form: sign "xn--bcher-kva.example"`, "http://xn--bcher-kva.example/p"},
		{"non-ASCII with a port", "http://Bücher.example:8080/p", `sign "xn--bcher-kva.example:8080"`, "http://xn--bcher-kva.example:8080/p"},
		{"non-ASCII outside Latin-1", "http://例え.jp/p", "punycode (xn--) form", ""},
		{"an empty port", "http://example.com:/p", "the port is empty", "http://example.com/p"},
		{"an empty port after IPv6", "http://[::1]:/p", "the port is empty", "http://[::1]/p"},
		{"a leading zero", "https://example.com:0443/p", "has a leading zero, which some clients send and browsers drop: write 443", "https://example.com:443/p"},
		{"zeros only", "http://example.com:00/p", "has a leading zero", "http://example.com:0/p"},
		{"a port over 65535", "http://example.com:99999/p", "the port 99999 is over 65535", ""},
		{"a port of 65536", "http://example.com:65536/p", "over 65535", ""},
		{"IPv6 not compressed", "http://[0:0::1]/p", `browsers send the host "[0:0::1]" as "[::1]", and net/http as written: sign "[::1]"`, "http://[::1]/p"},
		{"IPv6 zero run not compressed", "http://[2001:db8:0:0:0:0:0:1]:81/p", `sign "[2001:db8::1]:81"`, "http://[2001:db8::1]:81/p"},
		{"IPv6 with leading zeros", "http://[::0001]/p", `sign "[::1]"`, "http://[::1]/p"},
		{"IPv4-mapped IPv6, dotted", "http://[::FFFF:1.2.3.4]/p", `sign "[::ffff:102:304]"`, "http://[::ffff:102:304]/p"},
		{"an IPv6 zone", "http://[fe80::1%25eth0]:8080/p", `has an IPv6 zone`, "http://[fe80::1]:8080/p"},
		{"IPv4, short", "http://127.1/p", `sign "127.0.0.1"`, "http://127.0.0.1/p"},
		{"IPv4, hex", "http://0x7F.0.0.1:8080/p", `sign "127.0.0.1:8080"`, "http://127.0.0.1:8080/p"},
		{"IPv4, octal", "http://0177.0.0.1/p", `sign "127.0.0.1"`, "http://127.0.0.1/p"},
		{"IPv4 with a trailing dot", "http://127.0.0.1./p", `sign "127.0.0.1"`, "http://127.0.0.1/p"},
		{"IPv4 out of range", "http://256.0.0.1/p", "browsers refuse the host \"256.0.0.1\", which is not a valid IPv4 address", ""},
		{"invalid punycode", "http://xn--99999999999999.example/p", "browsers refuse the host", ""},
		{"a character neither sends", "http://a<b.example/p", "has a '<'", ""},
		{"a character net/http does not send", "http://a\"b.example/p", `has a '"', which net/http does not send`, ""},
		{"sub-delims", "http://a!$&'()*+,;=b.example/p", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			signed, err := f.signer.SignURL("GET", tc.url, time.Minute)
			if tc.message == "" {
				require.NoError(t, err)
				requireSignedURLHostVerifies(t, v, signed)
				return
			}
			require.Error(t, err, "signed %s", signed)
			assert.Contains(t, err.Error(), tc.message)
			if tc.instead != "" {
				signed, err := f.signer.SignURL("GET", tc.instead, time.Minute)
				require.NoError(t, err, "the form the error asks for")
				requireSignedURLHostVerifies(t, v, signed)
			}
		})
	}

	// Unbound, the host is not signed: any form the URL parser takes signs,
	// but a port over 65535, which no client sends.
	f = newSignedURLFixture(t)
	for _, u := range []string{"http://[0:0::1]/p", "http://example.com:/p", "https://example.com:0443/p", "http://127.1/p"} {
		_, err := f.signer.SignURL("GET", u, time.Minute)
		assert.NoError(t, err, u)
	}
	_, err := f.signer.SignURL("GET", "http://example.com:99999/p", time.Minute)
	assert.ErrorContains(t, err, "the port 99999 is over 65535")
	_, err = f.signer.SignURL("GET", "http://bücher.example/p", time.Minute)
	assert.ErrorContains(t, err, "punycode")
}

// TestSignedURLSignRequestOriginHosts: Sign, with the origin bound, signs
// the Host net/http sends, and refuses a Host that net/http would change
// (a non-ASCII name it converts to punycode, an IPv6 zone it drops over
// HTTP/1.1 and keeps over HTTP/2) or that browsers and proxies may send in
// another form; the request made as the error says verifies.
func TestSignedURLSignRequestOriginHosts(t *testing.T) {
	opts := []signet.SignedURLOption{signet.SignedURLBindOrigin()}
	f := newSignedURLFixture(t, opts...)
	v := f.verifier(t, opts...)
	tests := []struct {
		name, url, host string
		message         string // of the error; "" when it signs
		insteadHost     string // the Host to set according to the error
	}{
		{"a name", "http://api.example.com/p", "", "", ""},
		{"https, with the default port", "https://API.example.com:443/p?x=1", "", "", ""},
		{"IPv6 with a port", "http://[::1]:8080/p", "", "", ""},
		{"a Host overriding the URL's", "http://10.0.0.1:8080/p", "Api.Example.com", "", ""},
		{"non-ASCII", "http://bücher.example/p", "", `the request's Host: the host "bücher.example" is not ASCII, and clients send it in its punycode form: sign "xn--bcher-kva.example"`, "xn--bcher-kva.example"},
		{"a non-ASCII Host", "http://10.0.0.1/p", "bücher.example:8080", `sign "xn--bcher-kva.example:8080"`, "xn--bcher-kva.example:8080"},
		{"an IPv6 zone", "http://[fe80::1%25eth0]:8080/p", "", `set its Host to "[fe80::1]:8080"`, "[fe80::1]:8080"},
		{"IPv6 not compressed", "http://[0:0:0:0:0:0:0:1]/p", "", `sign "[::1]"`, "[::1]"},
		{"a leading zero", "http://example.com:08080/p", "", "write 8080", "example.com:8080"},
		{"an empty port, which http.NewRequest drops", "http://example.com:/p", "", "", ""},
		{"a Host with an empty port", "http://example.com/p", "example.com:", "the port is empty", "example.com"},
		{"a port over 65535", "http://example.com:70000/p", "", "over 65535", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := http.NewRequest("GET", tc.url, nil)
			require.NoError(t, err)
			r.Host = tc.host
			err = f.signer.Sign(r)
			if tc.message != "" {
				require.Error(t, err, "signed %s", r.URL)
				assert.Contains(t, err.Error(), tc.message)
				assert.NotContains(t, r.URL.RawQuery, "sn-", "a refused request is left as it was")
				if tc.insteadHost == "" {
					return
				}
				r.Host = tc.insteadHost
				require.NoError(t, f.signer.Sign(r), "the Host the error asks for")
			} else {
				require.NoError(t, err)
			}
			in := viaNetHTTP(t, r)
			_, err = v.Verify(context.Background(), signet.FromHTTP(in))
			require.NoError(t, err, "sent with Host %q", in.Host)
		})
	}
}

// TestSignedURLSignerLengthLimit: the signer signs a URL whose
// request-target is exactly as long as verifiers read, and refuses one byte
// more; the '&' before the sn- parameters counts only after a query.
func TestSignedURLSignerLengthLimit(t *testing.T) {
	signer, err := signet.NewSignedURLSigner("k1", signet.NewHMACKey([]byte("secret")), fixedClock(signedAt))
	require.NoError(t, err)
	probe, err := signer.SignURL("GET", "/x", time.Minute)
	require.NoError(t, err)
	params := len(probe) - len("/x?") // the sn- parameters
	for _, query := range []string{"", "a=1"} {
		sep := 0
		if query != "" {
			sep = 1
		}
		pathLen := 16384 - len("?") - len(query) - sep - params
		base := "/" + strings.Repeat("p", pathLen-1)
		if query != "" {
			base += "?" + query
		}
		signed, err := signer.SignURL("GET", base, time.Minute)
		require.NoError(t, err, "query %q", query)
		assert.Len(t, signed, 16384)
		_, err = signer.SignURL("GET", "/p"+base, time.Minute)
		assert.ErrorContains(t, err, "too long to sign", "query %q", query)
	}
}
