package signet

import (
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/signet-go/signet/core/internal/vectors"
)

// pysignedSeeds are the URLs of pysigned.json, to seed the fuzz targets.
func pysignedSeeds(f *testing.F) []string {
	all, _, err := vectors.PysignedVectors()
	if err != nil {
		f.Fatal(err)
	}
	var urls []string
	for _, v := range all {
		urls = append(urls, v.Sign.URL, v.Sign.SignedURL)
		for _, c := range v.Verify {
			urls = append(urls, c.URL)
		}
	}
	return urls
}

// FuzzPyURLSplit checks the urlparse clone: the fields have the shape
// urlparse gives them, and the verifier's split of a request (scheme and
// Host apart, the raw request-target) agrees with the split of the whole URL.
func FuzzPyURLSplit(f *testing.F) {
	for _, u := range pysignedSeeds(f) {
		f.Add(u)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := parsePyURL(raw)
		if err != nil {
			return
		}
		switch {
		case u.scheme != lowerASCII(u.scheme) || (u.scheme != "" && !isURIScheme(u.scheme)):
			t.Fatalf("scheme %q", u.scheme)
		case strings.ContainsAny(u.netloc, "/?#"), strings.ContainsAny(u.path+u.params, "?#"),
			strings.ContainsRune(u.query, '#'), strings.ContainsRune(u.params, '/'):
			t.Fatalf("fields out of shape: %#v", u)
		case strings.ContainsAny(u.String(), "\t\r\n"):
			t.Fatalf("geturl kept a tab or newline: %q", u.String())
		}
		if checkPyNetloc(u.netloc) != nil || u.scheme == "" || strings.HasPrefix(u.path, "//") {
			return
		}
		target := u.path
		if u.params != "" {
			target += ";" + u.params
		}
		if u.query != "" || strings.Contains(raw, "?") {
			target += "?" + u.query
		}
		if target == "" || target[0] != '/' {
			return // the verifier reads an origin-form target
		}
		r := httptest.NewRequest("GET", "/", nil)
		r.RequestURI, r.Host = target, u.netloc
		c := &pysignedConfig{origin: true, originScheme: u.scheme, originNetloc: "placeholder"}
		var got pyURL
		if err := c.requestURL(FromHTTP(r), &got); err != nil {
			t.Fatalf("%q: %v", target, err)
		}
		got.netloc = u.netloc
		if want := (pyURL{u.scheme, u.netloc, u.path, u.params, u.query, ""}); got != want {
			t.Fatalf("request split %#v, URL split %#v", got, want)
		}
	})
}

// maxFuzzQuery bounds the queries the query fuzz targets try: longer ones
// find nothing new and make every run (and minimisation) slow.
const maxFuzzQuery = 1024

// FuzzParseQSL checks the parse_qsl clone against a plain transcription of
// Python's algorithm, and that quote_plus-encoded pairs parse back.
func FuzzParseQSL(f *testing.F) {
	for _, u := range pysignedSeeds(f) {
		if _, q, ok := strings.Cut(u, "?"); ok {
			f.Add(q)
		}
	}
	f.Add("a=%E2%82&b=%FF%FE&c=%C3%28&d=%zz&e=%&f=+%2B")
	f.Fuzz(func(t *testing.T, query string) {
		if !utf8.ValidString(query) || len(query) > maxFuzzQuery {
			return // a Python str is Unicode (the verifier rejects other URLs first); keep runs short
		}
		got := parseQSL(query)
		want := referenceParseQSL(query)
		if !slices.Equal(got, want) {
			t.Fatalf("%q: parse_qsl clone %q, reference %q", query, got, want)
		}
		var encoded []byte
		for i, p := range got {
			if !utf8.ValidString(p[0]) || !utf8.ValidString(p[1]) || p[1] == "" {
				t.Fatalf("%q: pair %q", query, p)
			}
			if i > 0 {
				encoded = append(encoded, '&')
			}
			encoded = append(appendQuotePlus(encoded, p[0]), '=')
			encoded = appendQuotePlus(encoded, p[1])
		}
		if again := parseQSL(string(encoded)); !slices.Equal(again, got) {
			t.Fatalf("%q encoded as %q parses as %q", query, encoded, again)
		}
	})
}

