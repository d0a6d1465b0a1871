package signet_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
)

// FuzzSASigningVerify feeds arbitrary signature headers, request targets,
// content types and bodies to a verifier signing every field kind, seeded
// from the upstream vectors. It must never panic, must reject with a 4xx
// *Error, and an accepted request must stop verifying when one byte of its
// signature changes.
func FuzzSASigningVerify(f *testing.F) {
	vectors, err := signettest.SASigningVectors()
	if err != nil {
		f.Fatal(err)
	}
	for _, v := range vectors {
		sig := ""
		if v.SignatureHeader != nil {
			sig = v.SignatureHeader.Value
		}
		f.Add(v.Request.Target, sig, v.Request.Headers["Content-Type"], v.Request.Body)
	}
	opts := []signet.SASigningOption{
		signet.SASigningFields("path", "path_info", "method", "scheme", "content_type", "query", "body", "header:X-Tenant"), signet.SASigningDelimiter("\n"),
		signet.SASigningDelimiter("|"), signet.SASigningMount("/app"),
	}
	keys := staticKeys(f, signet.Secret{ID: "k", Key: signet.NewHMACKey([]byte(testSecret))})
	verifier, err := signet.NewSASigning(keys, append(opts, signet.WithMaxBodyBytes(1<<10))...)
	if err != nil {
		f.Fatal(err)
	}
	// One seed that verifies, so the fuzzer explores around acceptance.
	valid := signedRequest(f, "POST", "/app/x%20y?q=1", "hi", opts...)
	f.Add(valid.RequestURI, valid.Header.Get("Signature"), "text/plain", "hi")
	if _, err := verifier.Verify(context.Background(), signet.FromHTTP(valid)); err != nil {
		f.Fatalf("the valid seed does not verify: %v", err)
	}

	f.Fuzz(func(t *testing.T, target, signature, contentType, body string) {
		request := func(sig string) *http.Request {
			return &http.Request{
				Method:     "POST",
				RequestURI: target,
				URL:        &url.URL{Path: "/"},
				Header: http.Header{
					"Signature":    {sig},
					"Content-Type": {contentType},
					"X-Tenant":     {"t1"},
				},
				Body:          http.NoBody,
				ContentLength: int64(len(body)),
			}
		}
		r := request(signature)
		if body != "" {
			r.Body = readCloser{strings.NewReader(body)}
		}
		_, err := verifier.Verify(context.Background(), signet.FromHTTP(r))
		if err != nil {
			var e *signet.Error
			if !errors.As(err, &e) || e.Status() < 400 || e.Status() >= 500 {
				t.Fatalf("rejection %v is not a 4xx *signet.Error", err)
			}
			return
		}
		flipped := []byte(signature)
		flipped[len(flipped)/2] ^= 1
		r = request(string(flipped))
		r.Body = readCloser{strings.NewReader(body)}
		if _, err := verifier.Verify(context.Background(), signet.FromHTTP(r)); err == nil {
			t.Fatalf("accepted %q and its one-bit change %q", signature, flipped)
		}
	})
}

type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }
