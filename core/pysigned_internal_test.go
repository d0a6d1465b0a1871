package signet

import (
	"crypto"
	"crypto/ed25519"
	"crypto/tls"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/signet-go/signet/core/internal/vectors"
)

// pythonGolden is testdata/pysigned_python.json: what CPython 3.11's own
// functions answer (see testdata/pysigned_python.py).
type pythonGolden struct {
	URLParse []struct {
		In     string   `json:"in"`
		Out    []string `json:"out"`
		GetURL string   `json:"geturl"`
		Error  string   `json:"error"`
	} `json:"urlparse"`
	ParseQSL []struct {
		In  string      `json:"in"`
		Out [][2]string `json:"out"`
	} `json:"parse_qsl"`
	QuotePlus         json.RawMessage `json:"quote_plus"`
	Int               json.RawMessage `json:"int"`
	FromHex           json.RawMessage `json:"fromhex"`
	UnpaddedB64Decode json.RawMessage `json:"unpadded_b64decode"`
}

type goldenCase struct {
	In    string `json:"in"`
	Out   string `json:"out"`
	Error string `json:"error"`
}

func loadPythonGolden(t testing.TB) pythonGolden {
	t.Helper()
	data, err := os.ReadFile("testdata/pysigned_python.json")
	require.NoError(t, err)
	var g pythonGolden
	require.NoError(t, json.Unmarshal(data, &g))
	return g
}

func goldenCases(t testing.TB, raw json.RawMessage) []goldenCase {
	t.Helper()
	var cases []goldenCase
	require.NoError(t, json.Unmarshal(raw, &cases))
	require.NotEmpty(t, cases)
	return cases
}

// TestPyURLGolden checks parsePyURL and its String against urlparse and
// geturl.
func TestPyURLGolden(t *testing.T) {
	for _, c := range loadPythonGolden(t).URLParse {
		u, err := parsePyURL(c.In)
		if c.Error != "" {
			assert.Error(t, err, "%q: urlparse raises %s", c.In, c.Error)
			continue
		}
		if !assert.NoError(t, err, "%q", c.In) {
			continue
		}
		assert.Equal(t, c.Out, []string{u.scheme, u.netloc, u.path, u.params, u.query, u.fragment}, "%q", c.In)
		assert.Equal(t, c.GetURL, u.String(), "%q", c.In)
	}
}

// TestParseQSLGolden checks the parse_qsl clone (nextPyField and
// unquotePlus) against parse_qsl.
func TestParseQSLGolden(t *testing.T) {
	for _, c := range loadPythonGolden(t).ParseQSL {
		assert.Equal(t, c.Out, parseQSL(c.In), "%q", c.In)
	}
}

// parseQSL is parse_qsl(query) with the clone.
func parseQSL(query string) [][2]string {
	q := qsl{query: query}
	got := [][2]string{}
	for i := 0; ; {
		p, next, ok := q.next(i)
		if !ok {
			return got
		}
		i = next
		got = append(got, [2]string{q.str(p.name), q.str(p.value)})
	}
}

func TestQuotePlusGolden(t *testing.T) {
	for _, c := range goldenCases(t, loadPythonGolden(t).QuotePlus) {
		assert.Equal(t, c.Out, string(appendQuotePlus(nil, c.In)), "%q", c.In)
	}
}

func TestPyIntGolden(t *testing.T) {
	for _, c := range goldenCases(t, loadPythonGolden(t).Int) {
		var scratch []byte
		n, ok := parsePyInt(&scratch, c.In)
		if c.Error != "" {
			assert.False(t, ok, "%q: int() raises %s, got %q", c.In, c.Error, n.text)
			continue
		}
		if assert.True(t, ok, "%q", c.In) {
			assert.Equal(t, c.Out, n.text, "%q", c.In)
			assert.Equal(t, c.Out == "0", n.zero)
		}
	}
}

func TestFromHexGolden(t *testing.T) {
	for _, c := range goldenCases(t, loadPythonGolden(t).FromHex) {
		got, lower, ok := appendPyFromHex(nil, c.In)
		if c.Error != "" {
			assert.False(t, ok, "%q", c.In)
		} else if assert.True(t, ok, "%q", c.In) {
			assert.Equal(t, c.Out, hex.EncodeToString(got), "%q", c.In)
			assert.Equal(t, len(c.In) == 128 && strings.ToLower(c.In) == c.In, lower, "%q", c.In)
		}
	}
}