// referenceParseQSL transcribes Python 3.11's parse_qsl and unquote
// literally, with strings.Split, without the clone's fast paths.
func referenceParseQSL(query string) [][2]string {
	out := [][2]string{}
	if query == "" {
		return out
	}
	for _, field := range strings.Split(query, "&") {
		if field == "" {
			continue
		}
		nv := strings.SplitN(field, "=", 2)
		if len(nv) != 2 || len(nv[1]) == 0 {
			continue
		}
		out = append(out, [2]string{referenceUnquote(strings.ReplaceAll(nv[0], "+", " ")),
			referenceUnquote(strings.ReplaceAll(nv[1], "+", " "))})
	}
	return out
}

// referenceUnquote is unquote_to_bytes (split on %, two hex digits or a
// literal %) then a decode with errors="replace", which replaces each
// maximal subpart: the longest prefix that some well-formed sequence
// continues.
func referenceUnquote(s string) string {
	bits := strings.Split(s, "%")
	b := []byte(bits[0])
	for _, item := range bits[1:] {
		if len(item) >= 2 && isHex(item[0]) && isHex(item[1]) {
			b = append(b, unhex(item[0])<<4|unhex(item[1]))
			b = append(b, item[2:]...)
		} else {
			b = append(b, '%')
			b = append(b, item...)
		}
	}
	var out []byte
	for i := 0; i < len(b); {
		if r, n := utf8.DecodeRune(b[i:]); r != utf8.RuneError || n > 1 {
			out = append(out, b[i:i+n]...)
			i += n
			continue
		}
		n := 1
		for k := 2; k <= 3 && i+k <= len(b) && completable(b[i:i+k]); k++ {
			n = k
		}
		out = append(out, "\uFFFD"...)
		i += n
	}
	return string(out)
}

// completable reports whether some bytes appended to p make one well-formed
// UTF-8 sequence: the second byte is p's own, the rest 0x80 will do.
func completable(p []byte) bool {
	var q [4]byte
	for size := len(p) + 1; size <= 4; size++ {
		n := copy(q[:], p)
		for i := n; i < size; i++ {
			q[i] = 0x80
		}
		if utf8.Valid(q[:size]) && utf8.RuneCount(q[:size]) == 1 {
			return true
		}
	}
	return false
}

// FuzzPysignedCanonical checks the canonical query: it does not depend on
// the order of the fields, it is a fixed point (the canonical query of a
// canonical query is itself), and it is made of quote_plus output only.
func FuzzPysignedCanonical(f *testing.F) {
	for _, u := range pysignedSeeds(f) {
		if _, q, ok := strings.Cut(u, "?"); ok {
			q, _, _ = strings.Cut(q, "#")
			f.Add(q, "utm_source")
		}
	}
	f.Fuzz(func(t *testing.T, query, ignored string) {
		if !utf8.ValidString(query) || len(query) > maxFuzzQuery {
			return
		}
		p := &pysignedProfile{version: Pysigned025, ignore: []string{ignored}}
		canonical := func(q string) string {
			var st pysignedState
			if err := st.collect(q, p); err != nil {
				return "error"
			}
			return string(st.appendCanonicalQuery(nil, st.pairs))
		}
		got := canonical(query)
		fields := strings.Split(query, "&")
		slices.Reverse(fields)
		if reversed := canonical(strings.Join(fields, "&")); reversed != got {
			t.Fatalf("%q: %q, reversed %q", query, got, reversed)
		}
		if again := canonical(got); again != got && got != "error" {
			t.Fatalf("%q: canonical %q, then %q", query, got, again)
		}
		for i := 0; i < len(got); i++ {
			c := got[i]
			switch {
			case unreserved[c], c == '+', c == '=', c == '&':
			case c == '%' && i+2 < len(got) && strings.IndexByte(upperHex, got[i+1]) >= 0 && strings.IndexByte(upperHex, got[i+2]) >= 0:
				i += 2
			default:
				t.Fatalf("%q: canonical %q has %q at %d", query, got, c, i)
			}
		}
	})
}

