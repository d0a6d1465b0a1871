package signet

import (
	"strings"
	"testing"

	"github.com/signet-go/signet/core/internal/vectors"
)

// appendAPISignatureParams appends p as npm api-signature 0.2.11 writes and
// reads parameters: name="value" parts joined by ',', the value as it is
// (api-signature unescapes nothing: it takes what follows `="` up to the
// part's last character), headers only when p has it. A value holds no ','
// (the parser splits on every one), so this form reads back as p.
func appendAPISignatureParams(dst []byte, p cavageParams) []byte {
	add := func(name, value string) {
		if len(dst) > 0 {
			dst = append(dst, ',')
		}
		dst = append(append(append(append(dst, name...), `="`...), value...), '"')
	}
	add("keyId", p.keyID)
	add("algorithm", p.algorithm)
	if p.hasHeaders {
		add("headers", p.headers)
	}
	add("signature", p.signature)
	return dst
}

// FuzzAPISignatureParams: the api-signature parser never panics, and what it
// parses formats, in api-signature's own form, into a header that parses
// back to the same parameters. Seeded from the Authorization headers of
// api-signature.json and the parser's odd cases.
func FuzzAPISignatureParams(f *testing.F) {
	all, _, err := vectors.APISignatureVectors()
	if err != nil {
		f.Fatal(err)
	}
	for _, v := range all {
		if value, ok := strings.CutPrefix(v.Request.Headers["authorization"], "Signature "); ok {
			f.Add(value)
		}
	}
	for _, s := range []string{
		`keyId="`,                  // shorter than `="` and a closing character: substring swaps its bounds
		`keyId=""`,                 // empty
		`KEYID="a",keyId="b"`,      // case-insensitive, the later wins
		` keyId="a"`,               // the name is not trimmed: unknown
		`keyId=a,signature="x=",,`, // no `="`: dropped
		`keyId="a="b"`,             // the first `="` cuts
		`headers="",created="1",expires="2"`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parseAPISignatureParams(s)
		if err != nil {
			return
		}
		if p.created != "" || p.expires != "" {
			t.Fatalf("%q: api-signature knows no created or expires, yet %+v", s, p)
		}
		formatted := string(appendAPISignatureParams(nil, p))
		again, err := parseAPISignatureParams(formatted)
		if err != nil {
			t.Fatalf("%q parsed, but its formatting %q does not: %v", s, formatted, err)
		}
		if again != p {
			t.Fatalf("%q: %+v formatted as %q parses as %+v", s, p, formatted, again)
		}
	})
}
