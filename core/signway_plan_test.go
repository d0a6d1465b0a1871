package signet

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestNewSignwayPlan(t *testing.T) {
	tests := []struct {
		name, decoded string
		names, keys   []string
		lines         []uint8
		sorted, query string
		exact         bool
		err           string // in the error's message
	}{
		{name: "empty", exact: true},
		{"as signers write it", "x-foo;content-type;content-length",
			[]string{"x-foo", "content-type", "content-length"}, []string{"X-Foo", "Content-Type", "Content-Length"},
			[]uint8{2, 1, 0}, "content-length;content-type;x-foo", "x-foo%3Bcontent-type%3Bcontent-length", true, ""},
		{"case, empty names, duplicates, host", ";X-Foo;;x-foo;Host;x-bar;",
			[]string{"x-foo", "host", "x-bar"}, []string{"X-Foo", "", "X-Bar"},
			[]uint8{1, 2, 0}, "host;x-bar;x-foo", "x-foo%3Bhost%3Bx-bar", false, ""},
		// x-a:... sorts after x-a1:... and x-a-b:... (':' > '1', '-'),
		// while the name x-a sorts first.
		{"one name a prefix of another", "x-a;x-a1;x-a-b;x-a~",
			[]string{"x-a", "x-a1", "x-a-b", "x-a~"}, []string{"X-A", "X-A1", "X-A-B", "X-A~"},
			[]uint8{2, 1, 0, 3}, "x-a;x-a-b;x-a1;x-a~", "x-a%3Bx-a1%3Bx-a-b%3Bx-a~", true, ""},
		{"not a header name", "x-foo;x bar;x-baz",
			[]string{"x-foo"}, []string{"X-Foo"}, []uint8{0}, "x-foo", "x-foo", false, `names "x bar"`},
		{"too many", genNames(65),
			genNamesList(64), nil, nil, "", "", false, "more than 64"},
		{"too many, repeats counted", strings.Repeat("x-a;", 10) + genNames(55),
			genNamesList(54), nil, nil, "", "", false, "more than 64"},
		{"a bad name before too many", genNames(10) + ";x bar;" + genNames(65),
			genNamesList(10), nil, nil, "", "", false, `names "x bar"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newSignwayPlan("raw "+tt.decoded, tt.decoded)
			if p.list != "raw "+tt.decoded {
				t.Errorf("list %q", p.list)
			}
			if !slices.Equal(p.names, tt.names) {
				t.Fatalf("names %q, want %q", p.names, tt.names)
			}
			if tt.err != "" {
				if p.err == nil || !strings.Contains(p.err.Error(), tt.err) || !errors.Is(p.err, ErrMalformed) {
					t.Fatalf("err %v, want one saying %q", p.err, tt.err)
				}
				return
			}
			if p.err != nil {
				t.Fatalf("err %v", p.err)
			}
			if !slices.Equal(p.keys, tt.keys) || !slices.Equal(p.lines, tt.lines) || p.sorted != tt.sorted ||
				p.query != tt.query || p.exact != tt.exact {
				t.Errorf("plan %+v", p)
			}
		})
	}
}

// TestSignwayPlanCountsRepeats: a list is read up to its 64th name,
// repeats counted and empty names skipped, so that one name repeated
// thousands of times costs no more than 64 names.
func TestSignwayPlanCountsRepeats(t *testing.T) {
	for _, tt := range []struct {
		name, decoded string
		names         int  // distinct names planned
		tooMany       bool // refused as more than 64 names
	}{
		{"64 names", genNames(64), 64, false},
		{"64 names, empty ones around", ";;" + strings.ReplaceAll(genNames(64), ";", ";;;") + ";;;", 64, false},
		{"64 names, 10 repeated", strings.Repeat("x-a;", 10) + genNames(54), 54, false},
		{"65 names, 10 repeated", strings.Repeat("x-a;", 10) + genNames(55), 54, true},
		{"one name 4000 times", strings.TrimSuffix(strings.Repeat("x-a;", 4000), ";"), 1, true},
		{"64 names then 4000 repeats", genNames(64) + strings.Repeat(";x-a", 4000), 64, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := newSignwayPlan(tt.decoded, tt.decoded)
			if len(p.names) != tt.names {
				t.Errorf("%d names planned, want %d", len(p.names), tt.names)
			}
			if tooMany := p.err != nil && strings.Contains(p.err.Error(), "more than 64"); tooMany != tt.tooMany || p.err != nil && !tooMany {
				t.Errorf("err %v, want too many: %v", p.err, tt.tooMany)
			}
		})
	}
}

// TestSignwayPlanAllocation: the plan of a list of one name repeated to
// the 16 KiB limit holds a copy of the list (its cache key) and little
// more: its buffer is sized by the names read, not by the whole list.
func TestSignwayPlanAllocation(t *testing.T) {
	list := strings.Repeat("x-a;", maxSignwayHeadersList/4)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	p := newSignwayPlan(list, list)
	runtime.ReadMemStats(&after)
	if p.err == nil {
		t.Fatal("the list was accepted")
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 2*uint64(len(list)) {
		t.Errorf("%d bytes allocated to plan a list of %d bytes", n, len(list))
	}
}

// genNames returns n distinct header names joined by ';'.
func genNames(n int) string { return strings.Join(genNamesList(n), ";") }

func genNamesList(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = "x-" + strings.Repeat("a", i+1)
	}
	return names
}

// FuzzSignwayLineOrder checks that the names alone order the canonical
// header lines as the lines themselves, name:value, would be ordered,
// whatever the values.
func FuzzSignwayLineOrder(f *testing.F) {
	f.Add("x-a", "x-a1", "1", "2")
	f.Add("x-a", "x-a-b", "zzz", "")
	f.Add("content-length", "content-type", "14", "application/json")
	f.Add("a", "a~", "", "")
	f.Fuzz(func(t *testing.T, a, b, va, vb string) {
		if !isToken(a) || !isToken(b) || a == b {
			return
		}
		if got, want := lineLess(a, b), a+":"+va < b+":"+vb; got != want {
			t.Fatalf("lineLess(%q, %q) = %v; the lines with values %q, %q: %v", a, b, got, va, vb, want)
		}
	})
}

// TestSignwayPlanCache checks that only a verified request caches the plan
// of its X-Sw-SignedHeaders, that the next request uses it, and that the
// Result's header names and Covered are the cached plan's.
func TestSignwayPlanCache(t *testing.T) {
	at := time.Unix(1_700_000_000, 0)
	clock := WithClock(func() time.Time { return at })
	key := NewHMACKey([]byte("plan cache secret"))
	keys, err := NewStaticKeys(Secret{ID: "k1", Key: key})
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := NewSignway(keys, clock)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := NewSignwaySigner("k1", key, "http://gw.example", SignwaySignHeaders("X-Tenant", "Accept"), clock)
	if err != nil {
		t.Fatal(err)
	}
	out := httptest.NewRequest("GET", "http://upstream.example/a?b=c", nil)
	out.Header.Set("X-Tenant", "acme")
	out.Header.Set("Accept", "*/*")
	if err := signer.Sign(out); err != nil {
		t.Fatal(err)
	}
	incoming := func(link string) *http.Request {
		in := httptest.NewRequest("GET", link, nil)
		in.Header = out.Header.Clone()
		return in
	}
	list := "x-tenant%3Baccept"
	if !strings.Contains(out.URL.RawQuery, "X-Sw-SignedHeaders="+list+"&") {
		t.Fatalf("the signed URL %s does not sign %s", out.URL, list)
	}

	bad := strings.Replace(out.URL.String(), "X-Sw-Signature=", "X-Sw-Signature=0", 1)
	bad = bad[:len(bad)-1]
	if _, err := verifier.Verify(context.Background(), FromHTTP(incoming(bad))); !errors.Is(err, ErrInvalidSignature) {
		t.Fatalf("a tampered signature: %v", err)
	}
	if verifier.plans.get(list) != nil {
		t.Fatal("a request that did not verify cached its plan")
	}
	for i := range 2 {
		res, err := verifier.Verify(context.Background(), FromHTTP(incoming(out.URL.String())))
		if err != nil {
			t.Fatal(err)
		}
		plan := verifier.plans.get(list)
		if plan == nil {
			t.Fatal("a verified request did not cache its plan")
		}
		d := res.Details.(*SignwayDetails)
		want := []SignwayHeader{{"x-tenant", "acme"}, {"accept", "*/*"}}
		if !slices.Equal(d.SignedHeaders, want) || !slices.Equal(res.Covered, plan.names) ||
			&res.Covered[0] != &plan.names[0] || d.SignedHeaders[0].Name != plan.names[0] {
			t.Fatalf("request %d: %+v, Covered %q", i, d, res.Covered)
		}
	}
}

// TestSignwaySignedHeadersErrorOrder checks that the signed headers are
// checked in list order, a missing header before a bad name after it, as
// Signway does, whether the plan is cached or not.
func TestSignwaySignedHeadersErrorOrder(t *testing.T) {
	verifier, err := NewSignway(KeyFunc(func(context.Context, string) ([]Secret, error) { return nil, nil }))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		list string
		want error
	}{
		{"x-present%3Bx-missing%3Bx%20bad", ErrMissingHeader},
		{"x-present%3Bx%20bad%3Bx-missing", ErrMalformed},
		{"x-present%3Bx-bad-value", ErrMalformed},
	} {
		r := httptest.NewRequest("GET", "/?X-Sw-Algorithm=SW1-HMAC-SHA256&X-Sw-Credential=k1%2F20240101&X-Sw-Date=20240101T000000Z"+
			"&X-Sw-Expires=60&X-Sw-Proxy=https%3A%2F%2Fexample.com%2F&X-Sw-Body=false&X-Sw-SignedHeaders="+tt.list+
			"&X-Sw-Signature="+strings.Repeat("0", 64), nil)
		r.Header.Set("X-Present", "yes")
		r.Header.Set("X-Bad-Value", "caf\xc3\xa9")
		st := &signwayState{v: verifier}
		if err := st.parse(&attempt{req: FromHTTP(r)}); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.list, err, tt.want)
		}
	}
}
