package signet

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/signet-go/signet/core/internal/vectors"
)

// FuzzSignwayQuery checks the query parser against a naive reading of the
// form encoding: the last raw value of each Signway parameter, decoded
// ('+' a space, %XX a byte, other '%' kept), and U+FFFD only where the
// decoded bytes are not UTF-8.
func FuzzSignwayQuery(f *testing.F) {
	all, err := vectors.SignwayVectors()
	if err != nil {
		f.Fatal(err)
	}
	for _, v := range all {
		_, query, _ := strings.Cut(v.Request.URL, "?")
		f.Add(query)
	}
	f.Add("X%2DSw%2dDate=a+b%zz%2&X-Sw-Date=%C3%A9;x&&=&X-Sw-Body")
	f.Fuzz(func(t *testing.T, query string) {
		var q signwayQuery
		q.scan(query)
		var want [swParamCount]string
		var count [swParamCount]int
		other := false
		for _, piece := range strings.Split(query, "&") {
			if piece == "" {
				continue
			}
			name, value, _ := strings.Cut(piece, "=")
			i := -1
			for j, n := range signwayParamNames {
				if naiveFormDecode(name) == n {
					i = j
				}
			}
			if i < 0 {
				other = true
				continue
			}
			want[i] = value
			count[i]++
		}
		if other != q.other {
			t.Fatalf("other: got %v, want %v", q.other, other)
		}
		var scratch []byte
		for i := range want {
			if q.raw[i] != want[i] || int(q.count[i]) != min(count[i], 255) {
				t.Fatalf("%s: got %q ×%d, want %q ×%d", signwayParamNames[i], q.raw[i], q.count[i], want[i], count[i])
			}
			got := formDecoded(&scratch, q.raw[i])
			if !utf8.ValidString(got) {
				t.Fatalf("%s decodes to invalid UTF-8 %q", signwayParamNames[i], got)
			}
			if naive := naiveFormDecode(q.raw[i]); utf8.ValidString(naive) && got != naive {
				t.Fatalf("%s: decoded %q, want %q", signwayParamNames[i], got, naive)
			}
		}
	})
}

// naiveFormDecode decodes '+' and %XX the slow, obvious way.
func naiveFormDecode(s string) string {
	s = strings.ReplaceAll(s, "+", " ")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil && !strings.ContainsAny(s[i+1:i+3], "+-") {
				b.WriteByte(byte(n))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// FuzzWHATWGURL checks the proxy URL canonicaliser: it never panics, and
// what it produces is printable ASCII, starts with a special scheme and
// "://", and is its own normal form.
func FuzzWHATWGURL(f *testing.F) {
	all, err := vectors.SignwayVectors()
	if err != nil {
		f.Fatal(err)
	}
	for _, v := range all {
		f.Add(v.Sign.ProxyURL)
	}
	for _, s := range []string{"HTTPS://GitHub.COM:443", "http://0x7f.1/", "https://[2001:DB8:0:0::7]/",
		`https://u:p@example.com\a\..\b?q= #f`, "https://bücher.example/", "https://xn--bcher-kva.example./%2e/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if !utf8.ValidString(in) {
			return // the form decoder hands it valid UTF-8 only
		}
		out, err := appendWHATWGURL(nil, in)
		if isWHATWGNormal(in) && (err != nil || string(out) != in) {
			t.Fatalf("%q is not normal: %q, %v", in, out, err)
		}
		if err != nil {
			return
		}
		for _, c := range out {
			if c <= ' ' || c >= 0x7f {
				t.Fatalf("%q → %q: byte %#x", in, out, c)
			}
		}
		scheme, _, ok := strings.Cut(string(out), "://")
		if !ok || specialPort(scheme) < 0 {
			t.Fatalf("%q → %q: no special scheme", in, out)
		}
		again, err := appendWHATWGURL(nil, string(out))
		if err != nil || string(again) != string(out) {
			t.Fatalf("%q → %q → %q, %v", in, out, again, err)
		}
	})
}

