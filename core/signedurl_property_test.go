package signet_test

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// Property tests: random URLs, with the fixed seeds below so that a failure
// replays. Each test states the property it checks.

// urlPieces are what random paths and queries are made of: unicode, %2F,
// '+', ';', spaces, quotes, sub-delims, escapes in both cases.
var urlPieces = []string{
	"a", "Z", "0", "-", ".", "_", "~", "é", "日本", "😀", "%2F", "%2f", "%41", "+", ";", " ", "'", "\"",
	"!", "$", "(", ")", "*", ",", ":", "@", "|", "[", "]", "{", "}", "^", "`", "\\", "<", ">", "%20", "?", "/",
}

// randomSignedURLTarget returns a URL to sign: a path of 0–4 segments, a query of 0–7
// pairs over few names (so names repeat) with empty values, bare names,
// empty segments, and sometimes a fragment.
func randomSignedURLTarget(rng *rand.Rand) string {
	var b strings.Builder
	b.WriteString("https://example.com")
	for range rng.IntN(5) {
		b.WriteByte('/')
		for {
			seg := randomText(rng, 4, "/?#")
			if seg != "." && seg != ".." {
				b.WriteString(seg)
				break
			}
		}
	}
	if rng.IntN(4) > 0 {
		b.WriteByte('?')
		for i := range rng.IntN(8) {
			if i > 0 {
				b.WriteString([]string{"&", "&", "&", "&&"}[rng.IntN(4)])
			}
			b.WriteString([]string{"a", "b", "tag", "A", "é", "x;y", "a+b", "%2F", ""}[rng.IntN(9)])
			switch rng.IntN(4) {
			case 0: // a bare name
			case 1:
				b.WriteByte('=')
			default:
				b.WriteByte('=')
				b.WriteString(randomText(rng, 5, "&#"))
			}
		}
	}
	if rng.IntN(4) == 0 {
		b.WriteString("#frag " + randomText(rng, 3, ""))
	}
	return b.String()
}

// randomText is 0 to n pieces, none containing a byte of avoid.
func randomText(rng *rand.Rand, n int, avoid string) string {
	var b strings.Builder
	for range rng.IntN(n + 1) {
		if p := urlPieces[rng.IntN(len(urlPieces))]; !strings.ContainsAny(p, avoid) {
			b.WriteString(p)
		}
	}
	return b.String()
}

// clientTarget is the request-target Go's client sends for the signed URL
// (and what a browser sends: the signed URL needs no more escaping).
func clientTarget(t *testing.T, signed string) (host, target string) {
	t.Helper()
	u, err := url.Parse(signed)
	require.NoError(t, err, "the signed URL does not parse: %q", signed)
	return u.Host, u.RequestURI()
}

// signedPart is the request-target of signed without scheme, host and
// fragment: every byte of it is signed (with no ignored parameters).
func signedPart(signed string) string {
	s, _, _ := strings.Cut(signed, "#")
	s = s[strings.Index(s, "://")+3:]
	return s[strings.IndexAny(s, "/?"):]
}

type propertyKey struct {
	name     string
	signing  *signet.Key
	verifier *signet.Key
}

func propertyKeys(t *testing.T) []propertyKey {
	priv := ed25519.NewKeyFromSeed([]byte("signet signed-url property seed!"))
	edPriv, err := signet.NewPrivateKey(priv)
	require.NoError(t, err)
	edPub, err := signet.NewPublicKey(priv.Public())
	require.NoError(t, err)
	secret := signet.NewHMACKey([]byte("property-secret"))
	return []propertyKey{{"hmac", secret, secret}, {"ed25519", edPriv, edPub}}
}

