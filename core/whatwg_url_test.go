package signet

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// normalizeURL is appendWHATWGURL for tests.
func normalizeURL(s string) (string, error) {
	b, err := appendWHATWGURL(nil, s)
	return string(b), err
}

// TestWHATWGURLSpecTable checks every case spec/signway.md §7 lists as
// confirmed against the url crate 2.3.1 that Signway uses.
func TestWHATWGURLSpecTable(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"https://github.com", "https://github.com/"},
		{"HTTPS://GitHub.COM:443", "https://github.com/"},
		{"http://example.com:80/a", "http://example.com/a"},
		{"http://example.com:8080", "http://example.com:8080/"},
		{"https://example.com/a/./b/../c", "https://example.com/a/c"},
		{"https://example.com/a b?q=x y&z=ä#fr ag", "https://example.com/a%20b?q=x%20y&z=%C3%A4#fr%20ag"},
		{"https://example.com/a{b}|c^d`e\"f<g>", "https://example.com/a%7Bb%7D|c^d%60e%22f%3Cg%3E"},
		{"https://example.com/?a{b}|c^d`e\"f<g>h'i", "https://example.com/?a{b}|c^d`e%22f%3Cg%3Eh%27i"},
		{"https://example.com/it's(1)!*~?a='b'&c=(d)", "https://example.com/it's(1)!*~?a=%27b%27&c=(d)"},
		{"https://example.com/%7e%41?x=%2f", "https://example.com/%7e%41?x=%2f"},
		{`https://example.com\a\b`, "https://example.com/a/b"},
		{"https://user:pa ss@example.com/", "https://user:pa%20ss@example.com/"},
		{"https://EXAMPLE.com./", "https://example.com./"},
		{"https://bücher.example/", "https://xn--bcher-kva.example/"},
		{"https://example.com/?", "https://example.com/?"},
		{"https://example.com/#", "https://example.com/#"},
		{" https://example.com/x ", "https://example.com/x"},
		{"https://example.com/a\tb", "https://example.com/ab"},
		{"http://0x7f.1/", "http://127.0.0.1/"},
		{"https://[::1]:443/", "https://[::1]/"},
		{"ftp://example.com", "ftp://example.com/"},
		{"https://example.com/%zz", "https://example.com/%zz"},
		// The vectors' proxy URLs.
		{"HTTPS://API.Example.COM:443/v1/./chat/../search?q=hello world&lang=ä", "https://api.example.com/v1/search?q=hello%20world&lang=%C3%A4"},
		{"https://api.openai.com/v1/chat/completions", "https://api.openai.com/v1/chat/completions"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := normalizeURL(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

// TestWHATWGURL covers the rest of the supported subset, rule by rule.
func TestWHATWGURL(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		// Scheme, slashes and authority.
		{"https:example.com", "https://example.com/"},
		{`https:\\\example.com//x`, "https://example.com//x"},
		{"wss://h:443/", "wss://h/"},
		{"ws://h:443/", "ws://h:443/"},
		{"ftp://h:21/", "ftp://h/"},
		{"http://h:0080/", "http://h/"},
		{"http://h:/", "http://h/"},
		{"http://h:65535/", "http://h:65535/"},
		{"h+t.t-p://", ""}, // not special: rejected below
		{"https://a@b@c/", "https://a%40b@c/"},
		{"https://:@h/", "https://h/"},
		{"https://user:@h/", "https://user@h/"},
		{"https://:pw@h/", "https://:pw@h/"},
		{"https://u:p:q@h/", "https://u:p%3Aq@h/"},
		{"https://@h/", "https://h/"},
		{"https://ü;=[]^|@h/", "https://%C3%BC%3B%3D%5B%5D%5E%7C@h/"},
		// Hosts.
		{"https://EX%41MPLE.com/", "https://example.com/"},
		{"https://xn--bcher-kva.example/", "https://xn--bcher-kva.example/"},
		{"https://XN--BCHER-KVA.example/", "https://xn--bcher-kva.example/"},
		{"https://BÜCHER.example/", "https://xn--bcher-kva.example/"},
		{"https://b%C3%BCcher.example/", "https://xn--bcher-kva.example/"},
		{"https://münchen.de/", "https://xn--mnchen-3ya.de/"},
		{"https://ÿ.example/", "https://xn--wda.example/"},
		{"https://a_b.example/", "https://a_b.example/"},
		{"http://127.0.0.1./", "http://127.0.0.1/"},
		{"http://1.2.3/", "http://1.2.0.3/"},
		{"http://4294967295/", "http://255.255.255.255/"},
		{"http://0300.0250.01.1/", "http://192.168.1.1/"},
		{"http://0x/", "http://0.0.0.0/"},
		{"http://[2001:DB8:0:0::7]/", "http://[2001:db8::7]/"},
		{"http://[0:0:0:0:0:0:0:0]/", "http://[::]/"},
		{"http://[1:0:0:2:0:0:0:3]/", "http://[1:0:0:2::3]/"},
		{"http://[1:0:0:2:0:0:3:4]/", "http://[1::2:0:0:3:4]/"},
		{"http://[1:2:3:4:5:6:7::]/", "http://[1:2:3:4:5:6:7:0]/"},
		{"http://[::ffff:1.2.3.4]/", "http://[::ffff:102:304]/"},
		{"http://[::1]:8080/x", "http://[::1]:8080/x"},
		// Paths.
		{"https://h", "https://h/"},
		{"https://h?x", "https://h/?x"},
		{"https://h#x", "https://h/#x"},
		{"https://h/a/..", "https://h/"},
		{"https://h/a/../", "https://h/"},
		{"https://h/a/.", "https://h/a/"},
		{"https://h/a/b/..", "https://h/a/"},
		{"https://h/..", "https://h/"},
		{"https://h/../../a", "https://h/a"},
		{"https://h//..", "https://h/"},
		{"https://h/a/%2e%2E/b/%2E/c", "https://h/b/c"},
		{"https://h/a/.%2e", "https://h/"},
		{"https://h/a/%2e.", "https://h/"},
		{"https://h/a/...", "https://h/a/..."},
		{"https://h/a/..b", "https://h/a/..b"},
		{"https://h/a/..?q", "https://h/?q"},
		{"https://h/a//b/", "https://h/a//b/"},
		{"https://h/%2F/%2f", "https://h/%2F/%2f"},
		{"https://h/a+b;c=d,e", "https://h/a+b;c=d,e"},
		{"https://h/\x01\x7f", "https://h/%01%7F"},
		{"https://h/日本", "https://h/%E6%97%A5%E6%9C%AC"},
		// Query and fragment.
		{"https://h/?a=1&a=2&b=&&c", "https://h/?a=1&a=2&b=&&c"},
		{"https://h/?q=a+b%2Bc", "https://h/?q=a+b%2Bc"},
		{"https://h/?#", "https://h/?#"},
		{"https://h/?a?b", "https://h/?a?b"},
		{"https://h/#a#b`<>\"'", "https://h/#a#b%60%3C%3E%22'"},
		{"https://h/#\x00x", "https://h/#%00x"},
		{"https://h/?\x00x", "https://h/?%00x"},
		// An xn-- label is only checked to be Punycode: the url crate also
		// rejects one that decodes to a disallowed code point (xn--a is
		// U+0080); signet accepts it (see docs/schemes/signway.md).
		{"https://xn--a/", "https://xn--a/"},
		{"  \x00https://h/\x1f ", "https://h/"},
		{"https://h/\r\na\nb", "https://h/ab"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := normalizeURL(tc.in)
			if tc.want == "" {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			if isWHATWGNormal(tc.in) {
				assert.Equal(t, tc.in, got, "the fast path agrees")
			}
			again, err := normalizeURL(got)
			require.NoError(t, err)
			assert.Equal(t, got, again, "normalising twice changes nothing")
		})
	}
}

// TestWHATWGURLRejected lists what the normaliser refuses, with why.
func TestWHATWGURLRejected(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want error
	}{
		{"", errURLRelative},
		{"/just/a/path", errURLRelative},
		{"example.com/x", errURLRelative},
		{"1http://h/", errURLRelative},
		{"ht tp://h/", errURLRelative},
		{"data:text/plain,hi", errURLScheme},
		{"file:///etc/passwd", errURLScheme},
		{"mailto:a@b", errURLScheme},
		{"foo://h/", errURLScheme},
		{"https://", errURLEmptyHost},
		{"https:///", errURLEmptyHost},
		{"https://user@/x", errURLEmptyHost},
		{"https://:80/", errURLEmptyHost},
		{"https://h:8o/", errURLPort},
		{"https://h:65536/", errURLPort},
		{"https://h:1:2/", errURLPort},
		{"https://a b/", errURLHostChar},
		{"https://a%20b/", errURLHostChar},
		{"https://a%2Fb/", errURLHostChar},
		{"https://a<b/", errURLHostChar},
		{"https://a|b/", errURLHostChar},
		{"https://a^b/", errURLHostChar},
		{"https://a%25b/", errURLHostChar},
		{"https://%00/", errURLHostChar},
		{"https://a[b]/", errURLHostChar},
		{"https://[::1/", errURLIPv6},
		{"https://[::1]x/", errURLIPv6},
		{"https://[1:2:3:4:5:6:7:8:9]/", errURLIPv6},
		{"https://[1::2::3]/", errURLIPv6},
		{"https://[::ffff:1.2.3.04]/", errURLIPv6},
		{"https://[::ffff:1.2.3]/", errURLIPv6},
		{"https://[12345::]/", errURLIPv6},
		{"https://[:1]/", errURLIPv6},
		{"https://[]/", errURLIPv6},
		{"http://1.2.3.4.5/", errURLIPv4},
		{"http://256.1.1.1/", errURLIPv4},
		{"http://1.2.3.256/", errURLIPv4},
		{"http://example.123/", errURLIPv4},
		{"http://foo.0x/", errURLIPv4},
		{"http://09/", errURLIPv4},
		{"http://4294967296/", errURLIPv4},
		{"https://xn--a_b/", errURLIDNA},
		{"https://xn--99999999999/", errURLIDNA},
		{"https://xn--ü/", errURLIDNA},
		{"https://b%FFcher/", errURLIDNA},
		{"https://日本.example/", errURLIDNAScope},
		{"https://straße.example/", errURLIDNAScope},
		{"https://a。b/", errURLIDNAScope},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := normalizeURL(tc.in)
			assert.ErrorIs(t, err, tc.want, "got %q", got)
		})
	}
}