func TestURLSafeB64DecodeGolden(t *testing.T) {
	for _, c := range goldenCases(t, loadPythonGolden(t).UnpaddedB64Decode) {
		got, err := pyURLSafeB64Decode(c.In)
		if c.Error != "" {
			assert.Error(t, err, "%q", c.In)
		} else if assert.NoError(t, err, "%q", c.In) {
			assert.Equal(t, c.Out, hex.EncodeToString(got), "%q", c.In)
		}
	}
}

// TestFromHexLower: lower is set for 128 lower-case digits only.
func TestFromHexLower(t *testing.T) {
	digits := strings.Repeat("0123456789abcdef", 8)
	for _, tc := range []struct {
		in           string
		lower, valid bool
	}{
		{digits, true, true},
		{strings.ToUpper(digits), false, true},
		{digits[:127] + "F", false, true},
		{digits[:127] + "g", false, false},
		{digits[:126] + " 0", false, false},
		{digits[:126] + " 0f", false, true},
	} {
		got, lower, ok := appendPyFromHex(nil, tc.in)
		assert.Equal(t, tc.valid, ok, tc.in)
		assert.Equal(t, tc.lower, lower, tc.in)
		if ok {
			want, _ := hex.DecodeString(strings.ReplaceAll(tc.in, " ", ""))
			assert.Equal(t, want, got)
		}
	}
}

// TestPyIntClamp checks the value an exp compares with the clock.
func TestPyIntClamp(t *testing.T) {
	for _, tc := range []struct {
		in    string
		value int64
	}{
		{"1700000600", 1700000600},
		{"01700000600", 1700000600},
		{"-5", -5},
		{"999999999999999999", maxPyExp},
		{"99999999999999999999999", maxPyExp},
		{"-99999999999999999999999", minPyExp},
		{"253402300799", maxPyExp},
		{"253402300800", maxPyExp},
	} {
		var scratch []byte
		n, ok := parsePyInt(&scratch, tc.in)
		require.True(t, ok, tc.in)
		assert.Equal(t, tc.value, n.value, tc.in)
	}
}

// TestPyDecimal checks pyDecimal's frozen Unicode 14.0 digits against Go's
// tables: on Unicode 15.0 (Go 1.24 to 1.26) they are unicode.Nd but the
// digits 15.0 added (Kawi, Nag Mundari), on any version a subset of it,
// and each run counts from 0 to 9. Digits newer than Python 3.11 are
// refused (Go 1.27's Unicode 17.0 has Garay's, for one).
func TestPyDecimal(t *testing.T) {
	newInUnicode15 := func(r rune) bool { return 0x11F50 <= r && r <= 0x11F59 || 0x1E4F0 <= r && r <= 0x1E4F9 }
	for r := rune(0); r <= unicode.MaxRune; r++ {
		d, ok := pyDecimal(r)
		nd := unicode.Is(unicode.Nd, r)
		if unicode.Version == "15.0.0" && ok != (nd && !newInUnicode15(r)) {
			t.Fatalf("pyDecimal(%U) = %v, Unicode 15.0 less Kawi and Nag Mundari says %v", r, ok, nd)
		}
		if ok && (!nd || d < 0 || d > 9) {
			t.Fatalf("pyDecimal(%U) = %d, %v: not a digit of Go's tables", r, d, ok)
		}
	}
	for _, zero := range pyDigitZeros {
		for i := range rune(10) {
			d, ok := pyDecimal(zero + i)
			require.True(t, ok, "%U", zero+i)
			assert.Equal(t, int(i), d, "%U", zero+i)
		}
	}
	for _, r := range []rune{0x11F50, 0x1E4F0, 0x10D40, 0x1CCF0, 0x0660 - 1, 0x1FBF0 + 10} {
		_, ok := pyDecimal(r)
		assert.False(t, ok, "%U", r)
	}
}

