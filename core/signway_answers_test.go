package signet_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// signwaySignedAt is the signing time of the answers tests.
var signwaySignedAt = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

// signwayCase is a request to a URL signed by signwaySigned, changed by the
// test.
type signwayCase struct {
	method, target, body string
	header               http.Header
	host                 string
}

// signwaySigned signs a POST to https://api.example.com/v1?x=1 with header
// X-Foo and a body, valid for 600 s, as id "app" with secret "secret".
func signwaySigned(t testing.TB) signwayCase {
	t.Helper()
	signer, err := signet.NewSignwaySigner("app", signet.NewHMACKey([]byte("secret")), "http://gw.example",
		fixedClock(signwaySignedAt))
	require.NoError(t, err)
	link, err := signer.SignURL(signet.SignwayURL{
		Method: "POST", Proxy: "https://api.example.com/v1?x=1", Expiry: 600 * time.Second,
		Headers:  []signet.SignwayHeader{{Name: "X-Foo", Value: "foo"}},
		SignBody: true, Body: []byte(`{"a":1}`),
	})
	require.NoError(t, err)
	return signwayCase{method: "POST", target: link, body: `{"a":1}`,
		header: http.Header{"X-Foo": {"foo"}, "Content-Length": {"7"}}}
}

func (c signwayCase) request() *http.Request {
	r := httptest.NewRequest(c.method, c.target, strings.NewReader(c.body))
	r.Header = c.header.Clone()
	if c.host != "" {
		r.Host = c.host
	}
	return r
}

// param returns target with the raw value of parameter name replaced
// (added when absent, removed when value is "<none>").
func param(target, name, value string) string {
	base, query, _ := strings.Cut(target, "?")
	var pieces []string
	found := false
	for _, p := range strings.Split(query, "&") {
		if n, _, _ := strings.Cut(p, "="); n == name {
			found = true
			if value == "<none>" {
				continue
			}
			p = name + "=" + value
		}
		pieces = append(pieces, p)
	}
	if !found && value != "<none>" {
		pieces = append(pieces, name+"="+value)
	}
	return base + "?" + strings.Join(pieces, "&")
}

// rawParam returns the raw value of parameter name in target.
func rawParam(target, name string) string {
	_, query, _ := strings.Cut(target, "?")
	for _, p := range strings.Split(query, "&") {
		if n, v, _ := strings.Cut(p, "="); n == name {
			return v
		}
	}
	return ""
}

func signwayVerifier(t testing.TB, opts ...signet.SignwayOption) *signet.Signway {
	t.Helper()
	keys := staticKeys(t, signet.Secret{ID: "app", Key: signet.NewHMACKey([]byte("secret")), Credentials: "app"})
	opts = append([]signet.SignwayOption{fixedClock(signwaySignedAt.Add(time.Minute))}, opts...)
	v, err := signet.NewSignway(keys, opts...)
	require.NoError(t, err)
	return v
}

