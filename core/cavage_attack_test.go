package signet_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
)

const attackNow = 1_704_067_200

// signedCavage returns the server's view of a request signed by keyID with
// the vector key table, signed at signedAt.
func signedCavage(t *testing.T, table map[string]signettest.CavageKey, keyID, body string, signedAt int64, opts ...signet.CavageSignerOption) *http.Request {
	t.Helper()
	signer, err := signet.NewCavageSigner(keyID, cavageKey(t, table[keyID], true), append(opts, clockAt(signedAt))...)
	require.NoError(t, err)
	out, err := http.NewRequest("POST", "http://api.example/orders?id=7", strings.NewReader(body))
	require.NoError(t, err)
	require.NoError(t, signer.Sign(out))
	return serverRequest(out, body)
}

// TestCavageAttacks: each attack is rejected with its precise code.
func TestCavageAttacks(t *testing.T) {
	_, table, err := signettest.CavageVectors()
	require.NoError(t, err)
	keys := cavageKeys(t, table, false)
	pinned := staticKeys(t,
		signet.Secret{ID: "ed", Key: cavageKey(t, table["ed25519-1"], false), Algorithm: "ed25519"},
		signet.Secret{ID: "hmac", Key: signet.NewHMACKey([]byte("secret-1")), Algorithm: "hmac-sha256"},
	)
	hmac := func(t *testing.T, opts ...signet.CavageSignerOption) *http.Request {
		return signedCavage(t, table, "client-1", `{"amount":100}`, attackNow, opts...)
	}
	setAuth := func(r *http.Request, f func(string) string) *http.Request {
		r.Header.Set("Authorization", f(r.Header.Get("Authorization")))
		return r
	}
	tests := []struct {
		name    string
		request func(t *testing.T) *http.Request
		keys    signet.KeyStore
		opts    []signet.CavageOption
		want    error
	}{
		{"an HMAC secret never verifies an RSA label", func(t *testing.T) *http.Request {
			return setAuth(hmac(t), func(a string) string { return strings.Replace(a, "hmac-sha256", "rsa-sha256", 1) })
		}, nil, nil, signet.ErrUnsupportedAlgorithm},
		{"hs2019 resolves through the pinned key, not the signer's choice", func(t *testing.T) *http.Request {
			r := signedCavage(t, table, "client-1", "", attackNow, signet.CavageSignAlgorithm("hs2019"), signet.CavageExpiresIn(time.Minute))
			return setAuth(r, func(a string) string { return strings.Replace(a, `keyId="client-1"`, `keyId="ed"`, 1) })
		}, pinned, nil, signet.ErrInvalidSignature},
		{"a label against the key's pin", func(t *testing.T) *http.Request {
			return setAuth(hmac(t, signet.CavageSignAlgorithm("hmac-sha512")), func(a string) string {
				return strings.Replace(a, `keyId="client-1"`, `keyId="hmac"`, 1)
			})
		}, pinned, nil, signet.ErrUnsupportedAlgorithm},
		{"duplicate signature parameter", func(t *testing.T) *http.Request {
			return setAuth(hmac(t), func(a string) string { return a + `,signature="AAAA"` })
		}, nil, nil, signet.ErrMalformed},
		{"a parameter given empty, then again", func(t *testing.T) *http.Request {
			// The signature verifies over headers="date" for keyId
			// "client-1": a reader taking the first values would see
			// another key and an empty list.
			return setAuth(hmac(t, signet.CavageSignHeaders("date")), func(a string) string {
				return strings.Replace(a, "Signature ", `Signature keyId="",headers="",`, 1)
			})
		}, nil, []signet.CavageOption{signet.CavageRequiredHeaders("date")}, signet.ErrMalformed},
		{"headers omitting a required header", func(t *testing.T) *http.Request {
			return hmac(t, signet.CavageSignHeaders("(request-target)", "date"))
		}, nil, []signet.CavageOption{signet.CavageRequiredHeaders("date", "host")}, signet.ErrMissingHeader},
		{"tampered body, Digest unchanged", func(t *testing.T) *http.Request {
			r := hmac(t)
			r.Body = readCloser{strings.NewReader(`{"amount":900}`)}
			return r
		}, nil, nil, signet.ErrDigestMismatch},
		{"Digest present but unsigned", func(t *testing.T) *http.Request {
			return hmac(t, signet.CavageSignHeaders("(request-target)", "host", "date"))
		}, nil, []signet.CavageOption{signet.CavageDigest(signet.DigestRequire)}, signet.ErrMissingHeader},
		{"a body without a Digest when one is required", func(t *testing.T) *http.Request {
			r := hmac(t, signet.CavageSignHeaders("(request-target)", "host", "date"))
			r.Header.Del("Digest")
			return r
		}, nil, []signet.CavageOption{signet.CavageDigest(signet.DigestRequire)}, signet.ErrMissingHeader},
		{"Digest with MD5 only", func(t *testing.T) *http.Request {
			r := hmac(t, signet.CavageSignHeaders("(request-target)", "host", "date"))
			r.Header.Set("Digest", "MD5=Sd/dVLAcvNLSq16eXua5uQ==")
			return r
		}, nil, nil, signet.ErrUnsupportedAlgorithm},
		{"an oversized Digest value", func(t *testing.T) *http.Request {
			r := hmac(t, signet.CavageSignHeaders("(request-target)", "host", "date"))
			r.Header.Set("Digest", "SHA-256="+strings.Repeat("A", 200))
			return r
		}, nil, nil, signet.ErrMalformed},
		{"a Date older than the maximum age", func(t *testing.T) *http.Request {
			return signedCavage(t, table, "client-1", "", attackNow-120)
		}, nil, []signet.CavageOption{signet.WithMaxAge(time.Minute)}, signet.ErrExpired},
		{"a pin never smuggles in rsa-sha1", func(t *testing.T) *http.Request {
			r := signedCavage(t, table, "rsa-1", "", attackNow, signet.CavageSignAlgorithm("hs2019"))
			return setAuth(r, func(a string) string { return strings.Replace(a, `keyId="rsa-1"`, `keyId="rsa-sha1"`, 1) })
		}, staticKeys(t, signet.Secret{ID: "rsa-sha1", Key: cavageKey(t, table["rsa-1"], false), Algorithm: "rsa-sha1"}), nil, signet.ErrUnsupportedAlgorithm},
		{"Date an hour old", func(t *testing.T) *http.Request {
			return signedCavage(t, table, "client-1", "", attackNow-3600)
		}, nil, nil, signet.ErrExpired},
		{"Date an hour ahead", func(t *testing.T) *http.Request {
			return signedCavage(t, table, "client-1", "", attackNow+3600)
		}, nil, nil, signet.ErrNotYetValid},
		{"Date centuries ahead (its age is the smallest Duration)", func(t *testing.T) *http.Request {
			return signedCavage(t, table, "client-1", "", 253_402_300_799) // Fri, 31 Dec 9999 23:59:59 GMT
		}, nil, []signet.CavageOption{signet.WithMaxAge(time.Minute)}, signet.ErrNotYetValid},
		{"(created) centuries ahead", func(t *testing.T) *http.Request {
			return signedCavage(t, table, "ed25519-1", "", 253_402_300_799, signet.CavageExpiresIn(time.Hour), signet.CavageSignHeaders("(created)", "(expires)", "date"))
		}, nil, []signet.CavageOption{signet.CavageRequiredHeaders(), signet.WithMaxAge(time.Minute)}, signet.ErrNotYetValid},
		{"(expires) in the past", func(t *testing.T) *http.Request {
			return signedCavage(t, table, "ed25519-1", "", attackNow-120, signet.CavageExpiresIn(time.Minute), signet.CavageSignHeaders("(request-target)", "(created)", "(expires)", "date"))
		}, nil, []signet.CavageOption{signet.WithClockSkew(time.Hour)}, signet.ErrExpired},
		{"(created) in the future", func(t *testing.T) *http.Request {
			return signedCavage(t, table, "ed25519-1", "", attackNow+600, signet.CavageExpiresIn(time.Hour), signet.CavageSignHeaders("(created)", "(expires)", "date"))
		}, nil, []signet.CavageOption{signet.CavageRequiredHeaders()}, signet.ErrNotYetValid},
		{"64 KB header", func(t *testing.T) *http.Request {
			return setAuth(hmac(t), func(a string) string { return a + `,x="` + strings.Repeat("a", 64<<10) + `"` })
		}, nil, nil, signet.ErrMalformed},
		{"1 000 parameters", func(t *testing.T) *http.Request {
			return setAuth(hmac(t), func(a string) string { return a + strings.Repeat(",x=1", 1000) })
		}, nil, nil, signet.ErrMalformed},
		{"rsa-sha1 is off by default", func(t *testing.T) *http.Request {
			return setAuth(signedCavage(t, table, "rsa-1", "", attackNow), func(a string) string { return strings.Replace(a, "rsa-sha256", "rsa-sha1", 1) })
		}, nil, nil, signet.ErrUnsupportedAlgorithm},
		{"an algorithm outside the allow-list", func(t *testing.T) *http.Request { return hmac(t) }, nil, []signet.CavageOption{signet.WithAlgorithms("hmac-sha512")}, signet.ErrUnsupportedAlgorithm},
		{"body over the limit", func(t *testing.T) *http.Request { return hmac(t) }, nil, []signet.CavageOption{signet.WithMaxBodyBytes(8)}, signet.ErrBodyTooLarge},
		{"two Authorization headers", func(t *testing.T) *http.Request {
			r := hmac(t)
			r.Header.Add("Authorization", "Basic Zm9vOmJhcg==")
			return r
		}, nil, nil, signet.ErrMalformed},
		{"no signature", func(t *testing.T) *http.Request {
			r := hmac(t)
			r.Header.Del("Authorization")
			return r
		}, nil, nil, signet.ErrMissingSignature},
		{"signature not base64", func(t *testing.T) *http.Request {
			return setAuth(hmac(t), func(a string) string { return a[:strings.Index(a, "signature=")] + `signature="***"` })
		}, nil, nil, signet.ErrMalformed},
		{"unknown key id", func(t *testing.T) *http.Request {
			return setAuth(hmac(t), func(a string) string { return strings.Replace(a, "client-1", "client-404", 1) })
		}, nil, nil, signet.ErrUnknownKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := tt.keys
			if store == nil {
				store = keys
			}
			verifier, err := signet.NewCavage(store, append([]signet.CavageOption{clockAt(attackNow)}, tt.opts...)...)
			require.NoError(t, err)
			_, err = verifier.Verify(context.Background(), signet.FromHTTP(tt.request(t)))
			require.ErrorIs(t, err, tt.want)
			e := signet.AsError(err)
			assert.Less(t, e.Status(), 500)
			assert.Equal(t, e.Status() == 401, e.Challenge() != "", "only 401s carry the challenge")
		})
	}
}