// TestUTF8Subparts pins the replacement rule on the examples of the
// Unicode standard (Table 3-8) and the spec.
func TestUTF8Subparts(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64", "a\uFFFD\uFFFD\uFFFDb\uFFFDc\uFFFD\uFFFDd"},
		{"\xE2\x82", "\uFFFD"},
		{"\xFF\xFE", "\uFFFD\uFFFD"},
		{"\xC3\x28", "\uFFFD("},
		{"\xED\xA0\x80", "\uFFFD\uFFFD\uFFFD"}, // a surrogate
		{"\xF0\x9F\x98\x80", "\U0001F600"},
	} {
		buf := replaceInvalidUTF8([]byte("x"+tc.in), 1)
		assert.Equal(t, "x"+tc.want, string(buf), "%q", tc.in)
	}
}

// TestPysignedVectorMessages rebuilds the message of every sign and every
// verify case of pysigned.json, and the signatures of the signed URLs.
func TestPysignedVectorMessages(t *testing.T) {
	all, table, err := vectors.PysignedVectors()
	require.NoError(t, err)
	for _, v := range all {
		t.Run(v.ID, func(t *testing.T) {
			profile := pysignedProfile{version: Pysigned025, ignore: v.Sign.IgnoreQueryParams}
			u, err := parsePyURL(v.Sign.URL)
			require.NoError(t, err)
			var signed []qsPair
			q := qsl{query: u.query}
			for i := 0; ; {
				p, next, ok := q.next(i)
				if !ok {
					break
				}
				i = next
				if !profile.excluded(q.str(p.name)) {
					signed = append(signed, p)
				}
			}
			msg := appendPysignedMessage(nil, fmt.Sprint(v.Sign.Exp), &u, &q, signed)
			require.Equal(t, v.Sign.Message, string(msg))
			assert.Equal(t, v.Sign.MessageHex, hex.EncodeToString(msg))
			key := table[v.Sign.SigningKey]
			if key.Type == "hmac" {
				secret, _ := hex.DecodeString(key.SecretHex)
				_, tag := NewHMACKey(secret).sumMAC(crypto.SHA512, msg)
				assert.Equal(t, v.Sign.Signature, hex.EncodeToString(tag))
			} else {
				seed, _ := hex.DecodeString(key.SeedHex)
				assert.Equal(t, v.Sign.Signature, hex.EncodeToString(ed25519.Sign(ed25519.NewKeyFromSeed(seed), msg)))
			}

			for i, c := range v.Verify {
				if c.Message == nil {
					continue
				}
				cfg := &pysignedConfig{pysignedProfile: pysignedProfile{version: Pysigned025, ignore: c.IgnoreQueryParams}}
				got, err := verifierMessage(t, cfg, c.URL)
				require.NoError(t, err, "case %d", i)
				assert.Equal(t, *c.Message, got, "case %d: %s", i, c.Note)
			}
		})
	}
}

// verifierMessage is the message a verifier builds for a GET of rawURL,
// sent as a client sends it (without its fragment).
func verifierMessage(t *testing.T, cfg *pysignedConfig, rawURL string) (string, error) {
	rawURL, _, _ = strings.Cut(rawURL, "#")
	scheme, rest, _ := strings.Cut(rawURL, "://")
	end := len(rest)
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		end = i
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.RequestURI, r.Host, r.TLS = rest[end:], rest[:end], nil
	if strings.EqualFold(scheme, "https") {
		r.TLS = &tls.ConnectionState{}
	}
	var u pyURL
	if err := cfg.requestURL(FromHTTP(r), &u); err != nil {
		return "", err
	}
	var st pysignedState
	if err := st.collect(u.query, &cfg.pysignedProfile); err != nil {
		return "", err
	}
	exp, ok := parsePyInt(&st.scratch, st.params.exp)
	require.True(t, ok)
	return string(appendPysignedMessage(nil, exp.text, &u, &st.qsl, st.pairs)), nil
}

// TestDecodeHex8 checks the SWAR decoder (hexLanes, packHex) against a
// byte-by-byte one on every single-byte change of a few digit strings.
func TestDecodeHex8(t *testing.T) {
	check := func(s string) {
		x := binary.LittleEndian.Uint64([]byte(s))
		bad, letter := hexLanes(x)
		upper, w := letter&^(x<<2), packHex(x, letter)
		want, err := hex.DecodeString(s)
		assert.Equal(t, err == nil, bad == 0, "%q", s)
		if err == nil {
			var got [4]byte
			binary.LittleEndian.PutUint32(got[:], w)
			assert.Equal(t, want, got[:], "%q", s)
			assert.Equal(t, strings.ToLower(s) != s, upper != 0, "%q", s)
		}
	}
	for _, base := range []string{"0123abcd", "89efABCD", "00000000", "ffffffff", "FfFfFfFf", "9a9A0f0F"} {
		check(base)
		for i := range 8 {
			for c := range 256 {
				b := []byte(base)
				b[i] = byte(c)
				check(string(b))
			}
		}
	}
}