// TestSignedURLRoundTrip: every random URL that is signed verifies, after
// the trip through Go's URL parser that a client makes; the signed URL's
// target is exactly the signed path and query; the fragment survives,
// escaped.
func TestSignedURLRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, k := range propertyKeys(t) {
		for _, opts := range [][]signet.SignedURLOption{nil, {signet.SignedURLBindOrigin()}, {signet.SignedURLBindMethod(false), signet.SignedURLIgnoreParams("tag")}} {
			signer, err := signet.NewSignedURLSigner("kid", k.signing, append(opts, fixedClock(signedAt))...)
			require.NoError(t, err)
			v, err := signet.NewSignedURL(staticKeys(t, signet.Secret{ID: "kid", Key: k.verifier}), append(opts, fixedClock(signedAt))...)
			require.NoError(t, err)
			for range 300 {
				raw := randomSignedURLTarget(rng)
				signed, err := signer.SignURL("GET", raw, time.Minute)
				require.NoError(t, err, "%q", raw)
				host, target := clientTarget(t, signed)
				assert.Equal(t, signedPart(signed), target, "Go's client would send other bytes than those signed")
				if _, frag, ok := strings.Cut(raw, "#"); ok {
					u, _ := url.Parse(signed)
					want, err := url.PathUnescape(frag)
					require.NoError(t, err)
					assert.Equal(t, want, u.Fragment, "the fragment, escaped, means what it meant")
				}
				_, err = v.Verify(context.Background(), signet.FromHTTP(signedURLServerRequest("GET", "https", host, target)))
				require.NoError(t, err, "%s: %q signed as %q", k.name, raw, signed)
			}
		}
	}
}

// TestSignedURLByteFlips: changing any one byte of the signed part of a
// signed URL (path, query, sn- parameters included), of its method or of
// its bound origin makes it fail.
func TestSignedURLByteFlips(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	opts := []signet.SignedURLOption{signet.SignedURLBindOrigin()}
	for _, k := range propertyKeys(t) {
		signer, err := signet.NewSignedURLSigner("kid", k.signing, append(opts, fixedClock(signedAt))...)
		require.NoError(t, err)
		v, err := signet.NewSignedURL(staticKeys(t, signet.Secret{ID: "kid", Key: k.verifier}), append(opts, fixedClock(signedAt))...)
		require.NoError(t, err)
		verify := func(method, host, target string) error {
			_, err := v.Verify(context.Background(), signet.FromHTTP(signedURLServerRequest(method, "https", host, target)))
			return err
		}
		flips := 0
		for range 40 {
			signed, err := signer.SignURL("GET", randomSignedURLTarget(rng), time.Minute)
			require.NoError(t, err)
			host, target := clientTarget(t, signed)
			require.NoError(t, verify("GET", host, target))
			for i := range len(target) {
				for _, x := range []byte{0x01, 0x20, 0x80, byte(1 + rng.IntN(255))} {
					b := []byte(target)
					b[i] ^= x
					if err := verify("GET", host, string(b)); err == nil {
						t.Fatalf("%s: byte %d of %q ^ %#x = %q verifies", k.name, i, target, x, b)
					}
					flips++
				}
			}
			for i := range len(host) {
				b := []byte(host)
				b[i] ^= 0x01 // not 0x20: the host is case-insensitive
				assert.Error(t, verify("GET", string(b), target), "host %q", b)
			}
			for i := range 3 {
				b := []byte("GET")
				b[i] ^= byte(1 + rng.IntN(255))
				assert.Error(t, verify(string(b), host, target), "method %q", b)
			}
		}
		assert.Greater(t, flips, 10_000)
	}
}