func TestCavageConfigErrors(t *testing.T) {
	keys := staticKeys(t, signet.Secret{ID: "k", Key: signet.NewHMACKey([]byte("s"))})
	for i, opts := range [][]signet.CavageOption{
		{signet.WithAlgorithms("hmac-md5")},
		{signet.CavageRequiredHeaders("x date")},
		{signet.CavageRequiredHeaders("(keyid)")}, // no valid list could cover it
		{signet.CavageRequiredHeaders("date", "Date")},
		{signet.CavageRealm(`a"b`)},
		{signet.CavageDigest(7)},
		{signet.CavageDialect(9)},
		{signet.WithNonceStore(&memoryNonces{})}, // without WithMaxAge a nonce is kept forever
		// Date and (created) are whole seconds: a request would be refused
		// the instant it is signed.
		{signet.WithClockSkew(0)},
		{signet.WithClockSkew(time.Second - 1)},
		{signet.DialectAPISignature, signet.WithClockSkew(time.Second - 1)}, // 0 turns its window off
		{signet.DialectAPISignature, signet.WithClockSkew(time.Nanosecond)}, // not 0 once its bound is made exclusive
		// api-signature with no lifetime checks no Date: no age to bound.
		{signet.DialectAPISignature, signet.WithClockSkew(0), signet.WithMaxAge(time.Minute)},
		{nil},
	} {
		_, err := signet.NewCavage(keys, opts...)
		assert.Error(t, err, fmt.Sprint(i))
	}
	_, err := signet.NewCavage(nil)
	assert.Error(t, err)
}

