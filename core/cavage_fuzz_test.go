package signet_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
)

// FuzzCavageVerify mutates the signature header, the target and the body of
// vectors whose signature covers all three (through (request-target) and
// digest), behind a CavagePathPrefix when prefix is not empty (one NewCavage
// refuses is skipped). Verification must never panic, must reject with a
// 4xx *Error, and must never accept a request whose public target (prefix
// and target) or body changed. Behind a prefix, the verdict must be the
// one a verifier without it gives the public target.
func FuzzCavageVerify(f *testing.F) {
	vectors, table, err := signettest.CavageVectors()
	if err != nil {
		f.Fatal(err)
	}
	keys := cavageKeys(f, table, false)
	var seeds []signettest.CavageVector
	var apiSignature string // the signature of the first seed's request signed for /api/protected
	for _, v := range vectors {
		if v.ID == "hs-hmac-sha512-post-digest" || v.ID == "ref-hs2019-ed25519-created-expires" {
			seeds = append(seeds, v)
			f.Add(uint8(len(seeds)-1), v.Signature.HeaderValue, v.Request.URL, v.Request.Body, "", "")
			f.Add(uint8(len(seeds)-1), v.Signature.HeaderValue, strings.TrimPrefix(v.Request.URL, "/protected"), v.Request.Body, "", "/protected")
		}
		if v.ID == "hs-hmac-sha512-post-digest" { // also signed for /api/protected: it verifies behind CavagePathPrefix("/api")
			mac := hmac.New(sha512.New, []byte(v.Key.Signing.Secret))
			mac.Write([]byte(strings.Replace(*v.SignerSigningString, "post /protected", "post /api/protected", 1)))
			apiSignature = base64.StdEncoding.EncodeToString(mac.Sum(nil))
			_, old, _ := strings.Cut(v.Signature.HeaderValue, `signature="`)
			header := strings.Replace(v.Signature.HeaderValue, old, apiSignature+`"`, 1)
			f.Add(uint8(len(seeds)-1), header, "/protected", v.Request.Body, "", "/api")
		}
	}
	if len(seeds) != 2 {
		f.Fatal("seed vectors not found")
	}
	f.Fuzz(func(t *testing.T, which uint8, signature, target, body, digest, prefix string) {
		v := seeds[int(which)%len(seeds)]
		opts := []signet.CavageOption{clockAt(v.Now)}
		if prefix != "" {
			opts = append(opts, signet.CavagePathPrefix(prefix))
		}
		verifier, err := signet.NewCavage(keys, opts...)
		if err != nil {
			if prefix != "" {
				return // a prefix NewCavage refuses
			}
			t.Fatal(err)
		}
		if target == "" || target[0] != '/' {
			target = "/" + target
		}
		verify := func(verifier *signet.Cavage, target string) error {
			r := cavageRequest(v)
			r.RequestURI = target
			r.Body, r.ContentLength = readCloser{strings.NewReader(body)}, int64(len(body))
			r.Header.Set(v.Signature.HeaderName, signature)
			if digest != "" {
				r.Header.Set("Digest", digest)
			}
			_, err := verifier.Verify(context.Background(), signet.FromHTTP(r))
			return err
		}
		err = verify(verifier, target)
		if public := strings.TrimRight(prefix, "/") + target; public != target {
			plain, perr := signet.NewCavage(keys, clockAt(v.Now))
			if perr != nil {
				t.Fatal(perr)
			}
			if want := verify(plain, public); (err == nil) != (want == nil) || err != nil && signet.AsError(err).Code() != signet.AsError(want).Code() {
				t.Fatalf("behind %q, %q: %v; %q without a prefix: %v", prefix, target, err, public, want)
			}
		}
		if err != nil {
			var e *signet.Error
			if !errors.As(err, &e) || e.Status() < 400 || e.Status() >= 500 {
				t.Fatalf("rejection %v is not a 4xx *signet.Error", err)
			}
			return
		}
		signedFor := v.Request.URL
		if strings.Contains(signature, apiSignature) {
			signedFor = "/api/protected"
		}
		if strings.TrimRight(prefix, "/")+target != signedFor || body != v.Request.Body {
			t.Fatalf("accepted a changed request: prefix %q, target %q, body %q", prefix, target, body)
		}
	})
}