// TestValidTarget: skipping eight plain bytes at a time finds a tab, CR,
// LF or invalid UTF-8 wherever it is.
func TestValidTarget(t *testing.T) {
	want := func(s string) bool { return !strings.ContainsAny(s, "\t\r\n") && utf8.ValidString(s) }
	for n := range 20 {
		base := strings.Repeat("a", n)
		for i := range n {
			for _, c := range []string{"\t", "\n", "\r", "\x00", "\x0b", "\x0d", "\x0e", "\x7f", "\x80", "\xff", "é", "\xc3", " "} {
				s := base[:i] + c + base[i+1:]
				if got := validTarget(s); got != want(s) {
					t.Fatalf("validTarget(%q) = %v", s, got)
				}
			}
		}
	}
}

// rawFieldCases are queries of one pair, and whether its raw name=value is
// the quote_plus encoding of the decoded pair, which the canonical query
// then copies (the fast path FuzzPysignedRawField checks).
var rawFieldCases = []struct {
	query     string
	canonical bool
}{
	{"a=1", true},
	{"q=hello+world", true},                 // + is a space, written back as +
	{"v=%C3%A9", true},                      // é, escaped in upper-case hex
	{"v=%2B%25%26%3D%2F", true},             // + % & = /, all escaped by quote_plus
	{"a%5Bb%5D=1", true},                    // an escaped name
	{"v=%c3%a9", false},                     // lower-case hex
	{"v=%20", false},                        // a space, written back as +
	{"v=%41", false},                        // A, unreserved: written back as A
	{"v=a/b", false},                        // a raw byte quote_plus escapes
	{"v=a=b", false},                        // a raw =
	{"v=é", false},                          // raw UTF-8
	{"v=%", false},                          // a lone %, written back as %25
	{"v=%zz", false},                        // a bad escape, kept literally
	{"v=%FF", false},                        // invalid UTF-8: U+FFFD
	{"v=%F0%90%80A", false},                 // a truncated sequence, as long as its U+FFFD
	{"v=%E2%82%AC", true},                   // €
	{"k=" + strings.Repeat("a", 40), false}, // a long value is not classified
}

func TestPysignedRawField(t *testing.T) {
	for _, c := range rawFieldCases {
		var st pysignedState
		err := st.collect(c.query, &pysignedProfile{version: Pysigned025})
		require.NoError(t, err)
		require.Len(t, st.pairs, 1, "%q", c.query)
		p := &st.pairs[0]
		assert.Equal(t, c.canonical, p.field.plain, "%q", c.query)
		general := appendQuotePlus(nil, st.str(p.name))
		general = appendQuotePlus(append(general, '='), st.str(p.value))
		assert.Equal(t, string(general), string(st.appendPair(nil, p)), "%q", c.query)
		q := qsl{query: c.query}
		next, _, ok := q.next(0)
		require.True(t, ok)
		assert.Equal(t, p.field, next.field, "%q: collect and next agree", c.query)
	}
}

// TestPysignedStateReusable: the pooled state keeps its buffers and
// forgets the request, its sig, exp and kid included.
func TestPysignedStateReusable(t *testing.T) {
	var st pysignedState
	require.NoError(t, st.collect("a=%41&kid=k&sig=s&exp=1", &pysignedProfile{version: Pysigned028, requireKid: true}))
	require.Equal(t, pysignedParams{sig: "s", exp: "1", kid: "k", hasSig: true, hasExp: true, hasKid: true}, st.params)
	st.exp, st.lowerHex = 1, true
	scratch := cap(st.scratch)
	st = st.reusable()
	assert.Equal(t, pysignedParams{}, st.params)
	assert.Empty(t, st.query)
	assert.Empty(t, st.pairs)
	assert.Empty(t, st.scratch)
	assert.Equal(t, scratch, cap(st.scratch), "the scratch buffer is kept")
	assert.Zero(t, st.exp)
	assert.False(t, st.lowerHex)
}
