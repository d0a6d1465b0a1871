package signet

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// nodeBase64Reference decodes s by the rules of Node's
// Buffer.from(s, "base64") as appendNodeBase64's doc states them, one rule
// a step, with encoding/base64 doing the decoding: the data ends at the
// first '='; a byte of neither alphabet is skipped; the URL-safe '-' and
// '_' are '+' and '/'; padding is optional, and a last lone character
// (6 bits, less than a byte) yields nothing.
func nodeBase64Reference(s string) []byte {
	s, _, _ = strings.Cut(s, "=")
	var kept []byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '-':
			kept = append(kept, '+')
		case c == '_':
			kept = append(kept, '/')
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '+', c == '/':
			kept = append(kept, c)
		}
	}
	if len(kept)%4 == 1 {
		kept = kept[:len(kept)-1]
	}
	out, err := base64.RawStdEncoding.DecodeString(string(kept))
	if err != nil {
		panic(err) // only the alphabet is left, and never a lone last character
	}
	return out
}

// TestAppendNodeBase64 checks the decoder against what Node 20.20.2 gives
// for Buffer.from(s, "base64").toString("hex") (run by hand, not by
// signet), and against the reference.
func TestAppendNodeBase64(t *testing.T) {
	for _, tt := range []struct{ in, node string }{
		{"QUJD", "414243"},
		{"QUJDRA", "41424344"},       // padding optional
		{"QUJDRA==QUJD", "41424344"}, // the first '=' ends the data
		{"QUJ=RA", "4142"},           // even inside a group
		{"QQ", "41"},                 // two characters: one byte
		{"Q", ""},                    // one character: nothing
		{"QUJDR", "414243"},          // a lone last character is dropped
		{"-_-_", "fbffbf"},           // the URL-safe alphabet
		{"+/+/", "fbffbf"},           // the standard one
		{"QU JD\nRA", "41424344"},    // white space skipped
		{"QUJD\u00e9RA", "41424344"}, // non-ASCII skipped
		{"QUJ\x00D", "414243"},       // any other byte skipped
		{"QR==", "41"},               // non-zero trailing bits ignored
		{"=AAA", ""},                 // nothing before the '='
		{"QUJD====", "414243"},       // padding where none is due
		{"QUI", "4142"},
		{"QUJDR=A", "414243"},
	} {
		assert.Equal(t, tt.node, hex.EncodeToString(appendNodeBase64(nil, tt.in)), "%q", tt.in)
		assert.Equal(t, tt.node, hex.EncodeToString(nodeBase64Reference(tt.in)), "reference, %q", tt.in)
	}
}

// FuzzAppendNodeBase64: the fast decoder agrees with the reference, and
// appends to what dst holds.
func FuzzAppendNodeBase64(f *testing.F) {
	for _, s := range []string{"", "QUJD", "QUJDRA==QUJD", "Q", "QUJDR", "-_-_", "QU JD\nRA", "QUJ\x00D", "QR==", "=AAA"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := nodeBase64Reference(s)
		got := appendNodeBase64([]byte("x"), s)
		if string(got) != "x"+string(want) {
			t.Fatalf("%q: %x, want x then %x", s, got, want)
		}
	})
}