// TestCavageReplay: with a NonceStore, a signature is accepted once; a
// forged one does not burn it.
func TestCavageReplay(t *testing.T) {
	_, table, err := signettest.CavageVectors()
	require.NoError(t, err)
	nonces := &memoryNonces{}
	verifier, err := signet.NewCavage(cavageKeys(t, table, false), clockAt(attackNow),
		signet.WithNonceStore(nonces), signet.WithMaxAge(time.Minute))
	require.NoError(t, err)
	r := signedCavage(t, table, "client-1", "", attackNow)
	forged := r.Clone(context.Background())
	forged.Header = r.Header.Clone()
	forged.Header.Set("Date", time.Unix(attackNow+1, 0).UTC().Format(http.TimeFormat))
	_, err = verifier.Verify(context.Background(), signet.FromHTTP(forged))
	require.ErrorIs(t, err, signet.ErrInvalidSignature)
	_, err = verifier.Verify(context.Background(), signet.FromHTTP(r))
	require.NoError(t, err)
	_, err = verifier.Verify(context.Background(), signet.FromHTTP(r))
	assert.ErrorIs(t, err, signet.ErrReplayed)
	for _, until := range nonces.seen {
		assert.Equal(t, time.Unix(attackNow+60, 0).Add(time.Minute), until, "kept while the Date is acceptable, and a minute")
	}

	// The same signature written differently (unused trailing base64
	// bits) is the same signed request.
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	auth := r.Header.Get("Authorization")
	i := strings.LastIndex(auth, "=\"") - 1 // the last character before the padding
	flipped := alphabet[strings.IndexByte(alphabet, auth[i])^1]
	reencoded := r.Clone(context.Background())
	reencoded.Header = r.Header.Clone()
	reencoded.Header.Set("Authorization", auth[:i]+string(flipped)+auth[i+1:])
	_, err = verifier.Verify(context.Background(), signet.FromHTTP(reencoded))
	assert.ErrorIs(t, err, signet.ErrReplayed)
}

