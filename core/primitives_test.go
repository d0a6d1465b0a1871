package signet

import (
	"bufio"
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestAppendUnescapedPath(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"/", "/"},
		{"/a%20b/caf%C3%A9", "/a b/café"},
		{"/a%2Fb", "/a/b"},      // WSGI decodes %2F too
		{"/a+b", "/a+b"},        // '+' is not a space in a path
		{"/%zz/%4", "/%zz/%4"},  // invalid escapes stay as written
		{"/%ff", "/%FF"},        // invalid UTF-8 is re-escaped, as Django does
		{"/caf%C3", "/caf%C3"},  // a truncated sequence too
		{"/%e2%82%ac", "/€"},    // lower-case hex decodes
		{"/%25", "/%"},          // an escaped percent
		{"/ok/\xff", "/ok/%FF"}, // a raw invalid byte
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, string(appendUnescapedPath(nil, tt.raw)), tt.raw)
	}
	assert.Equal(t, "x/a b", string(appendUnescapedPath([]byte("x"), "/a%20b")), "appends")
}

func TestSplitRequestURI(t *testing.T) {
	tests := []struct{ uri, path, query string }{
		{"/a/b?x=1&y", "/a/b", "x=1&y"},
		{"/a?", "/a", ""},
		{"/a", "/a", ""},
		{"/a?b?c", "/a", "b?c"},
		{"/a?q#frag", "/a", "q#frag"}, // as net/http's URL.RawQuery
		{"http://host/p?q=1", "/p", "q=1"},
		{"https://host", "/", ""},
		{"http://host?q", "/", "q"},
		{"http://host?q/r", "/", "q/r"},
		{"*", "*", ""},
		{"", "", ""},
		{"//x/../y", "//x/../y", ""},
		{"HTTP+x.y-z://host/p?q", "/p", "q"},
		{"http://host/p?x=http://other/q", "/p", "x=http://other/q"},
		// net/http's reading, not the first "://" anywhere: a link signed
		// for /public must not open /admin.
		{"http:/admin?x=http://h/public?sig", "/admin", "x=http://h/public?sig"},
		{"http:admin?x=http://h/public?sig", "http:admin", "x=http://h/public?sig"}, // opaque: no path
		{"x/http://h/public?sig", "x/http://h/public", "sig"},                       // no scheme: refused
		{"1http://h/public?sig", "1http://h/public", "sig"},
		{"://h/public?sig", "://h/public", "sig"},
		{"http:", "http:", ""},
	}
	for _, tt := range tests {
		path, query := splitRequestURI(tt.uri)
		assert.Equal(t, tt.path, path, tt.uri)
		assert.Equal(t, tt.query, query, tt.uri)
	}
	allocs := testing.AllocsPerRun(10, func() { splitRequestURI("http://host?q") })
	assert.Zero(t, allocs, "a target with a query and no path")
}

func TestIsBase64Of(t *testing.T) {
	assert.True(t, isBase64Of("k7NyXcBOEdj5OJ+ERMBBLap7FWY9Jjo2P2rmh7RKeMs=", 32))
	assert.False(t, isBase64Of("k7NyXcBOEdj5OJ+ERMBBLap7FWY9Jjo2P2rmh7RKeMs", 32), "unpadded")
	assert.False(t, isBase64Of("k7NyXcBOEdj5OJ-ERMBBLap7FWY9Jjo2P2rmh7RKeMs=", 32), "url-safe")
	assert.False(t, isBase64Of("k7NyXcBOEdj5OJ+ERMBBLap7FWY9Jjo2P2rmh7RKeM==", 32), "padding inside")
	assert.True(t, isBase64Of("iqRfbsCSUAvQ8WvPF9q4g9DARlE=", 20))
	assert.True(t, isBase64Of("AAAA", 3))
}

