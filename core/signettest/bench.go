package signettest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	signet "github.com/signet-go/signet/core"
)

// BenchCase is a signed request and the verifier that accepts it: what
// every adapter's BenchmarkMiddleware sends through its framework, so that
// the frameworks are measured on the same requests.
type BenchCase struct {
	// Name names the case in benchmark names, e.g. "sasigning-path-method".
	Name string
	// Verifier accepts Request (its clock reads the system clock, as a
	// server does, then the signing time).
	Verifier signet.Verifier
	// Request is GET /v1/orders/42 as a server receives it (RequestURI
	// set), without a body.
	Request *http.Request
	// Ready returns Request's Result, verified once with Request's own
	// context, for every request, without verifying: behind it, a
	// middleware costs what it does besides core's verification.
	Ready signet.Verifier
}

// BenchCases returns the adapters' benchmark requests: SASigning over the
// path and method, and Cavage hmac-sha256 over (request-target), host and
// date.
func BenchCases(tb testing.TB) []BenchCase {
	tb.Helper()
	at := clock(signedAt)
	key := signet.NewHMACKey([]byte("benchmark-secret-0123456789abcdef"))
	keys, err := signet.NewStaticKeys(signet.Secret{ID: "app-1", Key: key})
	if err != nil {
		tb.Fatal(err)
	}
	sasigning, err := signet.NewSASigning(keys)
	if err != nil {
		tb.Fatal(err)
	}
	sasigningSigner, err := signet.NewSASigningSigner(key)
	if err != nil {
		tb.Fatal(err)
	}
	cavage, err := signet.NewCavage(keys, signet.WithClock(func() time.Time {
		//lint:ignore SA4017 what a server pays, its result unused
		time.Now()
		return signedAt
	}))
	if err != nil {
		tb.Fatal(err)
	}
	cavageSigner, err := signet.NewCavageSigner("app-1", key, at)
	if err != nil {
		tb.Fatal(err)
	}
	var cases []BenchCase
	for _, c := range []struct {
		name     string
		verifier signet.Verifier
		signer   signet.Signer
		target   string
	}{
		{"sasigning-path-method", sasigning, sasigningSigner, "/v1/orders/42"},
		{"cavage-hmac-sha256", cavage, cavageSigner, "/v1/orders/42?expand=items"},
	} {
		r := httptest.NewRequest(http.MethodGet, "http://api.example"+c.target, nil)
		r.RequestURI = c.target // origin-form, as a server receives it
		if err := c.signer.Sign(r); err != nil {
			tb.Fatal(err)
		}
		res, err := c.verifier.Verify(r.Context(), signet.FromHTTP(r))
		if err != nil {
			tb.Fatalf("%s: the benchmark request does not verify: %v", c.name, err)
		}
		cases = append(cases, BenchCase{c.name, c.verifier, r, readyVerifier{res}})
	}
	return cases
}

// BenchMiddleware is the BenchmarkMiddleware of an adapter built on
// net/http: for every BenchCase, the request through the handler that
// serve returns without the middleware (v nil) and with it, and core's
// Verify of the same request alone, in the same run, named
//
//	<framework>/<case>/plain    the router and handler alone
//	<framework>/<case>/signet   behind the middleware verifying with v
//	<framework>/<case>/adapter  behind the middleware around the case's Ready
//	                            verifier: the adapter's own cost (what its
//	                            framework makes it do with the Result),
//	                            core's verification left out
//	<framework>/<case>/core     core's Verify of the same request alone
//
// The handler must answer 204 on GET /v1/orders/{id}.
func BenchMiddleware(b *testing.B, framework string, serve func(v signet.Verifier) http.Handler) {
	for _, c := range BenchCases(b) {
		r := c.Request
		for _, h := range []struct {
			name    string
			handler http.Handler
		}{{"plain", serve(nil)}, {"signet", serve(c.Verifier)}, {"adapter", serve(c.Ready)}} {
			b.Run(framework+"/"+c.Name+"/"+h.name, func(b *testing.B) {
				b.ReportAllocs()
				w := &statusRecorder{header: http.Header{}}
				for b.Loop() {
					w.status = 0
					h.handler.ServeHTTP(w, r)
					if w.status != http.StatusNoContent {
						b.Fatalf("status %d", w.status)
					}
				}
			})
		}
		b.Run(framework+"/"+c.Name+"/core", func(b *testing.B) {
			b.ReportAllocs()
			ctx := r.Context()
			for b.Loop() {
				if _, err := c.Verifier.Verify(ctx, signet.FromHTTP(r)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// readyVerifier returns the same Result for every request: one verified
// with the request's own context, so that putting it on that context costs
// what it costs after a real verification (see signet.NewContext).
type readyVerifier struct{ res *signet.Result }

func (v readyVerifier) Verify(context.Context, signet.Request) (*signet.Result, error) {
	return v.res, nil
}

// statusRecorder is the ResponseWriter of BenchMiddleware: it keeps the
// status of each request, allocating nothing (httptest.ResponseRecorder
// keeps the first request's only).
type statusRecorder struct {
	header http.Header
	status int
}

func (w *statusRecorder) Header() http.Header { return w.header }

func (w *statusRecorder) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return len(b), nil
}