// TestCavageResultCovered: the Result lists the signed names, lower-cased.
func TestCavageResultCovered(t *testing.T) {
	_, table, err := signettest.CavageVectors()
	require.NoError(t, err)
	verifier, err := signet.NewCavage(cavageKeys(t, table, false), clockAt(attackNow))
	require.NoError(t, err)
	for range 2 { // the second time from the cache
		res, err := verifier.Verify(context.Background(), signet.FromHTTP(signedCavage(t, table, "client-1", "{}", attackNow)))
		require.NoError(t, err)
		assert.Equal(t, []string{"(request-target)", "host", "date", "digest"}, res.Covered)
	}
}

// TestCavageUnsignedTimes: created and expires parameters that headers=
// does not cover change nothing: not the Result's window, not how long a
// nonce store remembers the request (a replay once the record is gone).
func TestCavageUnsignedTimes(t *testing.T) {
	_, table, err := signettest.CavageVectors()
	require.NoError(t, err)
	r := signedCavage(t, table, "client-1", `{"amount":100}`, attackNow)
	r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), ",headers=",
		fmt.Sprintf(",created=%d,expires=%d,headers=", attackNow-3600, attackNow+2), 1))
	nonces := &memoryNonces{}
	v, err := signet.NewCavage(cavageKeys(t, table, false), clockAt(attackNow),
		signet.WithMaxAge(5*time.Minute), signet.WithNonceStore(nonces))
	require.NoError(t, err)
	res, err := v.Verify(context.Background(), signet.FromHTTP(r))
	require.NoError(t, err)
	assert.True(t, res.Created.IsZero() && res.Expires.IsZero(), "unsigned times in the Result: %v, %v", res.Created, res.Expires)
	require.Len(t, nonces.seen, 1)
	for _, until := range nonces.seen {
		assert.Equal(t, time.Unix(attackNow+300, 0).Add(time.Minute), until, "kept until the signed Date + clock skew, and a minute")
	}

	r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), ",expires=", ",expires=x", 1))
	_, err = v.Verify(context.Background(), signet.FromHTTP(r))
	assert.ErrorIs(t, err, signet.ErrMalformed, "an unsigned parameter is still checked for form")
}