// TestSignwayAnswers checks every answer of the verifier, in the order its
// checks run (docs/schemes/signway.md, "Answers").
func TestSignwayAnswers(t *testing.T) {
	base := signwaySigned(t)
	sig := rawParam(base.target, "X-Sw-Signature")
	for _, tc := range []struct {
		name   string
		change func(c *signwayCase)
		want   error // nil: accepted
	}{
		{"as signed", func(*signwayCase) {}, nil},
		{"any path and host", func(c *signwayCase) {
			c.target = strings.Replace(c.target, "http://gw.example/?", "http://other:8080/deep/path?", 1)
		}, nil},
		{"extra parameters", func(c *signwayCase) { c.target += "&utm=1&X-Sw-Other=2" }, nil},
		{"raw ';' in X-Sw-SignedHeaders", func(c *signwayCase) {
			c.target = param(c.target, "X-Sw-SignedHeaders", "x-foo;content-length")
		}, nil},
		{"%-encoded parameter names, lower-case hex", func(c *signwayCase) {
			c.target = strings.Replace(c.target, "X-Sw-Proxy=https%3A%2F%2F", "X%2dSw%2DProxy=https%3a%2f%2f", 1)
		}, nil},
		{"'+' for a space", func(c *signwayCase) {
			c.target = param(c.target, "X-Sw-Credential", "app+%2F20240301") // id "app " is unknown
		}, signet.ErrUnknownKey},
		{"a bogus signature before the real one", func(c *signwayCase) {
			c.target = strings.Replace(c.target, "X-Sw-Algorithm", "X-Sw-Signature="+strings.Repeat("0", 64)+"&X-Sw-Algorithm", 1)
		}, nil},
		{"a bogus signature after the real one", func(c *signwayCase) { c.target += "&X-Sw-Signature=" + strings.Repeat("0", 64) }, signet.ErrInvalidSignature},
		{"a signed header sent twice", func(c *signwayCase) { c.header["X-Foo"] = []string{"foo", "bar"} }, signet.ErrMalformed},
		{"a signed header sent twice, the signed value last", func(c *signwayCase) { c.header["X-Foo"] = []string{"bar", "foo"} }, signet.ErrMalformed},
		{"signed header value padded", func(c *signwayCase) { c.header.Set("X-Foo", " \tfoo ") }, nil},

		{"no query", func(c *signwayCase) { c.target = "http://gw.example/" }, signet.ErrMissingSignature},
		{"unrelated query", func(c *signwayCase) { c.target = "http://gw.example/?a=b" }, signet.ErrMissingSignature},
		{"no X-Sw-Signature", func(c *signwayCase) { c.target = param(c.target, "X-Sw-Signature", "<none>") }, signet.ErrMissingSignature},
		{"empty X-Sw-Signature", func(c *signwayCase) { c.target = param(c.target, "X-Sw-Signature", "") }, signet.ErrMissingSignature},
		{"short X-Sw-Signature", func(c *signwayCase) { c.target = param(c.target, "X-Sw-Signature", sig[1:]) }, signet.ErrMalformed},
		{"upper-case X-Sw-Signature", func(c *signwayCase) {
			c.target = param(c.target, "X-Sw-Signature", strings.ToUpper(sig))
		}, signet.ErrMalformed},
		{"X-Sw-Signature not hex", func(c *signwayCase) { c.target = param(c.target, "X-Sw-Signature", "g"+sig[1:]) }, signet.ErrMalformed},
		{"no X-Sw-Algorithm", func(c *signwayCase) { c.target = param(c.target, "X-Sw-Algorithm", "<none>") }, signet.ErrMalformed},
		{"X-Sw-Algorithm ignored", func(c *signwayCase) { c.target = param(c.target, "X-Sw-Algorithm", "none") }, nil},
		{"no X-Sw-Date", func(c *signwayCase) { c.target = param(c.target, "X-Sw-Date", "<none>") }, signet.ErrMalformed},
		{"X-Sw-Date lower-case t", func(c *signwayCase) { c.target = param(c.target, "X-Sw-Date", "20240301t120000Z") }, signet.ErrMalformed},
		{"X-Sw-Date 30 February", func(c *signwayCase) { c.target = param(c.target, "X-Sw-Date", "20240230T120000Z") }, signet.ErrMalformed},
		{"X-Sw-Date with a sign", func(c *signwayCase) { c.target = param(c.target, "X-Sw-Date", "%2B20240301T120000Z") }, signet.ErrMalformed},
		{"no X-Sw-Expires", func(c *signwayCase) { c.target = param(c.target, "X-Sw-Expires", "<none>") }, signet.ErrMalformed},
		{"X-Sw-Expires negative", func(c *signwayCase) { c.target = param(c.target, "X-Sw-Expires", "-1") }, signet.ErrMalformed},
		{"X-Sw-Expires beyond u32", func(c *signwayCase) { c.target = param(c.target, "X-Sw-Expires", "4294967296") }, signet.ErrMalformed},
		{"X-Sw-Expires re-printed", func(c *signwayCase) { c.target = param(c.target, "X-Sw-Expires", "%2B0600") }, nil},
		{"no X-Sw-SignedHeaders", func(c *signwayCase) { c.target = param(c.target, "X-Sw-SignedHeaders", "<none>") }, signet.ErrMalformed},
		{"X-Sw-SignedHeaders not names", func(c *signwayCase) {
			c.target = param(c.target, "X-Sw-SignedHeaders", "x-foo%3Bx%20y")
		}, signet.ErrMalformed},
		{"signed header absent", func(c *signwayCase) { c.header.Del("X-Foo") }, signet.ErrMissingHeader},
		{"signed header not visible ASCII", func(c *signwayCase) { c.header.Set("X-Foo", "fé") }, signet.ErrMalformed},
		{"too many signed headers", func(c *signwayCase) {
			c.target = param(c.target, "X-Sw-SignedHeaders", strings.Repeat("x-foo%3B", 3)+signwayManyHeaders(c.header))
		}, signet.ErrMalformed},
		{"no X-Sw-Proxy", func(c *signwayCase) { c.target = param(c.target, "X-Sw-Proxy", "<none>") }, signet.ErrMalformed},
		{"X-Sw-Proxy relative", func(c *signwayCase) { c.target = param(c.target, "X-Sw-Proxy", "%2Fv1") }, signet.ErrMalformed},
		{"X-Sw-Proxy data: URL", func(c *signwayCase) { c.target = param(c.target, "X-Sw-Proxy", "data%3Ax") }, signet.ErrMalformed},
		{"X-Sw-Proxy re-normalised", func(c *signwayCase) {
			c.target = param(c.target, "X-Sw-Proxy", "HTTPS%3A%2F%2FAPI.example.com%3A443%2Fa%2F..%2Fv1%3Fx%3D1")
		}, nil},
		{"X-Sw-Proxy changed", func(c *signwayCase) {
			c.target = param(c.target, "X-Sw-Proxy", "https%3A%2F%2Fapi.example.com%2Fv1%3Fx%3D2")
		}, signet.ErrInvalidSignature},
		{"no X-Sw-Credential", func(c *signwayCase) { c.target = param(c.target, "X-Sw-Credential", "<none>") }, signet.ErrMalformed},
		{"empty id", func(c *signwayCase) { c.target = param(c.target, "X-Sw-Credential", "%2F20240301") }, signet.ErrMalformed},
		{"credential without its day", func(c *signwayCase) { c.target = param(c.target, "X-Sw-Credential", "app") }, nil},
		{"unknown id", func(c *signwayCase) { c.target = param(c.target, "X-Sw-Credential", "bob%2F20240301") }, signet.ErrUnknownKey},
		{"no X-Sw-Body", func(c *signwayCase) { c.target = param(c.target, "X-Sw-Body", "<none>") }, signet.ErrMalformed},
		{"X-Sw-Body TRUE reads as false", func(c *signwayCase) { c.target = param(c.target, "X-Sw-Body", "TRUE") }, signet.ErrInvalidSignature},
		{"method case", func(c *signwayCase) { c.method = "post" }, signet.ErrInvalidSignature},
		{"method changed", func(c *signwayCase) { c.method = "PUT" }, signet.ErrInvalidSignature},
		{"no Content-Length", func(c *signwayCase) { c.header.Del("Content-Length") }, signet.ErrMissingHeader},
		{"Content-Length not a number", func(c *signwayCase) { c.header.Set("Content-Length", "7 bytes") }, signet.ErrMalformed},
		{"body longer than its Content-Length", func(c *signwayCase) { c.body += " " }, signet.ErrMalformed},
		{"body not UTF-8", func(c *signwayCase) { c.body = "{\"a\":\xff}"[:7] }, signet.ErrMalformed},
		{"body changed", func(c *signwayCase) { c.body = `{"a":2}` }, signet.ErrInvalidSignature},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := base
			c.header = base.header.Clone()
			tc.change(&c)
			r := c.request()
			res, err := signwayVerifier(t).Verify(context.Background(), signet.FromHTTP(r))
			if tc.want == nil {
				require.NoError(t, err)
				assert.Equal(t, "app", res.KeyID)
				assert.Equal(t, "https://api.example.com/v1?x=1", res.Details.(*signet.SignwayDetails).Proxy)
				return
			}
			require.ErrorIs(t, err, tc.want)
			e := signet.AsError(err)
			assert.NotContains(t, e.Error(), sig)
			assert.Empty(t, e.Challenge(), "Signway defines no challenge")
		})
	}
}