// FuzzPysignedVerify mutates the Host and request-target of the vectors'
// accepted URLs, also as forwarded by a proxy that strips a prefix
// (PysignedPathPrefix); every seed verifies. Verification must never
// panic, must reject with a 4xx *Error, and may accept only a URL whose
// message is one the vectors signed.
func FuzzPysignedVerify(f *testing.F) {
	all, table, err := vectors.PysignedVectors()
	if err != nil {
		f.Fatal(err)
	}
	type seed struct {
		verifier *Pysigned
		https    bool
	}
	var seeds []seed
	request := func(https bool, host, target string) *http.Request {
		r := httptest.NewRequest("GET", "/", nil)
		r.RequestURI, r.Host, r.TLS = target, host, nil
		if https {
			r.TLS = &tls.ConnectionState{}
		}
		return r
	}
	add := func(s seed, host, target string) { // a seed the verifier accepts
		if _, err := s.verifier.Verify(context.Background(), FromHTTP(request(s.https, host, target))); err != nil {
			f.Fatalf("the seed %q %q does not verify: %v", host, target, err)
		}
		seeds = append(seeds, s)
		f.Add(uint8(len(seeds)-1), host, target)
	}
	signed := map[string]bool{}
	for _, v := range all {
		signed[v.Sign.Message] = true
		for _, c := range v.Verify {
			if !c.Expected.Valid || c.Skew != 0 || len(c.Keys) != 1 {
				continue
			}
			k := table[c.Keys[0]]
			var key *Key
			if k.Type == "hmac" {
				secret, _ := hex.DecodeString(k.SecretHex)
				key = NewHMACKey(secret)
			} else {
				public, _ := hex.DecodeString(k.PublicHex)
				key, _ = NewPublicKey(ed25519.PublicKey(public))
			}
			keys, _ := NewStaticKeys(Secret{ID: c.Keys[0], Key: key})
			opts := []PysignedOption{PysignedIgnoreQueryParams(c.IgnoreQueryParams...),
				WithClock(func() time.Time { return time.Unix(c.Now, 0) })}
			verifier, err := NewPysigned(keys, opts...)
			if err != nil {
				f.Fatal(err)
			}
			scheme, rest, _ := strings.Cut(c.URL, "://")
			end := len(rest)
			if i := strings.IndexAny(rest, "/?#"); i >= 0 {
				end = i
			}
			https := strings.EqualFold(scheme, "https")
			target, _, _ := strings.Cut(rest[end:], "#") // clients send no fragment
			add(seed{verifier, https}, rest[:end], target)
			// Behind a proxy that strips the path's first segment.
			if i := strings.IndexByte(target[min(1, len(target)):], '/'); strings.HasPrefix(target, "/") && i > 0 {
				prefix := target[:i+1]
				if verifier, err = NewPysigned(keys, append(opts, PysignedPathPrefix(prefix))...); err == nil {
					add(seed{verifier, https}, rest[:end], target[len(prefix):])
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, host, target string) {
		s := seeds[int(which)%len(seeds)]
		r := request(s.https, host, target)
		_, err := s.verifier.Verify(context.Background(), FromHTTP(r))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Status() < 400 || e.Status() >= 500 {
				t.Fatalf("rejection %v is not a 4xx *Error", err)
			}
			return
		}
		a := &attempt{req: FromHTTP(r)}
		if err := s.verifier.parse(a); err != nil || !signed[string(a.msg)] {
			t.Fatalf("accepted %q %q, whose message %q was never signed (%v)", host, target, a.msg, err)
		}
	})
}

// FuzzPysignedRawField checks the canonical query's fast path: a pair whose
// raw name=value is marked as its own encoding (field.plain) is encoded
// exactly as quote_plus encodes its decoded name and value, whether the
// verifier (collect) or the signer (next) split the query.
func FuzzPysignedRawField(f *testing.F) {
	for _, u := range pysignedSeeds(f) {
		if _, q, ok := strings.Cut(u, "?"); ok {
			f.Add(q)
		}
	}
	for _, q := range rawFieldCases {
		f.Add(q.query)
	}
	f.Fuzz(func(t *testing.T, query string) {
		if !utf8.ValidString(query) || len(query) > maxFuzzQuery {
			return
		}
		check := func(q *qsl, p *qsPair) {
			general := appendQuotePlus(nil, q.str(p.name))
			general = appendQuotePlus(append(general, '='), q.str(p.value))
			if got := q.appendPair(nil, p); string(got) != string(general) {
				t.Fatalf("%q: pair %q encoded as %q, quote_plus gives %q", query, q.str(p.field), got, general)
			}
			if p.field.plain && q.str(p.field) != string(general) {
				t.Fatalf("%q: raw %q is marked as its encoding %q", query, q.str(p.field), general)
			}
		}
		var st pysignedState
		if err := st.collect(query, &pysignedProfile{version: Pysigned025}); err == nil {
			for i := range st.pairs {
				check(&st.qsl, &st.pairs[i])
			}
		}
		q := qsl{query: query}
		for i := 0; ; {
			p, next, ok := q.next(i)
			if !ok {
				break
			}
			i = next
			check(&q, &p)
		}
	})
}