// TestSignedURLExpiryBoundaries: valid while iat − skew ≤ now ≤ exp,
// exactly, at one-second and one-nanosecond steps.
func TestSignedURLExpiryBoundaries(t *testing.T) {
	f := newSignedURLFixture(t)
	r := f.sign(t, "GET", "https://example.com/t")
	exp := signedAt.Add(5 * time.Minute)
	const skew = 30 * time.Second
	for _, tc := range []struct {
		name string
		now  time.Time
		want error
	}{
		{"now == exp", exp, nil},
		{"exp − 1s", exp.Add(-time.Second), nil},
		{"exp + 1s", exp.Add(time.Second), signet.ErrExpired},
		{"exp + 1ns", exp.Add(time.Nanosecond), signet.ErrExpired},
		{"now == iat", signedAt, nil},
		{"now == iat − skew", signedAt.Add(-skew), nil},
		{"iat − skew + 1s", signedAt.Add(-skew + time.Second), nil},
		{"iat − skew − 1s", signedAt.Add(-skew - time.Second), signet.ErrNotYetValid},
		{"iat − skew − 1ns", signedAt.Add(-skew - time.Nanosecond), signet.ErrNotYetValid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			keys := staticKeys(t, signet.Secret{ID: "k1", Key: f.key})
			v, err := signet.NewSignedURL(keys, signet.WithClockSkew(skew), fixedClock(tc.now))
			require.NoError(t, err)
			_, err = v.Verify(context.Background(), signet.FromHTTP(r))
			if tc.want == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tc.want)
			}
		})
	}
}

// TestSignedURLMaxTTLProperty: for random TTLs and clocks, and at the
// exact bounds of the maximum TTL, a URL is accepted exactly when its
// lifetime and its remaining time are within the maximum TTL and the clock
// is in its window.
func TestSignedURLMaxTTLProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const maxTTL = time.Hour
	key := signet.NewHMACKey([]byte("s"))
	keys := staticKeys(t, signet.Secret{ID: "k", Key: key})
	loose, err := signet.NewSignedURLSigner("k", key, signet.WithMaxAge(24*time.Hour), fixedClock(signedAt))
	require.NoError(t, err)
	check := func(ttl, sinceIAT time.Duration) {
		t.Helper()
		signed, err := loose.SignURL("GET", "https://example.com/m", ttl)
		require.NoError(t, err)
		now := signedAt.Add(sinceIAT)
		v, err := signet.NewSignedURL(keys, signet.WithMaxAge(maxTTL), fixedClock(now))
		require.NoError(t, err)
		_, err = v.Verify(context.Background(), signet.FromHTTP(signedURLRequestFor(t, "GET", signed)))
		exp := signedAt.Add(ttl)
		valid := ttl <= maxTTL && exp.Sub(now) <= maxTTL && !now.After(exp) && !signedAt.After(now.Add(signet.DefaultSignedURLClockSkew))
		assert.Equal(t, valid, err == nil, "ttl %v, now iat%+v: %v", ttl, sinceIAT, err)
	}
	// The bounds at the second, which random draws rarely hit: each of
	// sn-exp − sn-iat and sn-exp − now alone exactly at, and a second past,
	// the maximum.
	check(maxTTL, 0)                        // lifetime == left == max
	check(maxTTL+time.Second, time.Second)  // lifetime == max + 1s, left == max
	check(maxTTL, -time.Second)             // left == max + 1s (sn-iat ahead, within the skew)
	check(maxTTL-time.Second, -time.Second) // left == max
	for range 500 {
		check(time.Duration(1+rng.IntN(7200))*time.Second, time.Duration(rng.IntN(9000)-1000)*time.Second)
	}
}