// signwayManyHeaders adds 64 headers to h and returns their names, joined
// by %3B.
func signwayManyHeaders(h http.Header) string {
	var names []string
	for i := range 64 {
		name := "X-H" + strconv.Itoa(i)
		h.Set(name, "v")
		names = append(names, strings.ToLower(name))
	}
	return strings.Join(names, "%3B")
}

// TestSignwayTime checks the validity window exactly as Signway defines it
// (valid while now <= X-Sw-Date + X-Sw-Expires, at full precision), and the
// future-date check Signway lacks.
func TestSignwayTime(t *testing.T) {
	base := signwaySigned(t) // X-Sw-Date 12:00:00, X-Sw-Expires 600
	deadline := signwaySignedAt.Add(600 * time.Second)
	for _, tc := range []struct {
		name string
		now  time.Time
		skew *time.Duration
		want error
	}{
		{"at the signing time", signwaySignedAt, nil, nil},
		{"1 s before the deadline", deadline.Add(-time.Second), nil, nil},
		{"at the deadline", deadline, nil, nil},
		{"1 ns after the deadline", deadline.Add(time.Nanosecond), nil, signet.ErrExpired},
		{"1 ms after the deadline", deadline.Add(time.Millisecond), nil, signet.ErrExpired},
		{"1 s after the deadline", deadline.Add(time.Second), nil, signet.ErrExpired},
		{"X-Sw-Date 5 min ahead", signwaySignedAt.Add(-5 * time.Minute), nil, nil},
		{"X-Sw-Date 5 min 1 s ahead", signwaySignedAt.Add(-5*time.Minute - time.Second), nil, signet.ErrNotYetValid},
		{"X-Sw-Date 1 s ahead, no skew", signwaySignedAt.Add(-time.Second), durationPtr(0), signet.ErrNotYetValid},
		{"X-Sw-Date 1 h ahead, 1 h skew", signwaySignedAt.Add(-time.Hour), durationPtr(time.Hour), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := []signet.SignwayOption{fixedClock(tc.now)}
			if tc.skew != nil {
				opts = append(opts, signet.WithClockSkew(*tc.skew))
			}
			_, err := signwayVerifier(t, opts...).Verify(context.Background(), signet.FromHTTP(base.request()))
			if tc.want == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tc.want)
			}
		})
	}

	// X-Sw-Expires=0 is valid at exactly X-Sw-Date only.
	signer, err := signet.NewSignwaySigner("app", signet.NewHMACKey([]byte("secret")), "http://gw.example",
		fixedClock(signwaySignedAt.Add(999*time.Millisecond)))
	require.NoError(t, err)
	link, err := signer.SignURL(signet.SignwayURL{Method: "GET", Proxy: "https://h/", Expiry: 0})
	require.NoError(t, err)
	for offset, want := range map[time.Duration]error{0: nil, time.Nanosecond: signet.ErrExpired} {
		v := signwayVerifier(t, fixedClock(signwaySignedAt.Add(offset)))
		_, err := v.Verify(context.Background(), signet.FromHTTP(httptest.NewRequest("GET", link, nil)))
		if want == nil {
			assert.NoError(t, err)
		} else {
			assert.ErrorIs(t, err, want)
		}
	}
}

func durationPtr(d time.Duration) *time.Duration { return &d }

// TestSignwayZeroTimeDeadline checks the deadlines that fall on Go's zero
// time, which the pipeline reads as "no deadline": they expire too.
func TestSignwayZeroTimeDeadline(t *testing.T) {
	for _, tc := range []struct {
		signedAt time.Time
		expiry   time.Duration
	}{
		{time.Time{}, 0}, // 00010101T000000Z + 0 s
		{time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), 366 * 24 * time.Hour}, // year 0 is a leap year
	} {
		signer, err := signet.NewSignwaySigner("app", signet.NewHMACKey([]byte("secret")), "http://gw.example",
			fixedClock(tc.signedAt))
		require.NoError(t, err)
		link, err := signer.SignURL(signet.SignwayURL{Method: "GET", Proxy: "https://h/", Expiry: tc.expiry})
		require.NoError(t, err)
		for now, want := range map[time.Time]error{time.Time{}: nil, time.Time{}.Add(time.Nanosecond): signet.ErrExpired, signwaySignedAt: signet.ErrExpired} {
			v := signwayVerifier(t, fixedClock(now))
			_, err := v.Verify(context.Background(), signet.FromHTTP(httptest.NewRequest("GET", link, nil)))
			if want == nil {
				assert.NoError(t, err, "%s at %v", link, now)
			} else {
				assert.ErrorIs(t, err, want, "%s at %v", link, now)
			}
		}
	}
}

