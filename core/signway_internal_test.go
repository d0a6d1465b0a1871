package signet

import (
	"context"
	"encoding/hex"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/signet-go/signet/core/internal/vectors"
)

// TestSignwayVerifierCanonicalRequest checks, for every vector where Signway
// gets that far, that the verifier rebuilds exactly the canonical request
// Signway rebuilds from the (possibly altered) request, and computes the
// signature Signway computes from it.
func TestSignwayVerifierCanonicalRequest(t *testing.T) {
	all, err := vectors.SignwayVectors()
	require.NoError(t, err)
	checked := 0
	for _, v := range all {
		if v.Verify.CanonicalRequest == nil {
			continue
		}
		checked++
		t.Run(v.Name, func(t *testing.T) {
			var body string
			if v.Request.Body != nil {
				body = *v.Request.Body
			}
			target := v.Request.URL
			if v.Name == "uppercase-signature-hex" { // signet stops at its shape; the rest is as Signway rebuilds it
				target = strings.Replace(target, strings.ToUpper(v.Signature), v.Signature, 1)
			}
			r := httptest.NewRequest(v.Request.Method, target, strings.NewReader(body))
			for _, h := range v.Request.Headers {
				r.Header.Add(h[0], h[1])
			}
			verifier, err := NewSignway(KeyFunc(func(context.Context, string) ([]Secret, error) { return nil, nil }))
			require.NoError(t, err)
			st := &signwayState{v: verifier}
			a := &attempt{req: FromHTTP(r)}
			require.NoError(t, st.parse(a))
			require.NoError(t, st.prepare(a))
			assert.Equal(t, *v.Verify.CanonicalRequest, string(a.msg))

			secret, ok := v.Verify.KnownIDs[st.id]
			require.True(t, ok)
			key := NewHMACKey([]byte(secret)).signwayDerive(st.date[:8], false)
			assert.Equal(t, *v.Verify.ExpectedSignature, hex.EncodeToString(key.appendSum(nil, st.sts[:])))
		})
	}
	assert.Equal(t, 15, checked)
}

// TestSignwaySigningKey checks the date-scoped key derivation against every
// vector's signing_key_hex.
func TestSignwaySigningKey(t *testing.T) {
	all, err := vectors.SignwayVectors()
	require.NoError(t, err)
	for _, v := range all {
		dk := NewHMACKey([]byte(v.Sign.Secret)).signwayDerive(v.Sign.Datetime.XSwDate[:8], true)
		assert.Equal(t, v.SigningKeyHex, hex.EncodeToString(dk.key[:]), v.Name)
	}
}

// TestSignwayDayKeyCache checks that the derived day keys are cached,
// bounded, evict the oldest day only for a newer one, and are safe to use
// concurrently.
func TestSignwayDayKeyCache(t *testing.T) {
	k := NewHMACKey([]byte("secret"))
	days := func() (got []string) {
		for _, d := range k.signway.days.Load() {
			if d != nil {
				var b [8]byte
				for i := range b {
					b[i] = byte(d.day >> (56 - 8*i))
				}
				got = append(got, string(b[:]))
			}
		}
		return got
	}
	assert.Nil(t, k.signwayCached(signwayDayBits("20240115")))
	uncached := k.signwayDerive("20240115", false)
	assert.Nil(t, k.signwayCached(signwayDayBits("20240115")), "not cached when the caller says so")
	first := k.signwayDerive("20240115", true)
	assert.Equal(t, uncached.key, first.key)
	assert.Same(t, first, k.signwayCached(signwayDayBits("20240115")))
	assert.Same(t, first, k.signwayDerive("20240115", true), "derived once")

	for d := 16; d < 16+signwayCachedDays-1; d++ {
		k.signwayDerive("202401"+string(rune('0'+d/10))+string(rune('0'+d%10)), true)
	}
	require.Len(t, days(), signwayCachedDays)
	k.signwayDerive("20231231", true) // older than every cached day: not cached
	assert.NotContains(t, days(), "20231231")
	assert.Contains(t, days(), "20240115")
	k.signwayDerive("20240201", true) // newer: the oldest (20240115) makes room
	assert.Contains(t, days(), "20240201")
	assert.NotContains(t, days(), "20240115")
	assert.Len(t, days(), signwayCachedDays)

	// Concurrent derivations and uses agree (run with -race).
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			day := []string{"20250101", "20250102", "20250103"}[i%3]
			dk := k.signwayCached(signwayDayBits(day))
			if dk == nil {
				dk = k.signwayDerive(day, true)
			}
			got := dk.appendSum(nil, []byte("message"))
			want := newSignwayDayKey(k.secret, day, 0).appendSum(nil, []byte("message"))
			assert.Equal(t, want, got)
		}()
	}
	wg.Wait()
}

