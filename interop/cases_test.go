//go:build interop

package interop

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// variant is a request before it is signed. Both directions send the same
// five (but to a signer that always stamps the current Date, the stale one).
type variant struct {
	Name           string
	Method, Target string
	Header         [][2]string // besides Host and what the signer adds
	Body           string
}

// The variants; X-Client is always signed (the header a tamper changes),
// and so is Digest when there is a body.
var (
	noBody   = variant{"no body", "GET", "/items/42?page=2", [][2]string{{"X-Client", "interop"}}, ""}
	withBody = variant{"body + Digest", "POST", "/items?page=2",
		[][2]string{{"Content-Type", "application/json"}, {"X-Client", "interop"}}, `{"name":"widget"}`}
	nonASCII = variant{"non-ASCII header", "GET", "/items/42?page=2", [][2]string{{"X-Client", "café"}}, ""}
	// An escaped slash, an escaped space, a ';', a repeated name and a '+':
	// the request-target both sides sign as sent.
	oddTarget = variant{"unusual target", "GET", "/items/a%2Fb/c%20d;v=1?x=1&x=2&q=a+b&page=2", [][2]string{{"X-Client", "interop"}}, ""}
	// A Date ten minutes old, which the signers keep: every receiver must
	// refuse it as expired (both peers and signet allow 300 s of skew).
	staleDate = variant{"stale Date", "GET", "/items/42?page=2",
		[][2]string{{"X-Client", "interop"}, {"Date", time.Now().Add(-10 * time.Minute).UTC().Format(http.TimeFormat)}}, ""}
	variants = []variant{noBody, withBody, nonASCII, oddTarget, staleDate}
)

// signedHeaders are the names the signers sign for v.
func signedHeaders(v variant) []string {
	names := []string{"(request-target)", "host", "date", "x-client"}
	if v.Body != "" {
		names = append(names, "digest")
	}
	return names
}

// withCreated is names with (created) and (expires) after
// (request-target), as a signer sending created and expires signs them.
func withCreated(names []string) []string {
	return slices.Insert(slices.Clone(names), 1, "(created)", "(expires)")
}

// tamper changes a signed request before it is sent; "" sends it as signed.
type tamper string

const (
	asSigned     tamper = ""
	tamperHeader tamper = "header"
	tamperBody   tamper = "body"
	tamperPath   tamper = "path"
	tamperQuery  tamper = "query"
)

// tampers are the tampers that apply to v signed with the header list
// signed: none for the non-ASCII variant, which checks the encoding only,
// nor for the stale Date, refused as signed; otherwise all of them but
// body for a request without one, and but header when X-Client is not
// signed.
func tampers(v variant, signed []string) []tamper {
	if v.Name == nonASCII.Name || v.Name == staleDate.Name {
		return []tamper{asSigned}
	}
	return slices.DeleteFunc([]tamper{asSigned, tamperHeader, tamperBody, tamperPath, tamperQuery}, func(tp tamper) bool {
		return tp == tamperBody && v.Body == "" || tp == tamperHeader && !slices.Contains(signed, "x-client")
	})
}

// apply returns r changed by tp: X-Client, the body (the Digest kept), the
// path or a query value.
func (tp tamper) apply(r wireRequest) wireRequest {
	r.Header = append([][2]string(nil), r.Header...)
	switch tp {
	case tamperHeader:
		for i, h := range r.Header {
			if strings.EqualFold(h[0], "X-Client") {
				r.Header[i][1] = "tampered"
			}
		}
	case tamperBody:
		r.Body = `{"name":"gadget"}`
	case tamperPath:
		path, query, _ := strings.Cut(r.Target, "?")
		r.Target = path + "x?" + query
	case tamperQuery:
		r.Target = strings.Replace(r.Target, "page=2", "page=3", 1)
	}
	return r
}

// name is tp's name in test names and the matrix.
func (tp tamper) name() string {
	if tp == asSigned {
		return "as signed"
	}
	return "tampered " + string(tp)
}

// want is the answer a request must get.
type want struct {
	Status int
	// Code is the error code signet answers, or the error name the peer
	// reports ("" for none: accepted, or a peer that names no error).
	Code string
	// Limitation is the known peer limitation this answer shows, if any:
	// why a tampered request is accepted, or a valid one rejected.
	Limitation string
}

// accepted is the answer to a request that verifies.
var accepted = want{Status: http.StatusOK}

// check reports how got differs from w, or nil.
func (w want) check(got answer) error {
	if got.Status != w.Status || (w.Code != "" && got.Code != w.Code) {
		return fmt.Errorf("want %s, got %s: %.300s", answer{Status: w.Status, Code: w.Code}, got, got.Body)
	}
	return nil
}
