package signet_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
)

// FuzzSASigningVerify feeds arbitrary signature headers, request targets,
// content types, timestamps and bodies to a verifier signing every field
// kind, seeded from the upstream vectors and from one valid request. It must
// never panic and must reject with a 4xx *Error. Only the valid seed is
// signed with the verifier's secret, so an accepted request must carry that
// seed's query, body, timestamp and (lower-cased) media type, the fields
// that have one spelling: a field left out of the signed message fails
// here. An accepted request must also stop verifying when one bit of its
// signature changes. A request under the mount gets the same verdict from
// a verifier behind SASigningPathPrefix("/app") without the prefix, as a
// proxy stripping it passes it on.
func FuzzSASigningVerify(f *testing.F) {
	const (
		query, body, mediaType, timestamp = "q=1", "hi", "text/plain", "1700000000"
	)
	vectors, err := signettest.SASigningVectors()
	if err != nil {
		f.Fatal(err)
	}
	for _, v := range vectors {
		sig := ""
		if v.SignatureHeader != nil {
			sig = v.SignatureHeader.Value
		}
		f.Add(v.Request.Target, sig, v.Request.Headers["Content-Type"], timestamp, v.Request.Body)
	}
	clock := fixedClock(time.Unix(1_700_000_000, 0))
	covers := []signet.SASigningOption{
		signet.SASigningFields("path", "path_info", "method", "scheme", "content_type", "query", "body", "timestamp", "header:X-Tenant"),
		signet.SASigningDelimiter("|"), clock,
	}
	opts := append([]signet.SASigningOption{signet.SASigningMount("/app")}, covers...)
	keys := staticKeys(f, signet.Secret{ID: "k", Key: signet.NewHMACKey([]byte(testSecret))})
	verifier, err := signet.NewSASigning(keys, append(opts, signet.WithMaxBodyBytes(1<<10))...)
	if err != nil {
		f.Fatal(err)
	}
	stripped, err := signet.NewSASigning(keys, append(covers, signet.SASigningPathPrefix("/app"), signet.WithMaxBodyBytes(1<<10))...)
	if err != nil {
		f.Fatal(err)
	}
	// One seed that verifies, so the fuzzer explores around acceptance.
	valid := signedRequest(f, "POST", "/app/x%20y?"+query, body, opts...)
	if valid.Header.Get(signet.DefaultTimestampHeader) != timestamp || valid.Header.Get("Content-Type") != mediaType {
		f.Fatalf("the valid seed is not signed as expected: %v", valid.Header)
	}
	sig := valid.Header.Get("Signature")
	f.Add(valid.RequestURI, sig, mediaType, timestamp, body)
	// Near misses: the valid seed with one signed field changed, each within
	// what the verifier would otherwise accept.
	f.Add("/app/x%20y?q=2", sig, mediaType, timestamp, body)
	f.Add(valid.RequestURI, sig, "text/html", timestamp, body)
	f.Add(valid.RequestURI, sig, mediaType, "1700000001", body)
	f.Add(valid.RequestURI, sig, mediaType, timestamp, "ho")
	if _, err := verifier.Verify(context.Background(), signet.FromHTTP(valid)); err != nil {
		f.Fatalf("the valid seed does not verify: %v", err)
	}

	f.Fuzz(func(t *testing.T, target, signature, contentType, ts, content string) {
		request := func(target, sig string) *http.Request {
			r := &http.Request{
				Method:     "POST",
				RequestURI: target,
				URL:        &url.URL{Path: "/"},
				Header: http.Header{
					"Signature":                   {sig},
					"Content-Type":                {contentType},
					signet.DefaultTimestampHeader: {ts},
					"X-Tenant":                    {"t1"},
				},
				Body:          http.NoBody,
				ContentLength: int64(len(content)),
			}
			if content != "" {
				r.Body = readCloser{strings.NewReader(content)}
			}
			return r
		}
		_, err := verifier.Verify(context.Background(), signet.FromHTTP(request(target, signature)))
		if rest, ok := strings.CutPrefix(target, "/app"); ok && strings.HasPrefix(rest, "/") {
			_, serr := stripped.Verify(context.Background(), signet.FromHTTP(request(rest, signature)))
			if (err == nil) != (serr == nil) {
				t.Fatalf("%q under the mount: %v; %q behind the path prefix: %v", target, err, rest, serr)
			}
		}
		if err != nil {
			var e *signet.Error
			if !errors.As(err, &e) || e.Status() < 400 || e.Status() >= 500 {
				t.Fatalf("rejection %v is not a 4xx *signet.Error", err)
			}
			return
		}
		gotPath, gotQuery, _ := strings.Cut(target, "?")
		media, _, _ := strings.Cut(contentType, ";")
		if strings.Contains(strings.ToLower(gotPath), "%2f") {
			t.Fatalf("accepted the encoded slash of %q, which SASigning's decoded path cannot tell from '/'", target)
		}
		if gotQuery != query || content != body || ts != timestamp || strings.ToLower(strings.TrimSpace(media)) != mediaType {
			t.Fatalf("accepted a changed request: target %q, content type %q, timestamp %q, body %q", target, contentType, ts, content)
		}
		flipped := []byte(signature)
		flipped[len(flipped)/2] ^= 1
		if _, err := verifier.Verify(context.Background(), signet.FromHTTP(request(target, string(flipped)))); err == nil {
			t.Fatalf("accepted %q and its one-bit change %q", signature, flipped)
		}
	})
}

type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }
