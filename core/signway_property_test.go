package signet

import (
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// signwayGen generates random Signway inputs: proxy URLs with unicode,
// %2F, '+', ';', repeated and empty parameters, fragments, odd hosts and
// ports; ids, headers and bodies.
type signwayGen struct{ r *rand.Rand }

func (g signwayGen) pick(s ...string) string { return s[g.r.IntN(len(s))] }

func (g signwayGen) text(pieces []string, max int) string {
	var b strings.Builder
	for range g.r.IntN(max + 1) {
		b.WriteString(pieces[g.r.IntN(len(pieces))])
	}
	return b.String()
}

var (
	genPathPieces = []string{"a", "Z", "0", "-", ".", "..", "%2F", "%2f", "%2e", "+", ";", "=", ",", "é", "日本", "😀",
		" ", "%zz", "%", "{", "}", "|", "^", "`", "'", "!", "*", "(", ")", "~", "\"", "<", ">", "@", ":", "$", "&", "\t"}
	genQueryPieces    = append([]string{"=", "&", "&&", "?", "/", "%2B", "x=1", "x=", "=y", "x=1&x=2"}, genPathPieces...)
	genFragmentPieces = append([]string{"#", "?", "/"}, genPathPieces...)
)

// proxy returns a random absolute URL the normaliser accepts.
func (g signwayGen) proxy() string {
	var b strings.Builder
	b.WriteString(g.pick("http", "https", "HTTPS", "ws", "wss", "ftp", "hTTp"))
	b.WriteString(g.pick("://", "://", ":", ":///", `:\\`))
	b.WriteString(g.pick("", "", "", "user@", "user:pa ss@", ":pw@", "ü@", "a@b@"))
	switch g.r.IntN(6) {
	case 0:
		b.WriteString(g.pick("127.0.0.1", "0x7f.1", "10.0.0.1.", "4294967295"))
	case 1:
		b.WriteString(g.pick("[::1]", "[2001:DB8:0:0::7]", "[::ffff:1.2.3.4]"))
	default:
		for range g.r.IntN(3) {
			b.WriteString(g.text([]string{"a", "B", "3", "-", "x", "ü"}, 5) + "q.")
		}
		b.WriteString(g.pick("example", "EXAMPLE", "bücher", "com", "xn--bcher-kva"))
		b.WriteString(g.pick("", "", ".", ".com"))
	}
	b.WriteString(g.pick("", "", ":80", ":443", ":8080", ":0", ":"))
	for range g.r.IntN(4) {
		b.WriteString(g.pick("/", "/", `\`))
		b.WriteString(g.text(genPathPieces, 4))
	}
	if g.r.IntN(2) == 0 {
		b.WriteString("?" + g.text(genQueryPieces, 6))
	}
	if g.r.IntN(3) == 0 {
		b.WriteString("#" + g.text(genFragmentPieces, 4))
	}
	return b.String()
}

func (g signwayGen) id() string {
	return "k" + g.text([]string{"a", "Z", "9", " ", "+", "&", "=", "%", "é", "~", ".", "_", "-", "%2F", ";"}, 6)
}

func (g signwayGen) url() SignwayURL {
	expiry, _ := strconv.ParseUint(g.pick("0", "1", "60", "3600", "4294967295"), 10, 32)
	u := SignwayURL{
		Method: g.pick("GET", "POST", "PUT", "patch", "DELETE"),
		Proxy:  g.proxy(),
		Expiry: time.Duration(expiry) * time.Second,
	}
	for i := range g.r.IntN(4) {
		name := g.pick("X-Foo", "content-type", "Accept", "X-Api-Key", "x_under") + strconv.Itoa(i)
		value := g.pick("", " padded ", "a;b", "application/json", "\tt\t", "x=y, z", strings.Repeat("v", 80))
		u.Headers = append(u.Headers, SignwayHeader{Name: name, Value: value})
	}
	if g.r.IntN(2) == 0 {
		u.SignBody = true
		u.Body = []byte(g.text([]string{"{", "}", "\"a\"", ":", "1", "é", "日本", "\n", " "}, 10))
	}
	return u
}

// signwayPropertyRequest is the server-side request for a signed URL: the
// signed headers and, for a signed body, the body with its Content-Length.
func signwayPropertyRequest(link string, u SignwayURL) *http.Request {
	r := httptest.NewRequest(u.Method, link, strings.NewReader(string(u.Body)))
	for _, h := range u.Headers {
		r.Header.Add(h.Name, h.Value)
	}
	if u.SignBody {
		r.Header.Set("Content-Length", strconv.Itoa(len(u.Body)))
	}
	return r
}

// signwayPropertySetup returns a signer and a default and a strict
// verifier for id, with the verifiers' clock at the signing time.
func signwayPropertySetup(t *testing.T, id string) (*SignwaySigner, *Signway, *Signway) {
	now := time.Date(2024, 7, 1, 8, 30, 0, 0, time.UTC)
	key := NewHMACKey([]byte("s3cret"))
	keys, err := NewStaticKeys(Secret{ID: id, Key: key})
	require.NoError(t, err)
	clock := WithClock(func() time.Time { return now })
	signer, err := NewSignwaySigner(id, key, "https://gw.example/", clock)
	require.NoError(t, err)
	compatible, err := NewSignway(keys, clock)
	require.NoError(t, err)
	strict, err := NewSignway(keys, clock, SignwayStrict())
	require.NoError(t, err)
	return signer, compatible, strict
}

// TestSignwayRoundTrip signs random URLs and verifies them: both verifiers
// accept every one, and report the signed proxy URL, which is the WHATWG
// normal form of the input (normalising it again changes nothing).
func TestSignwayRoundTrip(t *testing.T) {
	g := signwayGen{rand.New(rand.NewPCG(1, 2))}
	for i := range 1000 {
		id := g.id()
		u := g.url()
		signer, compatible, strict := signwayPropertySetup(t, id)
		signed, err := signer.Presign(u)
		require.NoError(t, err, "%d: %q", i, u.Proxy)
		for _, v := range []*Signway{compatible, strict} {
			res, err := v.Verify(context.Background(), FromHTTP(signwayPropertyRequest(signed.URL, u)))
			require.NoError(t, err, "%d: %q → %s", i, u.Proxy, signed.URL)
			d := res.Details.(*SignwayDetails)
			assert.Equal(t, id, res.KeyID)
			again, err := appendWHATWGURL(nil, d.Proxy)
			require.NoError(t, err)
			assert.Equal(t, d.Proxy, string(again), "normal form is stable")
			assert.Equal(t, u.SignBody, d.BodySigned)
		}
	}
}

// signwaySemantics is what a Signway URL means once parsed the way Signway
// parses it: two queries with the same semantics verify alike.
type signwaySemantics struct {
	ok                           bool
	id, date, proxy, headers     string
	expires                      uint32
	body                         bool
	signature, algorithm, strict string
}

// semanticsOf parses query with the decoder and normaliser the verifier
// uses (each tested on its own) and Signway's rules: last occurrence wins,
// id before the first '/', re-printed expiry, normalised proxy, lower-cased
// de-duplicated header names, body true or not. strict is the whole decoded
// query (what SignwayStrict compares).
func semanticsOf(query string) signwaySemantics {
	var q signwayQuery
	q.scan(query)
	var scratch []byte
	decoded := func(i int) string { return formDecoded(&scratch, q.raw[i]) }
	s := signwaySemantics{ok: true}
	for _, n := range q.count[:swSignature] {
		s.ok = s.ok && n > 0
	}
	var full []string
	for _, piece := range strings.Split(query, "&") {
		if piece != "" {
			name, value, _ := strings.Cut(piece, "=")
			full = append(full, string(appendFormDecoded(nil, name))+"="+string(appendFormDecoded(nil, value)))
		}
	}
	s.strict = strings.Join(full, "&")
	s.signature, s.algorithm = decoded(swSignature), decoded(swAlgorithm)
	s.id, _, _ = strings.Cut(decoded(swCredential), "/")
	s.date = decoded(swDate)
	var ok bool
	s.expires, ok = parseU32(decoded(swExpires))
	s.ok = s.ok && ok && s.id != ""
	if _, ok := parseSignwayDate(s.date); !ok {
		s.ok = false
	}
	proxy, err := appendWHATWGURL(nil, decoded(swProxy))
	s.ok = s.ok && err == nil
	s.proxy = string(proxy)
	var names []string
	for _, n := range strings.Split(decoded(swSignedHeaders), ";") {
		if n = strings.ToLower(n); n != "" && !contains(names, n) {
			names = append(names, n)
		}
	}
	s.headers = strings.Join(names, ";")
	s.body = decoded(swBody) == "true"
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestSignwayByteFlips flips every byte of the signed part (the query) of
// random signed URLs. The strict verifier accepts a flipped URL exactly when
// its form-decoded query is unchanged (e.g. %2F → %2f), and rejects every
// other flip. The default verifier accepts it exactly when it means the same
// to Signway (semanticsOf) apart from X-Sw-Algorithm, which Signway ignores:
// e.g. a changed letter case in the proxy's scheme or host, an upper-case
// X-Sw-SignedHeaders name, X-Sw-Body=falsE.
func TestSignwayByteFlips(t *testing.T) {
	g := signwayGen{rand.New(rand.NewPCG(3, 4))}
	flips, neutral := 0, 0
	for range 15 {
		id := g.id()
		u := g.url()
		signer, compatible, strict := signwayPropertySetup(t, id)
		link, err := signer.SignURL(u)
		require.NoError(t, err)
		prefix, query, _ := strings.Cut(link, "?")
		want := semanticsOf(query)
		require.True(t, want.ok, link)
		for i := 0; i < len(query); i++ {
			for _, c := range []byte{query[i] ^ 0x20, query[i] ^ 0x01, '%', '&', '=', '+'} {
				if c == query[i] || c <= ' ' || c >= 0x7f || c == '#' {
					continue // not the same byte, and one a request-target can carry
				}
				flipped := query[:i] + string(c) + query[i+1:]
				got := semanticsOf(flipped)
				flips++
				same := got.ok && got.id == want.id && got.date == want.date && got.expires == want.expires &&
					got.proxy == want.proxy && got.headers == want.headers && got.body == want.body &&
					got.signature == want.signature
				if same {
					neutral++
				}
				r := signwayPropertyRequest(prefix+"?"+flipped, u)
				_, err := compatible.Verify(context.Background(), FromHTTP(r))
				assert.Equal(t, same, err == nil, "default, byte %d of %s → %q: %v", i, query, c, err)
				r = signwayPropertyRequest(prefix+"?"+flipped, u)
				_, err = strict.Verify(context.Background(), FromHTTP(r))
				assert.Equal(t, got.strict == want.strict, err == nil, "strict, byte %d of %s → %q: %v", i, query, c, err)
			}
		}
	}
	t.Logf("%d flips, %d meaning the same to Signway", flips, neutral)
	assert.Less(t, neutral*4, flips, "most flips change the meaning")
}

// TestSignwayExpiryBoundaries checks, for random signing times and
// lifetimes, that a URL is valid at X-Sw-Date + X-Sw-Expires and one second
// before, and expired one nanosecond and one second after.
func TestSignwayExpiryBoundaries(t *testing.T) {
	g := rand.New(rand.NewPCG(5, 6))
	key := NewHMACKey([]byte("s"))
	keys, err := NewStaticKeys(Secret{ID: "k", Key: key})
	require.NoError(t, err)
	for range 200 {
		signedAt := time.Unix(g.Int64N(253402300799), 0) // up to 9999-12-31T23:59:59Z
		expiry := uint32(g.Uint32())
		switch g.IntN(4) {
		case 0:
			expiry = 0
		case 1:
			expiry = math.MaxUint32
		case 2:
			expiry %= 100000
		}
		signer, err := NewSignwaySigner("k", key, "http://gw/", WithClock(func() time.Time { return signedAt }))
		require.NoError(t, err)
		link, err := signer.SignURL(SignwayURL{Method: "GET", Proxy: "https://h/", Expiry: time.Duration(expiry) * time.Second})
		require.NoError(t, err)
		deadline := signedAt.Add(time.Duration(expiry) * time.Second)
		for _, tc := range []struct {
			now   time.Time
			valid bool
		}{
			{deadline, true},
			{deadline.Add(-time.Second), true},
			{deadline.Add(time.Nanosecond), false},
			{deadline.Add(time.Second), false},
		} {
			if tc.now.Before(signedAt.Add(-DefaultSignwayClockSkew)) {
				continue // before the signing time: the future-date check applies
			}
			v, err := NewSignway(keys, WithClock(func() time.Time { return tc.now }))
			require.NoError(t, err)
			_, err = v.Verify(context.Background(), FromHTTP(httptest.NewRequest("GET", link, nil)))
			if tc.valid {
				assert.NoError(t, err, "%s + %d s at %v", signedAt, expiry, tc.now)
			} else {
				assert.ErrorIs(t, err, ErrExpired, "%s + %d s at %v", signedAt, expiry, tc.now)
			}
		}
	}
}
