package signet

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseCavageParams(t *testing.T) {
	tests := []struct {
		in   string
		want cavageParams
		err  bool
	}{
		{`keyId="k",algorithm="hmac-sha256",headers="date",signature="c2ln"`,
			cavageParams{keyID: "k", algorithm: "hmac-sha256", headers: "date", hasHeaders: true, signature: "c2ln"}, false},
		{` keyId = "k" ,  signature="c2ln" , created=1 ,expires=2 `,
			cavageParams{keyID: "k", signature: "c2ln", created: "1", expires: "2"}, false},
		{`KEYID="a,b",Signature="x",unknown="y"`, cavageParams{keyID: "a,b", signature: "x"}, false},
		{`keyId="say \"hi\"",signature=AAAA==`, cavageParams{keyID: `say "hi"`, signature: "AAAA=="}, false},
		{`keyId="k",keyId="k2"`, cavageParams{}, true},
		{`keyId="",keyId="k"`, cavageParams{}, true}, // given twice, even if empty the first time
		{`headers="",headers="date"`, cavageParams{}, true},
		{`signature=,signature="c2ln"`, cavageParams{}, true},
		{`Created=1,created=`, cavageParams{}, true},
		{`keyId="k`, cavageParams{}, true},
		{`keyId`, cavageParams{}, true},
		{`keyId="k";signature="s"`, cavageParams{}, true},
		{`="k"`, cavageParams{}, true},
		// names found by the '=' after a known name's length, or not
		{`k=yId=v,keyId="k",headers=h`, cavageParams{keyID: "k", headers: "h", hasHeaders: true}, false},
		{`hea=der=x,keyId="k"`, cavageParams{keyID: "k"}, false},
		{`heade=rs,signature=s`, cavageParams{signature: "s"}, false},
		{`keyId ="k",headers= "h"`, cavageParams{keyID: "k", headers: "h", hasHeaders: true}, false},
	}
	for _, tt := range tests {
		got, err := parseCavageParams(tt.in)
		if tt.err {
			assert.Error(t, err, tt.in)
			continue
		}
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
}

// parseCavageParams parses s into new parameters.
func parseCavageParams(s string) (cavageParams, error) {
	var p cavageParams
	err := p.parse(s)
	return p, err
}

func TestParseAPISignatureParams(t *testing.T) {
	got, err := parseAPISignatureParams(`keyId="k", algorithm="hmac-sha256",signature="s",keyid="k2"`)
	require.NoError(t, err)
	assert.Equal(t, cavageParams{keyID: "k2", signature: "s"}, got, "untrimmed names are lost; a later duplicate wins")
	got, _ = parseAPISignatureParams(`keyId="k",created="1",expires="x"`)
	assert.Equal(t, cavageParams{keyID: "k"}, got, "api-signature has no created or expires")
	got, _ = parseAPISignatureParams(`keyId="`)
	assert.Equal(t, `"`, got.keyID, "JavaScript's substring swaps its bounds")
}

// FuzzCavageParams: the draft parser never panics, and what it parses
// formats into a header that parses back to the same parameters.
func FuzzCavageParams(f *testing.F) {
	// Read directly: package signettest imports this one.
	data, err := os.ReadFile("internal/vectors/testdata/vectors/cavage.json")
	if err != nil {
		f.Fatal(err)
	}
	var file struct {
		Vectors []struct {
			Signature struct {
				HeaderValue string `json:"headerValue"`
			} `json:"signature"`
		} `json:"vectors"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		f.Fatal(err)
	}
	for _, v := range file.Vectors {
		value := v.Signature.HeaderValue
		if len(value) > 10 && (value[:10] == "Signature " || value[:10] == "signature ") {
			value = value[10:]
		}
		f.Add(value)
	}
	f.Fuzz(func(t *testing.T, s string) {
		parseAPISignatureParams(s) // must not panic either
		p, err := parseCavageParams(s)
		if err != nil {
			return
		}
		formatted := string(appendCavageParams(nil, p))
		again, err := parseCavageParams(formatted)
		if err != nil {
			t.Fatalf("%q parsed, but its formatting %q does not: %v", s, formatted, err)
		}
		if again != p {
			t.Fatalf("%q: %+v formatted as %q parses as %+v", s, p, formatted, again)
		}
	})
}
