package signet

import (
	"encoding/base64"
	"strings"
	"testing"

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

// TestSignedNameOf: names are classified as strings.EqualFold matches them.
func TestSignedNameOf(t *testing.T) {
	for _, name := range []string{"(request-target)", "(Request-Target)", "(created)", "(EXPIRES)", "Host",
		"hoſt", "HOſT", "date", "Date", "dAte", "digest", "x-date", "(request-target", "", "\xff"} {
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
		assert.Equal(t, want, signedNameOf(lowered, name), name)
	}
}