// TestSignwayOptions checks WithMaxAge (the max_expiry of the conformance
// server), WithMaxBodyBytes, WithNonceStore, key pinning and what
// NewSignway refuses.
func TestSignwayOptions(t *testing.T) {
	base := signwaySigned(t) // X-Sw-Expires 600, a 7-byte body
	verify := func(v *signet.Signway, c signwayCase) error {
		_, err := v.Verify(context.Background(), signet.FromHTTP(c.request()))
		return err
	}
	assert.NoError(t, verify(signwayVerifier(t, signet.WithMaxAge(600*time.Second)), base))
	err := verify(signwayVerifier(t, signet.WithMaxAge(599*time.Second)), base)
	assert.ErrorIs(t, err, signet.ErrExpired)
	assert.ErrorContains(t, err, "valid for 600 s")
	assert.NoError(t, verify(signwayVerifier(t, signet.WithMaxBodyBytes(7)), base))
	assert.ErrorIs(t, verify(signwayVerifier(t, signet.WithMaxBodyBytes(6)), base), signet.ErrBodyTooLarge)
	assert.Equal(t, http.StatusRequestEntityTooLarge, signet.AsError(verify(signwayVerifier(t, signet.WithMaxBodyBytes(6)), base)).Status())

	store := &memoryNonces{}
	_, err = signet.NewSignway(staticKeys(t), signet.WithNonceStore(store))
	assert.ErrorContains(t, err, "WithMaxAge", "a record must be forgettable")
	once := signwayVerifier(t, signet.WithNonceStore(store), signet.WithMaxAge(time.Hour))
	assert.NoError(t, verify(once, base))
	assert.ErrorIs(t, verify(once, base), signet.ErrReplayed)
	expired := signwayVerifier(t, signet.WithNonceStore(store), signet.WithMaxAge(time.Hour), fixedClock(signwaySignedAt.Add(time.Hour)))
	assert.ErrorIs(t, verify(expired, base), signet.ErrExpired, "checked before the nonce is recorded")

	public, _, _ := ed25519.GenerateKey(nil)
	edKey, err := signet.NewPublicKey(public)
	require.NoError(t, err)
	for _, tc := range []struct {
		name   string
		secret signet.Secret
		want   error
	}{
		{"pinned", signet.Secret{ID: "app", Key: signet.NewHMACKey([]byte("secret")), Algorithm: "SW1-HMAC-SHA256"}, nil},
		{"pinned, other case", signet.Secret{ID: "app", Key: signet.NewHMACKey([]byte("secret")), Algorithm: "sw1-hmac-sha256"}, nil},
		{"pinned elsewhere", signet.Secret{ID: "app", Key: signet.NewHMACKey([]byte("secret")), Algorithm: "hmac-sha256"}, signet.ErrUnsupportedAlgorithm},
		{"not an HMAC key", signet.Secret{ID: "app", Key: edKey}, signet.ErrUnsupportedAlgorithm},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := signet.NewSignway(dynamicKeys(t, tc.secret), fixedClock(signwaySignedAt))
			require.NoError(t, err)
			err = verify(v, base)
			if tc.want == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tc.want)
			}
		})
	}

	rotation, err := signet.NewSignway(staticKeys(t,
		signet.Secret{ID: "app", Key: signet.NewHMACKey([]byte("new")), Credentials: "new"},
		signet.Secret{ID: "app", Key: signet.NewHMACKey([]byte("secret")), Credentials: "old"},
	), fixedClock(signwaySignedAt))
	require.NoError(t, err)
	res, err := rotation.Verify(context.Background(), signet.FromHTTP(base.request()))
	require.NoError(t, err)
	assert.Equal(t, "old", res.Credentials)

	failing := signet.KeyFunc(func(context.Context, string) ([]signet.Secret, error) { return nil, errors.New("db down") })
	v, err := signet.NewSignway(failing)
	require.NoError(t, err)
	assert.ErrorIs(t, verify(v, base), signet.ErrUnavailable)

	for _, opts := range [][]signet.SignwayOption{
		{nil},
		{signet.WithAlgorithms("SW1-HMAC-SHA256")},
		{signet.WithMaxAge(0)},
		{signet.WithMaxBodyBytes(0)},
		{signet.WithClockSkew(-time.Second)},
		{signet.SignwayStrict("relative/path")},
	} {
		_, err := signet.NewSignway(staticKeys(t), opts...)
		assert.Error(t, err)
	}
	_, err = signet.NewSignway(nil)
	assert.Error(t, err)
}