// TestSignwayVerifyCachesOnlyPlausibleDays checks that verifying a URL
// dated after the clock (plus skew) does not put its day in the cache: a
// forged date cannot evict the days real URLs use.
func TestSignwayVerifyCachesOnlyPlausibleDays(t *testing.T) {
	key := NewHMACKey([]byte("secret"))
	keys, err := NewStaticKeys(Secret{ID: "foo", Key: key})
	require.NoError(t, err)
	now := time.Date(2024, 1, 15, 23, 58, 0, 0, time.UTC)
	verifier, err := NewSignway(keys, WithClock(func() time.Time { return now }))
	require.NoError(t, err)
	for _, tc := range []struct {
		date   string
		cached bool
	}{
		{"20240115T120000Z", true},
		{"20240116T000100Z", true}, // within the 5 min skew: tomorrow is plausible
		{"20240117T000000Z", false},
		{"99991231T000000Z", false},
		{"19700101T000000Z", true}, // the past: cached while there is room
	} {
		target := "/?X-Sw-Algorithm=SW1-HMAC-SHA256&X-Sw-Credential=foo&X-Sw-Date=" + tc.date +
			"&X-Sw-Expires=60&X-Sw-Proxy=https%3A%2F%2Fh%2F&X-Sw-SignedHeaders=&X-Sw-Body=false&X-Sw-Signature=" + strings.Repeat("0", 64)
		_, err := verifier.Verify(context.Background(), FromHTTP(httptest.NewRequest(http.MethodGet, target, nil)))
		assert.ErrorIs(t, err, ErrInvalidSignature)
		assert.Equal(t, tc.cached, key.signwayCached(signwayDayBits(tc.date)) != nil, tc.date)
	}
}

// TestSignwayDate checks X-Sw-Date parsing and the day arithmetic over the
// whole range of four-digit years.
func TestSignwayDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"19700101T000000Z", time.Unix(0, 0)},
		{"20240229T235959Z", time.Date(2024, 2, 29, 23, 59, 59, 0, time.UTC)},
		{"00000101T000000Z", time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"00000229T120000Z", time.Date(0, 2, 29, 12, 0, 0, 0, time.UTC)}, // year 0 is a leap year
		{"16001231T235959Z", time.Date(1600, 12, 31, 23, 59, 59, 0, time.UTC)},
		{"99991231T235959Z", time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)},
	} {
		got, ok := parseSignwayDate(tc.in)
		require.True(t, ok, tc.in)
		assert.True(t, tc.want.Equal(got), "%s: %v", tc.in, got)
		assert.Equal(t, signwayDayBits(tc.in), signwayDayOf(got), tc.in)
	}
	for _, in := range []string{
		"", "20240115", "20240115T120000", "20240115t120000Z", "20240115T120000z", "20240115T120000Z ",
		"+2024015T120000Z", "-2024015T120000Z", "20241315T120000Z", "20240230T120000Z", "20230229T120000Z",
		"20240100T120000Z", "20240115T240000Z", "20240115T126000Z", "20240115T120060Z", "2024-1-15T12000Z",
		"２0240115T12000Z",
	} {
		_, ok := parseSignwayDate(in)
		assert.False(t, ok, in)
	}
	assert.Equal(t, uint64(0), signwayDayOf(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)))
	assert.Equal(t, uint64(0), signwayDayOf(time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)))
}

// TestParseU32 checks X-Sw-Expires parsing against Rust's u32 FromStr.
func TestParseU32(t *testing.T) {
	for in, want := range map[string]uint32{"0": 0, "600": 600, "0600": 600, "+600": 600, "4294967295": math.MaxUint32, "+0": 0} {
		got, ok := parseU32(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "+", "-1", "-0", " 1", "1 ", "4294967296", "1e3", "0x10", "++1", "99999999999999999999999",
		"18446744073709551620", "18446744073709551616", "36893488147419103232"} { // wrapping round 2^64 to 4, 0 and 0
		_, ok := parseU32(in)
		assert.False(t, ok, in)
	}
}

// TestParseU64 checks the bound of Content-Length and X-Sw-Expires digits:
// 2^63-1, never a value wrapped round 2^64.
func TestParseU64(t *testing.T) {
	for in, want := range map[string]uint64{"9223372036854775807": math.MaxInt64, "09223372036854775807": math.MaxInt64,
		"1844674407370955161": 1844674407370955161} {
		got, ok := parseU64(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"9223372036854775808", "18446744073709551615", "18446744073709551616", "18446744073709551620",
		"184467440737095516160"} {
		_, ok := parseU64(in)
		assert.False(t, ok, in)
	}
}
