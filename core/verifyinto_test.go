package signet_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	signet "github.com/signet-go/signet/core"
)

// intoCase is one scheme, verifying a request it signed with a body.
type intoCase struct {
	name     string
	verifier signet.Verifier
	signer   signet.Signer
}

func intoCases(t *testing.T) []intoCase {
	t.Helper()
	return intoCasesWithClock(t, func() time.Time { return time.Unix(1_700_000_000, 0) })
}

// intoCasesWithClock is intoCases, verifiers and signers reading now.
func intoCasesWithClock(t *testing.T, now func() time.Time) []intoCase {
	t.Helper()
	clock := signet.WithClock(now)
	key := signet.NewHMACKey([]byte(strings.Repeat("verify-into secret ", 4)))
	must := func(v any, err error) any {
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	keys := must(signet.NewStaticKeys(signet.Secret{ID: "k1", Key: key, Credentials: "caller one"})).(*signet.StaticKeys)
	fields, delimiter := signet.SASigningFields("method", "path", "body"), signet.SASigningDelimiter("\n")
	return []intoCase{
		{"sasigning", must(signet.NewSASigning(keys, fields, delimiter, clock)).(signet.Verifier),
			must(signet.NewSASigningSigner(key, fields, delimiter, clock)).(signet.Signer)},
		{"cavage", must(signet.NewCavage(keys, signet.CavageDigest(signet.DigestRequire), clock)).(signet.Verifier),
			must(signet.NewCavageSigner("k1", key, clock)).(signet.Signer)},
		{"signedurl", must(signet.NewSignedURL(keys, clock)).(signet.Verifier),
			must(signet.NewSignedURLSigner("k1", key, clock)).(signet.Signer)},
		{"pysigned", must(signet.NewPysigned(keys, clock)).(signet.Verifier),
			must(signet.NewPysignedSigner(key, clock)).(signet.Signer)},
		{"signway", must(signet.NewSignway(keys, clock)).(signet.Verifier),
			must(signet.NewSignwaySigner("k1", key, "http://gw.example", signet.SignwaySignBody(),
				signet.SignwaySignHeaders("X-Tenant"), clock)).(signet.Signer)},
	}
}

// incoming signs a request with body and returns it as a server receives it.
func incoming(t *testing.T, s signet.Signer, body string) *http.Request {
	t.Helper()
	out, _ := http.NewRequest("POST", "http://gw.example/orders/42?page=1", strings.NewReader(body))
	out.Header.Set("X-Tenant", "acme")
	if err := s.Sign(out); err != nil {
		t.Fatal(err)
	}
	in := httptest.NewRequest(out.Method, out.URL.String(), strings.NewReader(body))
	in.RequestURI, in.Header = out.URL.RequestURI(), out.Header.Clone()
	in.Header.Set("Content-Length", strconv.Itoa(len(body))) // as a server sees it
	return in
}

// TestVerifyInto checks, for every scheme, that VerifyInto writes what
// Verify returns, over whatever res held, and that the body stays readable;
// that a copy of res outlives its reuse; and that an error leaves res as it
// was.
func TestVerifyInto(t *testing.T) {
	ctx := context.Background()
	for _, c := range intoCases(t) {
		t.Run(c.name, func(t *testing.T) {
			iv, ok := c.verifier.(signet.IntoVerifier)
			if !ok {
				t.Fatalf("%T is not an IntoVerifier", c.verifier)
			}
			want, err := c.verifier.Verify(ctx, signet.FromHTTP(incoming(t, c.signer, "first body")))
			if err != nil {
				t.Fatal(err)
			}
			res := &signet.Result{Scheme: "stale", KeyID: "stale", Details: "stale", Covered: []string{"stale"}}
			r := incoming(t, c.signer, "first body")
			if err := iv.VerifyInto(ctx, signet.FromHTTP(r), res); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(fields(*res), fields(*want)) {
				t.Fatalf("VerifyInto wrote %+v, Verify returned %+v", *res, *want)
			}
			if got, _ := io.ReadAll(r.Body); string(got) != "first body" {
				t.Fatalf("the handler reads %q", got)
			}
			if _, ok := signet.ResultFrom(signet.NewContext(ctx, res)); !ok {
				t.Fatal("NewContext does not carry res")
			}

			kept := *res
			if err := iv.VerifyInto(ctx, signet.FromHTTP(incoming(t, c.signer, "second")), res); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(fields(kept), fields(*want)) {
				t.Fatalf("the copy kept changed when res was reused: %+v", kept)
			}

			before := *res
			bad := incoming(t, c.signer, "first body")
			bad.URL.RawQuery += "&tampered=1"
			bad.RequestURI = strings.Replace(bad.RequestURI, "/42?", "/43?", 1) + "&tampered=1"
			bad.Header.Set("X-Tenant", "evil")
			bad.Header.Set("Digest", "SHA-256=bm90IHRoZSBkaWdlc3Q=")
			if err := iv.VerifyInto(ctx, signet.FromHTTP(bad), res); err == nil {
				t.Fatal("a tampered request verified")
			}
			if !reflect.DeepEqual(*res, before) {
				t.Fatalf("a failed VerifyInto changed res to %+v", *res)
			}
			if err := iv.VerifyInto(ctx, signet.FromHTTP(incoming(t, c.signer, "x")), nil); err != nil {
				t.Fatalf("a nil res: %v", err)
			}
		})
	}
}

// fields are the exported fields of r.
func fields(r signet.Result) []any {
	return []any{r.Scheme, r.KeyID, r.Algorithm, r.Credentials, r.Covered, r.Created, r.Expires, r.Details}
}

// TestBufferedBodyWithResult checks the body a verifier buffers (its reader
// allocated with the Result) reads whole, in pieces, through io.Copy, and
// through BufferedBody.
func TestBufferedBodyWithResult(t *testing.T) {
	body := strings.Repeat("0123456789", 100)
	for _, c := range intoCases(t) {
		if c.name == "signedurl" || c.name == "pysigned" {
			continue // a signed URL does not cover the body
		}
		t.Run(c.name, func(t *testing.T) {
			r := incoming(t, c.signer, body)
			if _, err := c.verifier.Verify(context.Background(), signet.FromHTTP(r)); err != nil {
				t.Fatal(err)
			}
			if got, ok := signet.BufferedBody(r); !ok || string(got) != body {
				t.Fatalf("BufferedBody = %q, %v", got, ok)
			}
			head := make([]byte, 7)
			if n, err := r.Body.Read(head); n != 7 || err != nil || string(head) != body[:7] {
				t.Fatalf("Read = %d %v %q", n, err, head)
			}
			var rest strings.Builder
			if n, err := io.Copy(&rest, r.Body); err != nil || n != int64(len(body)-7) || rest.String() != body[7:] {
				t.Fatalf("io.Copy = %d %v", n, err)
			}
			if n, err := r.Body.Read(head); n != 0 || err != io.EOF {
				t.Fatalf("Read at the end = %d %v", n, err)
			}
		})
	}
}

// TestAllocations pins the allocations of a verification: the Result alone
// without a body; with one, the buffer and the Result (which carries the
// body's reader), for every scheme that reads the body; none into a
// caller's Result for a scheme without Details.
func TestAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	const body = "a body of some length, read and kept for the handler"
	for _, c := range intoCases(t) {
		t.Run(c.name, func(t *testing.T) {
			r := incoming(t, c.signer, body)
			data := []byte(body)
			unread := &rewindableBody{}
			verify := func() {
				unread.Reset(data)
				r.Body = unread // an unread body per request, as a server gets
				if _, err := c.verifier.Verify(context.Background(), signet.FromHTTP(r)); err != nil {
					t.Fatal(err)
				}
			}
			want := 2.0 // the buffer and the Result
			switch c.name {
			case "signedurl", "pysigned":
				want = 1 // a signed URL does not read the body
			case "signway":
				want = 1 // a small body shares the room of the Result's details
			}
			if got := testing.AllocsPerRun(50, verify); got != want {
				t.Errorf("Verify: %v allocations, want %v", got, want)
			}

			bodyless := incoming(t, c.signer, "")
			bodyless.Body = http.NoBody
			var res signet.Result
			into := func() {
				if err := c.verifier.(signet.IntoVerifier).VerifyInto(context.Background(), signet.FromHTTP(bodyless), &res); err != nil {
					t.Fatal(err)
				}
			}
			want = 0
			if c.name == "signway" {
				want = 1 // its Details
			}
			if got := testing.AllocsPerRun(50, into); got != want {
				t.Errorf("VerifyInto without a body: %v allocations, want %v", got, want)
			}
		})
	}
}

// TestClockReadOnce: a verification reads the clock at most once, however
// many of its checks need the time (a signed URL's TTL is checked while
// parsing, its expiry after the signature), so that they all see the same
// instant.
func TestClockReadOnce(t *testing.T) {
	reads := 0
	cases := intoCasesWithClock(t, func() time.Time {
		reads++
		return time.Unix(1_700_000_000, 0)
	})
	want := map[string]int{"sasigning": 0, "cavage": 1, "signedurl": 1, "pysigned": 1, "signway": 1}
	for _, c := range cases {
		r := incoming(t, c.signer, "body")
		reads = 0
		if _, err := c.verifier.Verify(context.Background(), signet.FromHTTP(r)); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if reads != want[c.name] {
			t.Errorf("%s read the clock %d times, want %d", c.name, reads, want[c.name])
		}
	}
}