// TestCavageCreatedOnly: a signature dated by (created) alone, with
// neither (expires) nor a signed Date, is valid for the clock skew after
// it (or WithMaxAge), not forever.
func TestCavageCreatedOnly(t *testing.T) {
	r := handSigned(sha512.New, "DELETE", "/admin/anything",
		fmt.Sprintf(`algorithm="hs2019",created=%d,headers="(created)"`, attackNow), fmt.Sprintf("(created): %d", attackNow))
	tests := []struct {
		name   string
		offset int64
		opts   []signet.CavageOption
		want   error
	}{
		{"at (created)", 0, nil, nil},
		{"the clock skew later", 300, nil, nil},
		{"a second after", 301, nil, signet.ErrExpired},
		{"years later", 20 * 365 * 86400, nil, signet.ErrExpired},
		{"within a longer max age", 3000, []signet.CavageOption{signet.WithMaxAge(time.Hour)}, nil},
		{"beyond the max age", 3601, []signet.CavageOption{signet.WithMaxAge(time.Hour)}, signet.ErrExpired},
		{"the skew ahead", -300, nil, nil},
		{"beyond the skew ahead", -301, nil, signet.ErrNotYetValid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkHandSigned(t, r, tt.want, append(tt.opts, clockAt(attackNow+tt.offset))...) })
	}
}

// TestCavageUntimed: a signature that signs no time (neither Date nor
// (created)) verifies only where CavageRequiredHeaders() allows it, and
// never where an age is bounded or a replay recorded.
func TestCavageUntimed(t *testing.T) {
	r := handSigned(sha256.New, "GET", "/x", `algorithm="hmac-sha256",headers="(request-target) host"`,
		"(request-target): get /x\nhost: example.com")
	tests := []struct {
		name string
		opts []signet.CavageOption
		want error
	}{
		{"by default", nil, signet.ErrMissingHeader},
		{"with other required headers", []signet.CavageOption{signet.CavageRequiredHeaders("(request-target)")}, signet.ErrMissingHeader},
		{"allowed", []signet.CavageOption{signet.CavageRequiredHeaders()}, nil},
		{"allowed, but with a max age", []signet.CavageOption{signet.CavageRequiredHeaders(), signet.WithMaxAge(time.Minute)}, signet.ErrMissingHeader},
		{"allowed, but replay-protected", []signet.CavageOption{signet.CavageRequiredHeaders(), signet.WithMaxAge(time.Minute),
			signet.WithNonceStore(&memoryNonces{})}, signet.ErrMissingHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkHandSigned(t, r, tt.want, tt.opts...) })
	}
}

// handSignedSecret is the secret of keyId "k" in handSigned requests.
var handSignedSecret = []byte("secret-1")

// handSigned returns a request to target signed by hand, for what the
// signer refuses to make: signature parameters params (all but keyId and
// signature) and an HMAC of the signing string.
func handSigned(h func() hash.Hash, method, target, params, signingString string) *http.Request {
	mac := hmac.New(h, handSignedSecret)
	io.WriteString(mac, signingString)
	r := httptest.NewRequest(method, target, nil)
	r.Header.Set("Authorization", `Signature keyId="k",`+params+`,signature="`+base64.StdEncoding.EncodeToString(mac.Sum(nil))+`"`)
	return r
}

// checkHandSigned verifies a handSigned request with a verifier of opts and
// checks the answer: want, or acceptance when want is nil.
func checkHandSigned(t *testing.T, r *http.Request, want error, opts ...signet.CavageOption) {
	t.Helper()
	v, err := signet.NewCavage(staticKeys(t, signet.Secret{ID: "k", Key: signet.NewHMACKey(handSignedSecret)}), opts...)
	require.NoError(t, err)
	_, err = v.Verify(context.Background(), signet.FromHTTP(r))
	if want == nil {
		assert.NoError(t, err)
	} else {
		assert.ErrorIs(t, err, want)
	}
}

