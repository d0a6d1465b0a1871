//go:build interop

package interop

import (
	"fmt"
	"net/http"
	"regexp"
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
	// After signing, the signature's algorithm= label is swapped for
	// another (swappedLabel), x-client is dropped from its headers= list,
	// or the Digest header is dropped (headers= still naming it).
	tamperAlgorithm tamper = "algorithm"
	tamperList      tamper = "headers"
	tamperDigest    tamper = "digest"
)

// swappedLabel is the algorithm= label tamperAlgorithm puts in place of
// each label: another hash for the same key type where the key type has
// one, otherwise another key type.
var swappedLabel = map[string]string{
	"hmac-sha1":      "hmac-sha256",
	"hmac-sha256":    "hmac-sha512",
	"hmac-sha512":    "hmac-sha256",
	"rsa-sha256":     "rsa-sha512",
	"rsa-sha512":     "rsa-sha256",
	"ecdsa-sha256":   "rsa-sha256",
	"ed25519-sha512": "rsa-sha256",
}

// tampers are the tampers that apply to v signed with the header list
// signed: none for the non-ASCII variant, which checks the encoding only,
// nor for the stale Date, refused as signed; otherwise all of them but
// body and digest for a request without one, and but header and headers
// when X-Client is not signed.
func tampers(v variant, signed []string) []tamper {
	if v.Name == nonASCII.Name || v.Name == staleDate.Name {
		return []tamper{asSigned}
	}
	all := []tamper{asSigned, tamperHeader, tamperBody, tamperPath, tamperQuery, tamperAlgorithm, tamperList, tamperDigest}
	return slices.DeleteFunc(all, func(tp tamper) bool {
		return (tp == tamperBody || tp == tamperDigest) && v.Body == "" ||
			(tp == tamperHeader || tp == tamperList) && !slices.Contains(signed, "x-client")
	})
}

// apply returns r changed by tp: X-Client, the body (the Digest kept), the
// path, a query value, the signature's algorithm= label or headers= list,
// or the Digest header dropped.
func (tp tamper) apply(r wireRequest) wireRequest {
	r.Header = append([][2]string(nil), r.Header...)
	switch tp {
	case tamperAlgorithm, tamperList:
		for i, h := range r.Header {
			if strings.EqualFold(h[0], "Authorization") || strings.EqualFold(h[0], "Signature") {
				r.Header[i][1] = tp.editParams(h[1])
			}
		}
	case tamperDigest:
		r.Header = slices.DeleteFunc(r.Header, func(h [2]string) bool { return strings.EqualFold(h[0], "Digest") })
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

// labelParam and listParam are the algorithm= and headers= parameters
// of a signature.
var (
	labelParam = regexp.MustCompile(`algorithm="([^"]*)"`)
	listParam  = regexp.MustCompile(`headers="([^"]*)"`)
)

// editParams returns the signature header value signature with its
// algorithm= label swapped (tamperAlgorithm) or x-client dropped from its
// headers= list (tamperList); it panics when the parameter is missing,
// so that a tamper never silently sends the request as signed.
func (tp tamper) editParams(signature string) string {
	param, edit := labelParam, func(label string) string { return swappedLabel[label] }
	if tp == tamperList {
		param, edit = listParam, func(list string) string {
			return strings.Join(slices.DeleteFunc(strings.Fields(list), func(n string) bool { return n == "x-client" }), " ")
		}
	}
	m := param.FindStringSubmatchIndex(signature)
	if m == nil {
		panic(fmt.Sprintf("tamper %s: no %s in %q", tp, param, signature))
	}
	edited := edit(signature[m[2]:m[3]])
	if edited == "" || edited == signature[m[2]:m[3]] {
		panic(fmt.Sprintf("tamper %s: nothing to change in %q", tp, signature))
	}
	return signature[:m[2]] + edited + signature[m[3]:]
}

// name is tp's name in test names and the matrix.
func (tp tamper) name() string {
	switch tp {
	case asSigned:
		return "as signed"
	case tamperAlgorithm:
		return "algorithm= swapped"
	case tamperList:
		return "x-client dropped from headers="
	case tamperDigest:
		return "Digest dropped"
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
