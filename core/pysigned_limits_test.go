package signet_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// TestPysignedTargetLimit: a request-target over 16 KiB, the native signed
// URLs' limit, is malformed_signature before any key is looked up or any
// HMAC computed, however well it is signed; one of 16 KiB verifies.
func TestPysignedTargetLimit(t *testing.T) {
	f := newPysignedFixture(t)
	lookups := 0
	keys := signet.KeyFunc(func(ctx context.Context, id string) ([]signet.Secret, error) {
		lookups++
		return f.keys.Lookup(ctx, id)
	})
	verifier, err := signet.NewPysigned(keys, clockAt(pyNow))
	require.NoError(t, err)
	// signedOf returns a URL signed by hmac_a whose request-target is n
	// bytes, signed by hand as pysigned signs it: the signer refuses to
	// sign one over the limit.
	signedOf := func(n int) string {
		exp := strconv.Itoa(pyNow + 600)
		sign := func(value string) string {
			return "https://example.com/p?a=" + value + "&sig=" + hmacTag(t, f.table, exp+"\nhttps\nexample.com\n/p\n\na="+value) + "&exp=" + exp
		}
		short := sign("v") // the same length for any value of a
		value := strings.Repeat("v", 1+n-len(strings.TrimPrefix(short, "https://example.com")))
		signed := sign(value)
		require.Len(t, strings.TrimPrefix(signed, "https://example.com"), n)
		return signed
	}
	for _, tt := range []struct {
		name   string
		target int
		want   error // nil: accepted
	}{
		{"1 KiB", 1 << 10, nil},
		{"16 KiB", 16 << 10, nil},
		{"16 KiB and a byte", 16<<10 + 1, signet.ErrMalformed},
		{"1 MiB", 1 << 20, signet.ErrMalformed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			lookups = 0
			_, err := verifier.Verify(context.Background(), signet.FromHTTP(pysignedServerRequest(t, signedOf(tt.target))))
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tt.want)
			assert.ErrorContains(t, err, "longer than the 16384 bytes")
			assert.Zero(t, lookups, "keys looked up")
		})
	}
}

// TestPysignedTargetLimitAbsoluteForm: the limit counts what signers count,
// the path and query: a URL at the limit verifies sent in absolute form too,
// as to a forward proxy.
func TestPysignedTargetLimitAbsoluteForm(t *testing.T) {
	f := newPysignedFixture(t)
	verifier, err := signet.NewPysigned(f.keys, clockAt(pyNow))
	require.NoError(t, err)
	const origin = "http://example.com"
	base := len(sentTarget(t, f.sign(t, f.hmac, origin+"/p?a=v"), origin))
	signed := f.sign(t, f.hmac, origin+"/p?a="+strings.Repeat("v", 1+urlMaxTarget-base))
	target := sentTarget(t, signed, origin)
	require.Len(t, target, urlMaxTarget)
	for _, requestURI := range []string{target, origin + target} {
		r := pysignedServerRequest(t, signed)
		r.RequestURI = requestURI
		_, err = verifier.Verify(context.Background(), signet.FromHTTP(r))
		assert.NoError(t, err, requestURI[:20])
	}
	r := pysignedServerRequest(t, signed)
	r.RequestURI = origin + target + "b"
	_, err = verifier.Verify(context.Background(), signet.FromHTTP(r))
	assert.ErrorIs(t, err, signet.ErrMalformed)
}