// TestCavageReplayAcrossKeyIDs: keyId is not signed, so a replay under
// another id of the same key is the same request.
func TestCavageReplayAcrossKeyIDs(t *testing.T) {
	_, table, err := signettest.CavageVectors()
	require.NoError(t, err)
	key := signet.NewHMACKey([]byte("secret-1"))
	keys := staticKeys(t, signet.Secret{ID: "client-1", Key: key}, signet.Secret{ID: "alias", Key: signet.NewHMACKey([]byte("secret-1"))})
	v, err := signet.NewCavage(keys, clockAt(attackNow), signet.WithMaxAge(time.Minute), signet.WithNonceStore(&memoryNonces{}))
	require.NoError(t, err)
	r := signedCavage(t, table, "client-1", "", attackNow)
	_, err = v.Verify(context.Background(), signet.FromHTTP(r))
	require.NoError(t, err)
	r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), `keyId="client-1"`, `keyId="alias"`, 1))
	_, err = v.Verify(context.Background(), signet.FromHTTP(r))
	assert.ErrorIs(t, err, signet.ErrReplayed)
}

// TestCavageMissingParameters: the error names the parameters to add.
func TestCavageMissingParameters(t *testing.T) {
	_, table, err := signettest.CavageVectors()
	require.NoError(t, err)
	v, err := signet.NewCavage(cavageKeys(t, table, false), clockAt(attackNow))
	require.NoError(t, err)
	for auth, want := range map[string]string{
		`Signature keyId="client-1",headers="date"`: "the signature lacks its signature parameter",
		`Signature headers="date",signature="AA=="`: "the signature lacks its keyId parameter",
		`Signature headers="date"`:                  "the signature lacks its keyId, signature parameters",
	} {
		r := signedCavage(t, table, "client-1", "", attackNow)
		r.Header.Set("Authorization", auth)
		_, err := v.Verify(context.Background(), signet.FromHTTP(r))
		assert.ErrorIs(t, err, signet.ErrMalformed, auth)
		assert.ErrorContains(t, err, want, auth)
	}
}

// TestCavageHeaderListAbuse: a headers= list naming something twice, or a
// name that is no header name, is malformed, whatever the keyId: each
// listing would add a copy of a header's value to the signing string, so a
// small request could make a huge one before any key is looked up.
func TestCavageHeaderListAbuse(t *testing.T) {
	r := httptest.NewRequest("GET", "/x", nil)
	r.Header.Set("Date", "Mon, 01 Jan 2024 00:00:00 GMT")
	r.Header.Set("X-Big", strings.Repeat("A", 64<<10))
	v, err := signet.NewCavage(staticKeys(t, signet.Secret{ID: "k", Key: signet.NewHMACKey(handSignedSecret)}), clockAt(attackNow))
	require.NoError(t, err)
	for list, want := range map[string]string{
		"date" + strings.Repeat(" x-big", 1300):  "lists more than 64 names",
		"date" + strings.Repeat(" x-big", 63):    "lists x-big twice",
		"date X-Big x-big":                       "lists x-big twice",
		"(request-target) date (Request-Target)": "lists (request-target) twice",
		"date (expireſ)":                         "neither a header name",
		"date hoſt":                              "neither a header name",
		"date \u212a":                            "neither a header name", // the Kelvin sign, which lower-cases to k
		"date x:y":                               "neither a header name",
		"date x\ty":                              "neither a header name", // one name to the plan, which splits on spaces only
		"date x\u00a0y":                          "neither a header name",
		"date (key-id)":                          "neither a header name",
	} {
		for _, keyID := range []string{"k", "unknown"} {
			r.Header.Set("Authorization", fmt.Sprintf(`Signature keyId=%q,algorithm="hmac-sha256",headers="%s",signature="AAAA"`, keyID, list))
			_, err := v.Verify(context.Background(), signet.FromHTTP(r))
			assert.ErrorIs(t, err, signet.ErrMalformed, "%.40s", list)
			assert.ErrorContains(t, err, want, "%.40s", list)
		}
	}
}