// TestWHATWGURLParsesWithNetURL checks that every normalised URL is one
// net/url reads back with the same scheme, host and port, which is what a
// Go gateway forwarding to it relies on.
func TestWHATWGURLParsesWithNetURL(t *testing.T) {
	for _, in := range []string{
		"HTTPS://API.Example.COM:443/v1/./chat/../search?q=hello world&lang=ä#x y",
		"http://[2001:DB8::7]:8080/a b",
		"https://u:p w@h/%7e?a=%2F#f",
		"http://0x7f.1/",
	} {
		got, err := normalizeURL(in)
		require.NoError(t, err)
		u, err := url.Parse(got)
		require.NoError(t, err, got)
		assert.Equal(t, got, u.String())
	}
}

// TestIsWHATWGNormal checks the fast path: it recognises the usual signed
// proxy URLs, and never claims a URL the normaliser changes.
func TestIsWHATWGNormal(t *testing.T) {
	for _, s := range []string{
		"https://github.com/", "https://api.openai.com/v1/chat/completions", "https://postman-echo.com/get?param=1",
		"http://example.com:8080/a%20b?q=x%20y&z=%C3%A4#fr%20ag", "https://example.com/it's(1)!*~?a=%27b%27&c=(d)",
		"https://example.com/?", "https://example.com/#", "ws://h:443/", "https://a_b.example./x/..y/.z",
	} {
		assert.True(t, isWHATWGNormal(s), s)
		got, err := normalizeURL(s)
		require.NoError(t, err)
		assert.Equal(t, s, got)
	}
	for _, s := range []string{
		"https://github.com", "HTTPS://github.com/", "https://GitHub.com/", "https://h:443/", "https://h:/", "https://h:08080/",
		"https://u@h/", "https://[::1]/", "http://127.0.0.1/", "https://xn--bcher-kva.example/", "https://h/a/../b",
		"https://h/./b", "https://h/%2e/", "https://h/a b", `https://h/a\b`, "https://h/?a'b", "https://h/#a`b",
		" https://h/", "https://h/\x7f", "https:/h/", "foo://h/", "https://h?x", "https://bücher.example/",
	} {
		assert.False(t, isWHATWGNormal(s), s)
	}
}