// TestSignwayHost checks that a signed host header is the request's Host.
func TestSignwayHost(t *testing.T) {
	signer, err := signet.NewSignwaySigner("app", signet.NewHMACKey([]byte("secret")), "http://gw.example",
		fixedClock(signwaySignedAt))
	require.NoError(t, err)
	link, err := signer.SignURL(signet.SignwayURL{Method: "GET", Proxy: "https://h/", Expiry: time.Hour,
		Headers: []signet.SignwayHeader{{Name: "Host", Value: "gw.example"}}})
	require.NoError(t, err)
	c := signwayCase{method: "GET", target: link, header: http.Header{}}
	_, err = signwayVerifier(t).Verify(context.Background(), signet.FromHTTP(c.request()))
	assert.NoError(t, err)
	c.host = "evil.example"
	_, err = signwayVerifier(t).Verify(context.Background(), signet.FromHTTP(c.request()))
	assert.ErrorIs(t, err, signet.ErrInvalidSignature)
}

// TestSignwayHugeSignedHeaders: an oversized X-Sw-SignedHeaders is refused
// before it is decoded or planned, and no error echoes a name whole.
func TestSignwayHugeSignedHeaders(t *testing.T) {
	v := signwayVerifier(t)
	for list, want := range map[string]string{
		strings.Repeat("x-a%3B", 3000):                    "longer than",       // 18 000 bytes of names
		"x-" + strings.Repeat("a", 5000) + "%20b%3Bx-foo": "not a header name", // one long name, not a header name
		"x-foo%3Bx-" + strings.Repeat("a", 5000):          "is missing",        // one long name, missing
	} {
		c := signwaySigned(t)
		c.target = param(c.target, "X-Sw-SignedHeaders", list)
		_, err := v.Verify(context.Background(), signet.FromHTTP(c.request()))
		assert.ErrorContains(t, err, want)
		assert.Less(t, len(err.Error()), 200, "the message echoes at most a short part of the list")
	}
}
