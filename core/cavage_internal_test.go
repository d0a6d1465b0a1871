package signet

import (
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// FuzzAppendBase64: the fast decoder agrees with encoding/base64.
func FuzzAppendBase64(f *testing.F) {
	for _, s := range []string{"", "AAAA", "QQ==", "QUI=", "QUJD", "QR==", "QUJ=", "A===", "=AAA", "QQ=\n=",
		"QUJD\r\nRA==", "QUJDRA", "-_-_", "QUJDRA==QUJD", "zzzz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, wantErr := base64.StdEncoding.AppendDecode([]byte("x"), []byte(s))
		got, err := appendBase64([]byte("x"), s)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("%q: error %v, want %v", s, err, wantErr)
		}
		if err == nil && string(got) != string(want) {
			t.Fatalf("%q: %x, want %x", s, got, want)
		}
	})
}

// TestSignedNameOf: names (ASCII: cavageNames refuses any other) are
// classified in any case.
func TestSignedNameOf(t *testing.T) {
	for _, name := range []string{"(request-target)", "(Request-Target)", "(created)", "(EXPIRES)", "Host",
		"date", "Date", "dAte", "digest", "x-date", "(request-target", ""} {
		lowered := make([]byte, 0, len(name))
		for i := 0; i < len(name); i++ {
			lowered = append(lowered, lower(name[i]))
		}
		want := nameHeader
		for kind, n := range map[signedName]string{nameRequestTarget: "(request-target)", nameCreated: "(created)",
			nameExpires: "(expires)", nameHost: "host", nameDate: "date"} {
			if strings.EqualFold(name, n) {
				want = kind
			}
		}
		assert.Equal(t, want, signedNameOf(lowered), name)
	}
}

// FuzzParseIMFFixdate: what the fast path accepts, http.ParseTime accepts as
// the same time.
func FuzzParseIMFFixdate(f *testing.F) {
	for _, s := range []string{"Sun, 06 Nov 1994 08:49:37 GMT", "Thu, 01 Jan 1970 00:00:00 GMT", "Mon, 01 Jan 2024 00:00:00 GMT",
		"Thu, 29 Feb 2024 23:59:59 GMT", "Sat, 29 Feb 2025 00:00:00 GMT", "Sun, 06 Nov 1994 08:49:60 GMT",
		"Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 nov 1994 08:49:37 GMT", "Wed, 31 Dec 1969 23:59:59 GMT"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseIMFFixdate(s)
		if !ok {
			return
		}
		want, err := http.ParseTime(s)
		if err != nil || !got.Equal(want) {
			t.Fatalf("%q: %v, http.ParseTime: %v, %v", s, got, want, err)
		}
	})
}

// TestParseIMFFixdateEveryDay checks the fast path takes every day from
// 1970 to 9999 (a date it refused would only fall back to http.ParseTime,
// slower: the fuzz target cannot tell).
func TestParseIMFFixdateEveryDay(t *testing.T) {
	end := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	for d := time.Unix(0, 0).UTC(); d.Before(end); d = d.AddDate(0, 0, 1) {
		at := d.Add(time.Duration(d.Unix()/86400%86400) * time.Second) // a varying time of day
		s := at.Format(http.TimeFormat)
		if got, ok := parseIMFFixdate(s); !ok || !got.Equal(at) {
			t.Fatalf("%s: %v, %v", s, got, ok)
		}
		if d.Day() == 1 && d.Month() == time.January { // a wrong weekday is refused
			wrong := at.Add(24 * time.Hour).Format(http.TimeFormat)[:3] + s[3:]
			if _, ok := parseIMFFixdate(wrong); ok {
				t.Fatalf("%s accepted", wrong)
			}
		}
	}
}

// TestCavageHeaderNamesLowerCased: header names are case-insensitive, so
// the verifier's required names and the signer's list are lower-cased.
func TestCavageHeaderNamesLowerCased(t *testing.T) {
	c, err := newCavageConfig([]CavageOption{CavageRequiredHeaders("Date", "(Request-Target)", "X-Request-ID")})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"date", "(request-target)", "x-request-id"}; !slices.Equal(c.required, want) {
		t.Errorf("required = %q, want %q", c.required, want)
	}
	s, err := NewCavageSigner("k", NewHMACKey([]byte("secret")), CavageSignHeaders("(Request-Target)", "Host", "Date"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.headerList(false), "(request-target) host date"; got != want {
		t.Errorf("headers = %q, want %q", got, want)
	}
}

// TestCavageHeaderNamesChecked: what would break headers= or the challenge
// (a space, a quote, a comma, an unclosed pseudo-header) is refused.
func TestCavageHeaderNamesChecked(t *testing.T) {
	for _, name := range []string{"", "x date", `x"y`, "a,b", "(foo", "foo)", "()", "(a b)"} {
		if _, err := newCavageConfig([]CavageOption{CavageRequiredHeaders(name)}); err == nil {
			t.Errorf("CavageRequiredHeaders(%q) accepted", name)
		}
	}
	for _, name := range []string{"date", "(request-target)", "(created)", "X-Request-ID", "x~y"} {
		if _, err := newCavageConfig([]CavageOption{CavageRequiredHeaders(name)}); err != nil {
			t.Errorf("CavageRequiredHeaders(%q): %v", name, err)
		}
	}
}