// TestSignedURLCanonicalQueryProperties: the canonical query of a random
// query is unchanged by reordering pairs of different names and by empty
// segments, changed by swapping two different values of one name, and is
// its own canonical query.
func TestSignedURLCanonicalQueryProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	v, err := signet.NewSignedURL(staticKeys(t, signet.Secret{ID: "k", Key: signet.NewHMACKey([]byte("k"))}))
	require.NoError(t, err)
	canonical := func(q string) string {
		c, err := signet.SignedURLCanonicalQuery(v, q)
		require.NoError(t, err)
		return c
	}
	for range 1000 {
		var pairs []string
		for range rng.IntN(10) {
			pair := []string{"a", "b", "tag", "é", ""}[rng.IntN(5)]
			if rng.IntN(3) > 0 {
				pair += "=" + randomText(rng, 3, "&#")
			}
			if pair != "" {
				pairs = append(pairs, pair)
			}
		}
		q := strings.Join(pairs, "&")
		c := canonical(q)
		assert.Equal(t, c, canonical(c), "idempotent")
		assert.Equal(t, c, canonical("&&"+strings.Join(pairs, "&&")+"&"), "empty segments")

		// Move each name's group as a whole: a stable order by another key.
		shuffled := append([]string(nil), pairs...)
		rank := map[string]int{}
		for _, p := range pairs {
			name, _, _ := strings.Cut(p, "=")
			if _, ok := rank[name]; !ok {
				rank[name] = rng.IntN(100)
			}
		}
		stableSortBy(shuffled, func(p string) int { name, _, _ := strings.Cut(p, "="); return rank[name] })
		assert.Equal(t, c, canonical(strings.Join(shuffled, "&")), "%q vs %q", q, shuffled)

		for i := range pairs {
			for j := i + 1; j < len(pairs); j++ {
				ni, _, _ := strings.Cut(pairs[i], "=")
				nj, _, _ := strings.Cut(pairs[j], "=")
				if ni == nj && pairs[i] != pairs[j] {
					swapped := append([]string(nil), pairs...)
					swapped[i], swapped[j] = swapped[j], swapped[i]
					assert.NotEqual(t, c, canonical(strings.Join(swapped, "&")), "repeated values swapped in %q", q)
				}
			}
		}
	}
}

// stableSortBy sorts s by key, stably (insertion sort: small inputs).
func stableSortBy(s []string, key func(string) int) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && key(s[j]) < key(s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// TestSignedURLCanonicalQueryReference: the canonical query equals a plain
// model of the spec (split on '&', drop empty segments and sn- parameters,
// sort stably by the bytes before the first '='), for queries with names
// of every length up to 20 bytes, so that the word-at-a-time scan meets
// names shorter and longer than its eight bytes, and '=' and '&' in every
// position, the query's end among them.
func TestSignedURLCanonicalQueryReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	v, err := signet.NewSignedURL(staticKeys(t, signet.Secret{ID: "k", Key: signet.NewHMACKey([]byte("k"))}))
	require.NoError(t, err)
	const alphabet = "ab=&%sn-é"
	for range 20000 {
		b := make([]byte, rng.IntN(64))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
			if rng.IntN(4) > 0 { // mostly a: long names that tie in their first eight bytes
				b[i] = 'a'
			}
		}
		q := string(b)
		var pairs []string
		for _, seg := range strings.Split(q, "&") {
			if seg != "" && !strings.HasPrefix(seg, "sn-") {
				pairs = append(pairs, seg)
			}
		}
		name := func(p string) string { n, _, _ := strings.Cut(p, "="); return n }
		slices.SortStableFunc(pairs, func(x, y string) int { return strings.Compare(name(x), name(y)) })
		got, err := signet.SignedURLCanonicalQuery(v, q)
		if strings.Contains(q, "sn-") && err != nil {
			continue // a reserved or repeated sn- name: refused, not canonicalised
		}
		require.NoError(t, err, "%q", q)
		require.Equal(t, strings.Join(pairs, "&"), got, "%q", q)
	}
}

