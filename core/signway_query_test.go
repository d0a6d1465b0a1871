package signet

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

// TestSignwayQueryScan checks the form decoding of Signway's query parser:
// '+' and %XX, lenient '%', ';' as an ordinary character, decoded names,
// empty pieces skipped and the last occurrence winning.
func TestSignwayQueryScan(t *testing.T) {
	var q signwayQuery
	q.scan("&&X-Sw-Date=1&X%2DSw%2dDate=2&X-Sw-Body&X-Sw-SignedHeaders=a;b%3Bc&X-Sw-Proxy=a+b%zz%2&utm=1&x-sw-date=3&=&X-Sw-Signature==x")
	assert.Equal(t, "2", q.raw[swDate])
	assert.Equal(t, uint8(2), q.count[swDate])
	assert.Equal(t, "", q.raw[swBody])
	assert.Equal(t, uint8(1), q.count[swBody])
	assert.Equal(t, "a;b%3Bc", q.raw[swSignedHeaders])
	assert.Equal(t, "=x", q.raw[swSignature], "split at the first '='")
	assert.True(t, q.other, "utm, x-sw-date (names are case-sensitive) and the empty name")
	var scratch []byte
	assert.Equal(t, "a;b;c", formDecoded(&scratch, q.raw[swSignedHeaders]))
	assert.Equal(t, "a b%zz%2", formDecoded(&scratch, q.raw[swProxy]))
	assert.Equal(t, "a+b", formDecoded(&scratch, "a%2Bb"))
	assert.Equal(t, "%2", formDecoded(&scratch, "%2"))
	assert.Equal(t, "% ", formDecoded(&scratch, "%+"))
	assert.Equal(t, "é", formDecoded(&scratch, "%C3%a9"))
	assert.Equal(t, "a\uFFFDb", formDecoded(&scratch, "a%FFb"))
	assert.Equal(t, "\uFFFD", formDecoded(&scratch, "\xff"), "raw invalid UTF-8 too")
	assert.Equal(t, -1, signwayParam("X-Sw-"+strings.Repeat("%41", 20)))
}

// TestAppendLossyUTF8 checks the replacement of ill-formed UTF-8 with
// U+FFFD per maximal subpart, as Rust's String::from_utf8_lossy does
// (Unicode 15, §3.9, Table 3-8 and the cases around it).
func TestAppendLossyUTF8(t *testing.T) {
	const r = "\uFFFD"
	for in, want := range map[string]string{
		"plain é 日本 😀":                                         "plain é 日本 😀",
		"\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64": "a" + r + r + r + "b" + r + "c" + r + r + "d",
		"\xED\xA0\x80":                                         r + r + r, // a surrogate
		"\xF4\x90\x80\x80":                                     r + r + r + r,
		"\xC0\xAF":                                             r + r,
		"\xE2\x82":                                             r,
		"\xE2\x82A":                                            r + "A",
		"\xF0\x9F\x98":                                         r,
		"\xF0\x9F\x98\x80":                                     "😀",
		"\xFF\xFE":                                             r + r,
		"\xE0\x80\x80":                                         r + r + r,
		"\xE0\xA0\x80":                                         "\u0800",
	} {
		got := string(appendLossyUTF8(nil, []byte(in)))
		assert.Equal(t, want, got, "%q", in)
		assert.True(t, utf8.ValidString(got))
	}
}

// TestAppendSignwayEnc checks the canonical query encoding: RFC 3986
// unreserved kept, everything else %XX upper-case, a space %20.
func TestAppendSignwayEnc(t *testing.T) {
	in := "aZ09-._~ +/%;&=!'()*é"
	assert.Equal(t, "aZ09-._~%20%2B%2F%25%3B%26%3D%21%27%28%29%2A%C3%A9", string(appendSignwayEnc(nil, in)))
	// url.QueryEscape escapes the same set, writing a space as '+'.
	for c := 0; c < 256; c++ {
		s := string([]byte{byte(c)})
		want := strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
		assert.Equal(t, want, string(appendSignwayEnc(nil, s)), "byte %#x", c)
	}
}

// TestNeedsFormDecoding: the word-at-a-time scan finds a '%', a '+' or a
// non-ASCII byte wherever it is.
func TestNeedsFormDecoding(t *testing.T) {
	want := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if s[i] == '%' || s[i] == '+' || s[i] >= 0x80 {
				return true
			}
		}
		return false
	}
	for n := range 20 {
		base := strings.Repeat("a", n)
		if needsFormDecoding(base) {
			t.Fatalf("%q needs no decoding", base)
		}
		for i := range n {
			for _, c := range []byte{'%', '+', 0x80, 0xff, 0xc3, '$', '*', '&', 0x7f, 0x24, 0x2a, 0x2c} {
				s := base[:i] + string([]byte{c}) + base[i+1:]
				if got := needsFormDecoding(s); got != want(s) {
					t.Fatalf("needsFormDecoding(%q) = %v", s, got)
				}
			}
		}
	}
}

func TestAppendCanonicalDecoded(t *testing.T) {
	tests := []struct {
		raw, want string
		canonical bool
	}{
		{"https%3A%2F%2Fpostman-echo.com%2Fpost%3Fparam%3D1", "https://postman-echo.com/post?param=1", true},
		{"", "", true},
		{"a-Z_0.9~", "a-Z_0.9~", true},
		{"%20%25%2B", " %+", true},
		{"https://x", "", false},   // reserved bytes sent as they are
		{"a+b", "", false},         // '+', a space
		{"%3a", "", false},         // lower-case hex
		{"%41", "", false},         // an unreserved byte encoded
		{"%C3%A9", "", false},      // not ASCII
		{"%2", "", false},          // a '%' without two digits
		{"%zz", "", false},         // likewise
		{"%2F%", "", false},        // likewise, at the end
		{"caf\xc3\xa9", "", false}, // raw non-ASCII
		{"%7E", "", false},         // '~' is unreserved
		{"%7F%00%3B", "\x7f\x00;", true},
	}
	for _, tt := range tests {
		got, canonical := appendCanonicalDecoded([]byte("prefix"), tt.raw)
		if canonical != tt.canonical || canonical && string(got) != "prefix"+tt.want {
			t.Errorf("appendCanonicalDecoded(%q) = %q, %v; want %q, %v", tt.raw, got, canonical, tt.want, tt.canonical)
		}
	}
}

// FuzzAppendCanonicalDecoded checks the fast path against the slow one: a
// value it takes decodes as formDecoded decodes it, and appendSignwayEnc
// encodes that back to the value; and it takes every ASCII value that
// round-trips so.
func FuzzAppendCanonicalDecoded(f *testing.F) {
	for _, s := range []string{"https%3A%2F%2Fpostman-echo.com%2Fpost%3Fparam%3D1", "a+b", "%3a", "%41", "%C3%A9", "%2", "%7F%00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		var scratch []byte
		decoded := formDecoded(&scratch, raw)
		roundTrips := string(appendSignwayEnc(nil, decoded)) == raw && asciiOnly(decoded)
		got, canonical := appendCanonicalDecoded(nil, raw)
		if canonical != roundTrips {
			t.Fatalf("%q: canonical %v, but it decodes to %q and back: %v", raw, canonical, decoded, roundTrips)
		}
		if canonical && string(got) != decoded {
			t.Fatalf("%q decodes to %q, not %q", raw, got, decoded)
		}
	})
}

func asciiOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
