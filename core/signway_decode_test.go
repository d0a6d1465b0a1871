package signet_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
)

// TestSignwayEncodedValues checks that the values read as they came when
// they need no decoding (the signature, the date, a canonically encoded
// X-Sw-Proxy) are still form-decoded when sent otherwise: a URL whose
// values are encoded differently, but decode the same, still verifies.
func TestSignwayEncodedValues(t *testing.T) {
	vectors, err := signettest.SignwayVectors()
	if err != nil {
		t.Fatal(err)
	}
	var v signettest.SignwayVector
	for _, v = range vectors {
		if v.Name == "post-signed-headers-and-body" {
			break
		}
	}
	for _, tt := range []struct{ name, old, new string }{
		{"as signed", "", ""},
		{"signature", "X-Sw-Signature=f", "X-Sw-Signature=%66"},
		{"date", "X-Sw-Date=2024", "X-Sw-Date=%32024"},
		{"proxy, lower-case hex", "%2F%2Fpostman", "%2f%2fpostman"},
		{"proxy, a byte sent as it is", "%2F%2Fpostman", "%2F/postman"},
		{"proxy, an unreserved byte encoded", "postman-echo", "%70ostman-echo"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(v.Request.URL, tt.old) {
				t.Fatalf("%q is not in %s", tt.old, v.Request.URL)
			}
			v := v
			v.Request.URL = strings.Replace(v.Request.URL, tt.old, tt.new, 1)
			verifier, err := signet.NewSignway(signwayKeys(t, v.Verify.KnownIDs), fixedClock(unixTime(v.Verify.Now.Unix)))
			if err != nil {
				t.Fatal(err)
			}
			res, err := verifier.Verify(context.Background(), signet.FromHTTP(signwayRequest(t, v)))
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Details.(*signet.SignwayDetails).Proxy; got != v.Sign.ProxyURLNormalized {
				t.Errorf("Proxy %q", got)
			}
		})
	}
	// What decodes to no signature (63 digits here) is still rejected.
	v.Request.URL = strings.Replace(v.Request.URL, "X-Sw-Signature=f", "X-Sw-Signature=%6", 1)
	verifier, err := signet.NewSignway(signwayKeys(t, v.Verify.KnownIDs), fixedClock(unixTime(v.Verify.Now.Unix)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := verifier.Verify(context.Background(), signet.FromHTTP(signwayRequest(t, v))); !errors.Is(err, signet.ErrMalformed) {
		t.Errorf("a signature of 63 digits: %v", err)
	}
}