// randomOriginHost returns an authority in one of the forms a URL's host
// can take: names (upper case, punycode, non-ASCII, characters clients
// refuse), IPv4 in every notation browsers read, IPv6 in compressed, full,
// zero-padded, upper-case or dotted form and with a zone, and ports with
// leading zeros, empty or out of range.
func randomOriginHost(rng *rand.Rand) string {
	names := []string{"example.com", "Example.COM", "example.com.", "a_b.example", "xn--bcher-kva.example", "bücher.example",
		"xn--99999999999999", "a<b", "a\"b", "a!b", "127.0.0.1", "127.1", "0x7f.0.0.1", "0177.0.0.01", "127.0.0.1.",
		"256.1.1.1", "1.2.3.4", "4294967295", "0"}
	var host string
	if rng.IntN(2) == 0 {
		host = names[rng.IntN(len(names))]
	} else {
		var pieces [8]uint16
		for i := range pieces {
			if rng.IntN(2) == 0 {
				pieces[i] = uint16(rng.IntN(0x10000) >> (4 * rng.IntN(4)))
			}
		}
		parts := make([]string, 8)
		for i, p := range pieces {
			format := "%x"
			switch rng.IntN(4) {
			case 0:
				format = "%X"
			case 1:
				format = "%04x"
			}
			parts[i] = fmt.Sprintf(format, p)
		}
		if rng.IntN(4) == 0 { // a dotted tail
			parts = append(parts[:6], fmt.Sprintf("%d.%d.%d.%d", pieces[6]>>8, pieces[6]&0xff, pieces[7]>>8, pieces[7]&0xff))
		}
		s := strings.Join(parts, ":")
		if rng.IntN(3) > 0 { // compress a random run of zero pieces, if any
			for _, run := range []string{":0:0:0:0:", ":0:0:0:", ":0:0:", ":0:"} {
				if i := strings.Index(":"+s+":", run); i >= 0 && rng.IntN(2) == 0 {
					t := ":" + s + ":"
					s = strings.Trim(t[:i]+"::"+t[i+len(run):], ":")
					if strings.HasPrefix(t[i:], ":0:") && i == 0 || strings.HasPrefix(s, ":") {
						s = ":" + s
					}
					break
				}
			}
		}
		if rng.IntN(8) == 0 {
			s += "%25eth0"
		}
		host = "[" + s + "]"
	}
	ports := []string{"", "", "", ":", ":0", ":80", ":443", ":8080", ":0443", ":00", ":65535", ":65536", ":99999"}
	return host + ports[rng.IntN(len(ports))]
}

// signedURLSuggestion is the host an error of the signer asks to sign
// instead, if it names one.
func signedURLSuggestion(err error) (string, bool) {
	msg := err.Error()
	i := strings.LastIndex(msg, `sign "`)
	if i < 0 {
		return "", false
	}
	host, err := strconv.Unquote(msg[i+len("sign "):])
	return host, err == nil
}

// TestSignedURLOriginHostProperty: with the origin bound, for random
// hosts, the signer either signs a URL that verifies with the Host Go's
// client writes and with the one a browser sends, or refuses it; the host
// a refusal names signs; and the form a browser sends of any host it
// accepts, when net/http can send it too, is never refused.
func TestSignedURLOriginHostProperty(t *testing.T) {
	opts := []signet.SignedURLOption{signet.SignedURLBindOrigin()}
	f := newSignedURLFixture(t, opts...)
	v := f.verifier(t, opts...)
	rng := rand.New(rand.NewPCG(5, 6))
	signedCount, refused := 0, 0
	for range 1500 {
		scheme := []string{"http", "https", "HTTPS"}[rng.IntN(3)]
		host := randomOriginHost(rng)
		raw := scheme + "://" + host + "/p?x=1"
		signed, err := f.signer.SignURL("GET", raw, time.Minute)
		if err == nil {
			signedCount++
			requireSignedURLHostVerifies(t, v, signed)
		} else {
			refused++
			if instead, ok := signedURLSuggestion(err); ok {
				signed, err := f.signer.SignURL("GET", scheme+"://"+instead+"/p?x=1", time.Minute)
				require.NoError(t, err, "%s refused (%v), and so is the host its error names", raw, err)
				requireSignedURLHostVerifies(t, v, signed)
			}
		}
		if browser, err := signet.BrowserHost(raw); err == nil && !strings.ContainsAny(browser, `"<>`) && browser != "" {
			_, err := f.signer.SignURL("GET", scheme+"://"+browser+"/p", time.Minute)
			require.NoError(t, err, "the host browsers send for %s", raw)
		}
	}
	assert.Greater(t, signedCount, 200)
	assert.Greater(t, refused, 200)
}