// FuzzSignwayVerify mutates the query, method, a signed header and the body
// of the vectors' signed requests. Verification never panics, rejects only
// with a 4xx *Error, and never accepts a request whose meaning changed: the
// same id, date, expiry, normalised proxy, signed header list, body flag
// and signature (semanticsOf), the same method, signed header value and
// signed body.
func FuzzSignwayVerify(f *testing.F) {
	all, err := vectors.SignwayVectors()
	if err != nil {
		f.Fatal(err)
	}
	var seeds []vectors.SignwayVector
	for _, v := range all {
		if v.Verify.Expected.Valid {
			seeds = append(seeds, v)
			_, query, _ := strings.Cut(v.Request.URL, "?")
			body := ""
			if v.Request.Body != nil {
				body = *v.Request.Body
			}
			f.Add(uint8(len(seeds)-1), query, v.Request.Method, "foo", body)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, query, method, header, body string) {
		v := seeds[int(which)%len(seeds)]
		if !isToken(method) || strings.ContainsAny(query, " #\x00\r\n\t") ||
			strings.ContainsFunc(header, func(r rune) bool { return r < ' ' || r >= 0x7f }) {
			return // not a request net/http delivers
		}
		keys, err := NewStaticKeys(Secret{ID: v.Sign.ID, Key: NewHMACKey([]byte(v.Sign.Secret))})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Unix(int64(v.Verify.Now.Unix), 0)
		verifier, err := NewSignway(keys, WithClock(func() time.Time { return now }))
		if err != nil {
			t.Fatal(err)
		}
		base, original, _ := strings.Cut(v.Request.URL, "?")
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Method, r.RequestURI = method, strings.TrimPrefix(base, "http://localhost:3000")+"?"+query
		r.Body = http.NoBody
		for _, h := range v.Request.Headers {
			r.Header.Add(h[0], h[1])
		}
		if r.Header.Get("X-Foo") != "" {
			r.Header.Set("X-Foo", header)
		}
		if v.Request.Body != nil {
			r.Body = readCloser{strings.NewReader(body)}
			r.ContentLength = int64(len(body))
		}
		_, err = verifier.Verify(context.Background(), FromHTTP(r))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Status() < 400 || e.Status() >= 500 {
				t.Fatalf("rejection %v is not a 4xx *Error", err)
			}
			return
		}
		got, want := semanticsOf(query), semanticsOf(original)
		got.algorithm, want.algorithm, got.strict, want.strict = "", "", "", ""
		if got != want || method != v.Request.Method {
			t.Fatalf("accepted a changed URL: %+v, method %q", got, method)
		}
		if strings.Contains(want.headers, "x-foo") && strings.Trim(header, " \t") != "foo" {
			t.Fatalf("accepted a changed signed header %q", header)
		}
		if want.body && body != *v.Request.Body {
			t.Fatalf("accepted a changed body %q", body)
		}
	})
}

// readCloser is a request body the fuzzer sets.
type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }

// FuzzSignwayRoundTrip signs fuzzed inputs: whatever the signer accepts,
// the verifier (strict too) accepts, reporting the proxy URL the signer
// signed.
func FuzzSignwayRoundTrip(f *testing.F) {
	all, err := vectors.SignwayVectors()
	if err != nil {
		f.Fatal(err)
	}
	for _, v := range all {
		body := ""
		if v.Sign.Body != nil {
			body = *v.Sign.Body
		}
		name, value := "X-Foo", "foo"
		if len(v.Sign.Headers) > 0 {
			name, value = v.Sign.Headers[0][0], v.Sign.Headers[0][1]
		}
		f.Add(v.Sign.ID, v.Sign.Method, v.Sign.ProxyURL, name, value, body, v.Sign.Body != nil, uint32(v.Sign.ExpirySeconds))
	}
	f.Fuzz(func(t *testing.T, id, method, proxy, name, value, body string, signBody bool, expiry uint32) {
		now := time.Date(2024, 5, 5, 5, 5, 5, 0, time.UTC)
		key := NewHMACKey([]byte("k"))
		signer, err := NewSignwaySigner(id, key, "http://gw/", WithClock(func() time.Time { return now }))
		if err != nil {
			return
		}
		u := SignwayURL{Method: method, Proxy: proxy, Expiry: time.Duration(expiry) * time.Second,
			Headers: []SignwayHeader{{Name: name, Value: value}}, SignBody: signBody}
		if signBody {
			u.Body = []byte(body)
		}
		signed, err := signer.Presign(u)
		if err != nil {
			return
		}
		keys, err := NewStaticKeys(Secret{ID: id, Key: key})
		if err != nil {
			t.Fatal(err)
		}
		for _, strict := range []bool{false, true} {
			opts := []SignwayOption{WithClock(func() time.Time { return now })}
			if strict {
				opts = append(opts, SignwayStrict())
			}
			verifier, err := NewSignway(keys, opts...)
			if err != nil {
				t.Fatal(err)
			}
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.Method, r.RequestURI = method, strings.TrimPrefix(signed.URL, "http://gw")
			if strings.EqualFold(name, "host") {
				r.Host = value
			} else {
				r.Header.Set(name, value)
			}
			if signBody {
				r.Body = readCloser{strings.NewReader(body)}
				r.Header.Set("Content-Length", strconv.Itoa(len(body)))
			}
			res, err := verifier.Verify(context.Background(), FromHTTP(r))
			if err != nil {
				t.Fatalf("strict %v: %s rejected: %v", strict, signed.URL, err)
			}
			norm, _ := appendWHATWGURL(nil, proxy)
			if d := res.Details.(*SignwayDetails); d.Proxy != string(norm) {
				t.Fatalf("proxy %q, signed %q", d.Proxy, norm)
			}
		}
	})
}
