package signet_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// sentTarget is the request-target a client sends for the absolute URL
// signed, whose origin is origin: what follows it, without the fragment,
// "/" added before an empty path.
func sentTarget(t *testing.T, signed, origin string) string {
	t.Helper()
	target, ok := strings.CutPrefix(signed, origin)
	require.True(t, ok, "%.64q does not start with %q", signed, origin)
	target, _, _ = strings.Cut(target, "#")
	if !strings.HasPrefix(target, "/") {
		target = "/" + target
	}
	return target
}

// TestPysignedSignerTargetLimit: a pysigned signer refuses a URL whose
// request-target, as a client sends it, would be longer than the 16384
// bytes a verifier reads, params and an empty path ("/") counted, through
// SignURL and Sign alike; one of 16384 bytes is signed, and verifies.
func TestPysignedSignerTargetLimit(t *testing.T) {
	f := newPysignedFixture(t)
	verifier, err := signet.NewPysigned(f.keys, clockAt(pyNow))
	require.NoError(t, err)
	const origin = "https://example.com"
	for _, tt := range []struct {
		name, prefix string // prefix is the URL signed, but for a's value
		verifies     bool   // pysigned signs an empty path as "", clients send "/"
	}{
		{"path", origin + "/p?a=", true},
		{"params", origin + "/p;x=1?a=", true},
		{"empty path", origin + "?a=", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// The target grows with a's value byte for byte: 'v' is not escaped.
			base := len(sentTarget(t, f.sign(t, f.hmac, tt.prefix+"v"), origin))
			value := func(n int) string { return strings.Repeat("v", 1+n-base) } // a target of n bytes
			t.Run("at the limit", func(t *testing.T) {
				signed := f.sign(t, f.hmac, tt.prefix+value(urlMaxTarget))
				require.Len(t, sentTarget(t, signed, origin), urlMaxTarget)
				if tt.verifies {
					_, err := verifier.Verify(context.Background(), signet.FromHTTP(pysignedServerRequest(t, signed)))
					assert.NoError(t, err)
				}
				r, err := http.NewRequest(http.MethodGet, tt.prefix+value(urlMaxTarget), nil)
				require.NoError(t, err)
				require.NoError(t, f.hmac.Sign(r))
				assert.Len(t, r.URL.RequestURI(), urlMaxTarget)
			})
			t.Run("over it", func(t *testing.T) {
				_, err := f.hmac.SignURL(tt.prefix + value(urlMaxTarget+1))
				assert.ErrorContains(t, err, "would be 16385 bytes long, and verifiers read at most 16384")
				r, err := http.NewRequest(http.MethodGet, tt.prefix+value(urlMaxTarget+1), nil)
				require.NoError(t, err)
				assert.ErrorContains(t, f.hmac.Sign(r), "verifiers read at most 16384")
			})
		})
	}
}