// FuzzUnescapePath checks the WSGI-style decoder against url.PathUnescape
// wherever that succeeds with valid UTF-8, and that it always yields valid
// UTF-8.
func FuzzUnescapePath(f *testing.F) {
	for _, seed := range []string{"/", "/a%20b/caf%C3%A9", "/a%2Fb", "/%zz", "/%ff", "/a+b", "/%"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got := appendUnescapedPath(nil, raw)
		if !utf8.Valid(got) {
			t.Fatalf("%q decoded to invalid UTF-8 %q", raw, got)
		}
		if want, err := url.PathUnescape(raw); err == nil && utf8.ValidString(want) && string(got) != want {
			t.Fatalf("%q: got %q, url.PathUnescape says %q", raw, got, want)
		}
	})
}

// FuzzSplitRequestURI: splitting never panics; a CONNECT request's path is
// net/http's or no signer's (splitTarget); an origin-form target loses
// nothing but the '?' ('#' is kept, as net/http keeps it); any other target
// that net/http's server accepts splits as it reads it (url.ParseRequestURI)
// or, where it reads no path, into a path that does not start with '/'.
func FuzzSplitRequestURI(f *testing.F) {
	for _, seed := range []string{"/a?b", "http://h/p?q", "*", "/a?q#f", "https://h", "http:/a?x=http://h/b", "http:a", "x/http://h/", "http://h/p?q=1"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, uri string) {
		// A CONNECT request's path, as net/http reads it, or one that is
		// no signer's.
		if r, err := http.ReadRequest(bufio.NewReader(strings.NewReader("CONNECT " + uri + " HTTP/1.1\r\nHost: h\r\n\r\n"))); err == nil && r.RequestURI == uri {
			path, _ := splitTarget(FromHTTP(r))
			if r.URL.Path == "" {
				r.URL.Path = "/" // CONNECT with no target: the view's is "/"
			}
			if decoded, err := url.PathUnescape(path); strings.HasPrefix(path, "/") && (err != nil || decoded != r.URL.Path) {
				t.Fatalf("CONNECT %q: path %q, net/http reads %q", uri, path, r.URL.Path)
			}
		}
		path, query := splitRequestURI(uri)
		if len(uri) > 0 && uri[0] == '/' || uri == "*" || uri == "" {
			joined := path
			if len(path) < len(uri) {
				joined += "?" + query
			}
			if joined != uri {
				t.Fatalf("%q split into %q and %q", uri, path, query)
			}
			return
		}
		u, err := url.ParseRequestURI(uri)
		if err != nil {
			return // net/http refuses it: no handler sees it
		}
		_, rest, _ := strings.Cut(uri, ":")
		if u.Opaque != "" || u.Path == "" && !strings.HasPrefix(rest, "//") { // no authority, no path
			if strings.HasPrefix(path, "/") {
				t.Fatalf("%q, which net/http reads no path from, split into %q and %q", uri, path, query)
			}
			return
		}
		decoded, err := url.PathUnescape(path)
		if u.Path == "" {
			u.Path = "/"
		}
		if err != nil || decoded != u.Path || query != u.RawQuery {
			t.Fatalf("%q split into %q and %q; net/http reads the path %q and the query %q", uri, path, query, u.Path, u.RawQuery)
		}
	})
}

// TestEqualBytes: the word-at-a-time compare agrees with
// subtle.ConstantTimeCompare, a difference in any byte found.
func TestEqualBytes(t *testing.T) {
	for n := 0; n <= 70; n++ {
		a := make([]byte, n)
		for i := range a {
			a[i] = byte(i*7 + 1)
		}
		b := append([]byte(nil), a...)
		assert.True(t, equalBytes(a, b), n)
		assert.False(t, equalBytes(a, append(b, 0)), n)
		for i := range n {
			for _, bit := range []byte{1, 0x80} {
				b[i] ^= bit
				assert.Equal(t, subtle.ConstantTimeCompare(a, b) == 1, equalBytes(a, b), "%d %d", n, i)
				b[i] ^= bit
			}
		}
	}
}

// TestIsToken checks the token table against RFC 9110 §5.6.2's tchar.
func TestIsToken(t *testing.T) {
	const tchar = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	for c := 0; c < 256; c++ {
		s := string([]byte{byte(c)})
		assert.Equal(t, c < 0x80 && strings.Contains(tchar, s), isToken(s), "byte %#x", c)
	}
	assert.False(t, isToken(""))
	assert.True(t, isToken("X-Request-Id"))
	assert.False(t, isToken("X Request"))
}