// TestCavageDatesBefore1970: a signed Date in year 1, which Go reads as its
// zero time, is too old, not "no Date" (which would skip every time check).
func TestCavageDatesBefore1970(t *testing.T) {
	for _, tt := range []struct {
		name, date string
		opts       []signet.CavageOption
	}{
		{"draft", "Mon, 01 Jan 0001 00:00:00 GMT", nil},
		{"draft, RFC 850", "Monday, 01-Jan-01 00:00:00 GMT", nil}, // 2001
		{"draft, 1969", "Wed, 31 Dec 1969 23:59:59 GMT", nil},
		{"api-signature, RFC 3339", "0001-01-01T00:00:00Z", []signet.CavageOption{signet.DialectAPISignature}},
		{"api-signature", "Mon, 01 Jan 0001 00:00:00 GMT", []signet.CavageOption{signet.DialectAPISignature}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := handSigned(sha256.New, "GET", "/pay", `algorithm="hmac-sha256",headers="(request-target) date"`,
				"(request-target): get /pay\ndate: "+tt.date)
			r.Header.Set("Date", tt.date)
			checkHandSigned(t, r, signet.ErrExpired, append(tt.opts, clockAt(attackNow))...)
		})
	}
	t.Run("with (expires) and a max age", func(t *testing.T) {
		date := "Mon, 01 Jan 0001 00:00:00 GMT"
		r := handSigned(sha512.New, "GET", "/pay", `algorithm="hs2019",expires=999999999999,headers="(request-target) date (expires)"`,
			"(request-target): get /pay\ndate: "+date+"\n(expires): 999999999999")
		r.Header.Set("Date", date)
		checkHandSigned(t, r, signet.ErrExpired, clockAt(attackNow), signet.WithMaxAge(time.Minute), signet.WithNonceStore(&memoryNonces{}))
	})
}

// TestCavageExpiresOnly: a signature dated by (expires) alone has no age to
// bound, so with WithMaxAge it is accepted only during the max age before
// it expires, and its replay record is kept no longer than that.
func TestCavageExpiresOnly(t *testing.T) {
	signed := func(expires int64) *http.Request {
		return handSigned(sha512.New, "GET", "/pay", fmt.Sprintf(`algorithm="hs2019",expires=%d,headers="(request-target) (expires)"`, expires),
			fmt.Sprintf("(request-target): get /pay\n(expires): %d", expires))
	}
	untimed := signet.CavageRequiredHeaders()
	for _, tt := range []struct {
		name    string
		expires int64
		opts    []signet.CavageOption
		want    error
	}{
		{"no max age", attackNow + 86400, nil, nil},
		{"within the max age", attackNow + 60, []signet.CavageOption{signet.WithMaxAge(time.Minute)}, nil},
		{"a second beyond it", attackNow + 61, []signet.CavageOption{signet.WithMaxAge(time.Minute)}, signet.ErrExpired},
		{"centuries ahead", 999999999999, []signet.CavageOption{signet.WithMaxAge(time.Minute)}, signet.ErrExpired},
		{"expired", attackNow - 1, []signet.CavageOption{signet.WithMaxAge(time.Minute)}, signet.ErrExpired},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checkHandSigned(t, signed(tt.expires), tt.want, append(tt.opts, untimed, clockAt(attackNow))...)
		})
	}
	nonces := &memoryNonces{}
	checkHandSigned(t, signed(attackNow+30), nil, untimed, clockAt(attackNow), signet.WithMaxAge(time.Minute), signet.WithNonceStore(nonces))
	for _, until := range nonces.seen {
		assert.Equal(t, time.Unix(attackNow+30, 0).Add(time.Minute), until)
	}
}

// TestCavageAlgorithmEchoBounded: an algorithm label the verifier refuses is
// echoed in the answer cut short, never whole into the answer and the logs.
func TestCavageAlgorithmEchoBounded(t *testing.T) {
	v, err := signet.NewCavage(staticKeys(t, signet.Secret{ID: "k", Key: signet.NewHMACKey(handSignedSecret)}), clockAt(attackNow))
	require.NoError(t, err)
	for _, headers := range []string{"date", "(created)"} {
		for _, filler := range []string{"x", "\xff", "\x01"} { // quoted as 1, 4 and 4 bytes
			r := httptest.NewRequest("GET", "/x", nil)
			r.Header.Set("Date", "Mon, 01 Jan 2024 00:00:00 GMT")
			alg := "hmac-" + strings.Repeat(filler, 4000)
			r.Header["Authorization"] = []string{`Signature keyId="k",algorithm="` + alg + `",headers="` + headers + `",created=1,signature="AAAA"`}
			_, err := v.Verify(context.Background(), signet.FromHTTP(r))
			require.Error(t, err)
			assert.Less(t, len(err.Error()), 400, "%s %q", headers, filler)
		}
	}
}
