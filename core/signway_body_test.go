package signet_test

import (
	"context"
	"io"
	"slices"
	"strings"
	"testing"

	signet "github.com/signet-go/signet/core"
)

// TestSignwayBodyWithResult checks signed bodies of every size against the
// room a Result keeps for its details' text, which a small body shares
// (one allocation per verification): the handler reads the exact body,
// appending to the buffered bytes never writes over the details, and the
// details are those VerifyInto (with storage of its own) reports.
func TestSignwayBodyWithResult(t *testing.T) {
	var c intoCase
	for _, ic := range intoCases(t) {
		if ic.name == "signway" {
			c = ic
		}
	}
	ctx := context.Background()
	// The details' text takes 40 bytes of 128 for a two-digit length (the
	// proxy URL, 34, and the values of x-tenant and content-length): a body
	// of 87 bytes is the longest that fits (a byte is left to see EOF).
	for _, size := range []int{1, 14, 87, 88, 100, 1000} {
		body := strings.Repeat("b", size)
		r := incoming(t, c.signer, body)
		var want signet.Result
		if err := c.verifier.(signet.IntoVerifier).VerifyInto(ctx, signet.FromHTTP(incoming(t, c.signer, body)), &want); err != nil {
			t.Fatalf("%d bytes: VerifyInto: %v", size, err)
		}
		res, err := c.verifier.Verify(ctx, signet.FromHTTP(r))
		if err != nil {
			t.Fatalf("%d bytes: Verify: %v", size, err)
		}
		check := func(when string) {
			t.Helper()
			got, wanted := res.Details.(*signet.SignwayDetails), want.Details.(*signet.SignwayDetails)
			if got.Proxy != wanted.Proxy || !slices.Equal(got.SignedHeaders, wanted.SignedHeaders) ||
				strings.Join(res.Covered, ",") != strings.Join(want.Covered, ",") || !got.BodySigned {
				t.Fatalf("%d bytes, %s: details %+v, covered %q; want %+v, %q", size, when, got, res.Covered, wanted, want.Covered)
			}
		}
		check("verified")
		buffered, ok := signet.BufferedBody(r)
		if !ok || string(buffered) != body || cap(buffered) != len(buffered) {
			t.Fatalf("%d bytes: BufferedBody = %q (cap %d), %v", size, buffered, cap(buffered), ok)
		}
		_ = append(buffered, strings.Repeat("#", 200)...)
		check("after appending to the buffered body")
		if got, err := io.ReadAll(r.Body); err != nil || string(got) != body {
			t.Fatalf("%d bytes: the handler reads %q, %v", size, got, err)
		}
		check("after the handler read the body")
	}
}

// TestSignwayBodyAllocations pins one allocation for a body that fits in
// the room the Result's details leave, two (the body's own buffer) for one
// that does not.
func TestSignwayBodyAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	var c intoCase
	for _, ic := range intoCases(t) {
		if ic.name == "signway" {
			c = ic
		}
	}
	for _, tt := range []struct {
		size int
		want float64
	}{{14, 1}, {87, 1}, {88, 2}, {1000, 2}} {
		body := []byte(strings.Repeat("b", tt.size))
		r := incoming(t, c.signer, string(body))
		unread := &rewindableBody{}
		verify := func() {
			unread.Reset(body)
			r.Body = unread
			if _, err := c.verifier.Verify(context.Background(), signet.FromHTTP(r)); err != nil {
				t.Fatal(err)
			}
		}
		if got := testing.AllocsPerRun(50, verify); got != tt.want {
			t.Errorf("a %d-byte body: %v allocations, want %v", tt.size, got, tt.want)
		}
	}
}
