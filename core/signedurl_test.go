package signet_test

import (
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"encoding/hex"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
	"github.com/signet-go/signet/core/signettest"
)

// signedURLSentinels maps the vectors' error codes to signet's sentinels.
var signedURLSentinels = map[string]error{
	"missing_signature":       signet.ErrMissingSignature,
	"malformed_signature":     signet.ErrMalformed,
	"unknown_key":             signet.ErrUnknownKey,
	"unsupported_algorithm":   signet.ErrUnsupportedAlgorithm,
	"invalid_signature":       signet.ErrInvalidSignature,
	"expired":                 signet.ErrExpired,
	"not_yet_valid":           signet.ErrNotYetValid,
	"missing_required_header": signet.ErrMissingHeader,
}

// signedURLVerifyKey is the verification key of a vector key: the secret,
// or the Ed25519 public key.
func signedURLVerifyKey(t testing.TB, k signettest.SignedURLKey) *signet.Key {
	t.Helper()
	switch k.Type {
	case "hmac":
		secret, err := hex.DecodeString(k.SecretHex)
		require.NoError(t, err)
		return signet.NewHMACKey(secret)
	case "ed25519":
		pub, err := hex.DecodeString(k.PublicHex)
		require.NoError(t, err)
		key, err := signet.NewPublicKey(ed25519.PublicKey(pub))
		require.NoError(t, err)
		return key
	}
	t.Fatalf("unknown key type %q", k.Type)
	return nil
}

// signedURLSignKey is the signing key of a vector key.
func signedURLSignKey(t testing.TB, k signettest.SignedURLKey) *signet.Key {
	t.Helper()
	if k.Type != "ed25519" {
		return signedURLVerifyKey(t, k)
	}
	seed, err := hex.DecodeString(k.SeedHex)
	require.NoError(t, err)
	key, err := signet.NewPrivateKey(ed25519.NewKeyFromSeed(seed))
	require.NoError(t, err)
	return key
}

// signedURLOptions maps a vector configuration onto options; with signer,
// only those a signer takes.
func signedURLOptions(cfg signettest.SignedURLConfig, signer bool) []signet.SignedURLOption {
	var opts []signet.SignedURLOption
	if cfg.BindMethod != nil {
		opts = append(opts, signet.SignedURLBindMethod(*cfg.BindMethod))
	}
	switch {
	case cfg.Origin != nil:
		opts = append(opts, signet.SignedURLOrigin(*cfg.Origin))
	case cfg.BindOrigin != nil && *cfg.BindOrigin:
		opts = append(opts, signet.SignedURLBindOrigin())
	}
	if len(cfg.IgnoreParams) > 0 {
		opts = append(opts, signet.SignedURLIgnoreParams(cfg.IgnoreParams...))
	}
	if cfg.MaxAge != nil {
		opts = append(opts, signet.WithMaxAge(seconds(*cfg.MaxAge)))
	}
	if signer {
		return opts
	}
	if cfg.ClockSkew != nil {
		opts = append(opts, signet.WithClockSkew(seconds(*cfg.ClockSkew)))
	}
	if cfg.Algorithms != nil {
		opts = append(opts, signet.WithAlgorithms(cfg.Algorithms...))
	}
	return opts
}

func seconds(s float64) time.Duration { return time.Duration(math.Round(s * float64(time.Second))) }

// signedURLServerRequest is the server's view of a request: the target
// exactly as sent, the Host, TLS for https.
func signedURLServerRequest(method, scheme, host, target string) *http.Request {
	r := &http.Request{Method: method, RequestURI: target, Host: host, URL: &url.URL{Path: "/"}, Header: http.Header{}, Body: http.NoBody}
	if scheme == "https" {
		r.TLS = &tls.ConnectionState{}
	}
	return r
}

// signedURLCaseVerifier is the verifier a case describes: its key store
// (credentials: the key names) and its configuration.
func signedURLCaseVerifier(t testing.TB, file *signettest.SignedURLVectorFile, v signettest.SignedURLVector, c signettest.SignedURLCase) *signet.SignedURL {
	t.Helper()
	var secrets []signet.Secret
	for _, k := range c.Keys {
		secrets = append(secrets, signet.Secret{ID: k.ID, Key: signedURLVerifyKey(t, file.Keys[k.Key]), Algorithm: k.Algorithm, Credentials: k.Key})
	}
	cfg, err := c.EffectiveConfig(v)
	require.NoError(t, err)
	verifier, err := signet.NewSignedURL(staticKeys(t, secrets...), append(signedURLOptions(cfg, false), clockAtUnix(c.Now))...)
	require.NoError(t, err)
	return verifier
}

func loadSignedURLVectors(t testing.TB) *signettest.SignedURLVectorFile {
	t.Helper()
	file, err := signettest.SignedURLVectors()
	require.NoError(t, err)
	require.Len(t, file.Vectors, 21)
	return file
}

// TestSignedURLVectors replays every verification case of the Python
// implementation's vectors: the verdict, the code of a rejection, and the
// key that matched.
func TestSignedURLVectors(t *testing.T) {
	file := loadSignedURLVectors(t)
	cases := 0
	for _, v := range file.Vectors {
		for _, c := range v.Verify {
			t.Run(v.ID+"/"+c.Note, func(t *testing.T) {
				cases++
				verifier := signedURLCaseVerifier(t, file, v, c)
				res, err := verifier.Verify(context.Background(), signet.FromHTTP(signedURLServerRequest(c.Method, c.Scheme, c.Host, c.Target)))
				if c.Expected.Valid {
					require.NoError(t, err)
					assert.Equal(t, "signedurl", res.Scheme)
					assert.Equal(t, c.Expected.Key, res.Credentials)
					assert.Equal(t, map[string]string{"hmac": "hmac-sha256", "ed25519": "ed25519"}[file.Keys[c.Expected.Key].Type], res.Algorithm)
					_, query, _ := strings.Cut(c.Target, "?")
					assert.Equal(t, paramOf(query, "sn-iat"), res.Created.Unix(), "Created")
					assert.Equal(t, paramOf(query, "sn-exp"), res.Expires.Unix(), "Expires")
					return
				}
				sentinel, ok := signedURLSentinels[c.Expected.Error]
				require.True(t, ok, "unknown code %q", c.Expected.Error)
				require.ErrorIs(t, err, sentinel)
				e := signet.AsError(err)
				assert.Equal(t, c.Expected.Error, e.Code())
				assert.Empty(t, e.Challenge())
				if _, query, ok := strings.Cut(c.Target, "?"); ok && len(query) > 20 {
					assert.NotContains(t, e.Error(), query[len(query)-20:], "the message echoes the URL")
				}
			})
		}
	}
	assert.Equal(t, 152, cases)
}

// paramOf returns the unix time in the query's parameter name.
func paramOf(query, name string) int64 {
	for seg := range strings.SplitSeq(query, "&") {
		if v, ok := strings.CutPrefix(seg, name+"="); ok {
			var n int64
			for _, d := range v {
				n = n*10 + int64(d-'0')
			}
			return n
		}
	}
	return -1
}

// TestSignedURLMessages checks that the Go verifier builds, byte for byte,
// the message the Python implementation built for every case that gets
// that far.
func TestSignedURLMessages(t *testing.T) {
	file := loadSignedURLVectors(t)
	checked := 0
	for _, v := range file.Vectors {
		for _, c := range v.Verify {
			if c.Message == nil {
				continue
			}
			t.Run(v.ID+"/"+c.Note, func(t *testing.T) {
				verifier := signedURLCaseVerifier(t, file, v, c)
				msg, err := signet.SignedURLMessage(verifier, signet.FromHTTP(signedURLServerRequest(c.Method, c.Scheme, c.Host, c.Target)))
				require.NoError(t, err)
				marker, want, _ := strings.Cut(*c.Message, "\n")
				assert.Contains(t, []string{"SN1-HMAC-SHA256", "SN1-ED25519"}, marker)
				assert.Equal(t, want, msg)
				checked++
			})
		}
	}
	assert.Greater(t, checked, 100)
}

// TestSignedURLSignerVectors signs every vector's URL with the same key,
// clock and options as the Python signer, and compares the signed URL
// byte for byte.
func TestSignedURLSignerVectors(t *testing.T) {
	file := loadSignedURLVectors(t)
	signed := 0
	for _, v := range file.Vectors {
		if v.Sign == nil {
			continue
		}
		t.Run(v.ID, func(t *testing.T) {
			s := v.Sign
			opts := append(signedURLOptions(v.Config, true), clockAtUnix(float64(s.Now)))
			signer, err := signet.NewSignedURLSigner(s.KeyID, signedURLSignKey(t, file.Keys[s.Key]), opts...)
			require.NoError(t, err)
			got, err := signer.SignURL(s.Method, s.URL, seconds(s.TTL))
			require.NoError(t, err)
			assert.Equal(t, s.SignedURL, got)
			signed++
		})
	}
	assert.Equal(t, 20, signed)
}

// TestSignedURLSignerErrors checks that the Go signer refuses what the
// Python signer refuses.
func TestSignedURLSignerErrors(t *testing.T) {
	file := loadSignedURLVectors(t)
	require.NotEmpty(t, file.SignErrors)
	signer := func(t *testing.T, cfg signettest.SignedURLConfig) *signet.SignedURLSigner {
		s, err := signet.NewSignedURLSigner("k1", signedURLSignKey(t, file.Keys["hmac-1"]),
			append(signedURLOptions(cfg, true), clockAtUnix(1700000000))...)
		require.NoError(t, err)
		return s
	}
	for _, e := range file.SignErrors {
		t.Run(e.Note, func(t *testing.T) {
			got, err := signer(t, e.Config).SignURL(e.Method, e.URL, seconds(e.TTL))
			assert.Error(t, err, "signed %q", got)
		})
	}
}

const signedAtUnix = 1_700_000_000

var signedAt = time.Unix(signedAtUnix, 0)

// signedURLFixture signs URLs with one HMAC key "k1" and verifies them.
type signedURLFixture struct {
	key    *signet.Key
	signer *signet.SignedURLSigner
}

func newSignedURLFixture(t testing.TB, opts ...signet.SignedURLOption) signedURLFixture {
	t.Helper()
	key := signet.NewHMACKey([]byte(testSecret))
	signer, err := signet.NewSignedURLSigner("k1", key, append(opts, fixedClock(signedAt))...)
	require.NoError(t, err)
	return signedURLFixture{key: key, signer: signer}
}

// sign signs rawURL for GET, valid 5 minutes, and returns the server's view
// of a request for it.
func (f signedURLFixture) sign(t testing.TB, method, rawURL string) *http.Request {
	t.Helper()
	signed, err := f.signer.SignURL(method, rawURL, 5*time.Minute)
	require.NoError(t, err)
	return signedURLRequestFor(t, method, signed)
}

// signedURLRequestFor is the server's view of a request a client makes for
// the absolute URL rawURL: what Go's client sends as the request-target.
func signedURLRequestFor(t testing.TB, method, rawURL string) *http.Request {
	t.Helper()
	u, err := url.Parse(rawURL)
	require.NoError(t, err)
	return signedURLServerRequest(method, u.Scheme, u.Host, u.RequestURI())
}

func (f signedURLFixture) verifier(t testing.TB, opts ...signet.SignedURLOption) *signet.SignedURL {
	t.Helper()
	keys := staticKeys(t, signet.Secret{ID: "k1", Key: f.key, Credentials: "app"})
	v, err := signet.NewSignedURL(keys, append(opts, fixedClock(signedAt))...)
	require.NoError(t, err)
	return v
}

// TestSignedURLConfigErrors: every unusable configuration fails at
// construction, never per request.
func TestSignedURLConfigErrors(t *testing.T) {
	keys := staticKeys(t, signet.Secret{ID: "k1", Key: signet.NewHMACKey([]byte("s"))})
	tests := []struct {
		name    string
		opts    []signet.SignedURLOption
		message string
	}{
		{"nil option", []signet.SignedURLOption{nil}, "nil SignedURLOption"},
		{"zero Option", []signet.SignedURLOption{signet.Option{}}, "zero Option"},
		{"unknown algorithm", []signet.SignedURLOption{signet.WithAlgorithms("hmac-sha512")}, `"hmac-sha512"`},
		{"a body limit: signed URLs do not cover the body", []signet.SignedURLOption{signet.WithMaxBodyBytes(10)}, "WithMaxBodyBytes is not used by the signedurl scheme"},
		{"a signer's TTL", []signet.SignedURLOption{signet.SignedURLTTL(time.Minute)}, "SignedURLTTL configures a signer"},
		{"max TTL under a second", []signet.SignedURLOption{signet.WithMaxAge(time.Millisecond)}, "shorter than a second"},
		{"negative clock skew", []signet.SignedURLOption{signet.WithClockSkew(-time.Second)}, "negative clock skew"},
		{"ftp origin", []signet.SignedURLOption{signet.SignedURLOrigin("ftp://example.com")}, "http:// or https://"},
		{"origin without scheme", []signet.SignedURLOption{signet.SignedURLOrigin("example.com")}, "http:// or https://"},
		{"origin with a path", []signet.SignedURLOption{signet.SignedURLOrigin("https://example.com/app")}, "without a path"},
		{"origin with user info", []signet.SignedURLOption{signet.SignedURLOrigin("https://u@example.com")}, "host name"},
		{"origin without host", []signet.SignedURLOption{signet.SignedURLOrigin("https://")}, "host name"},
		{"origin with a bad port", []signet.SignedURLOption{signet.SignedURLOrigin("https://example.com:http")}, "host name"},
		{"non-ASCII origin", []signet.SignedURLOption{signet.SignedURLOrigin("https://bücher.example")}, "punycode"},
		{"ignore everything", []signet.SignedURLOption{signet.SignedURLIgnoreParams("*")}, "every parameter"},
		{"ignore an empty name", []signet.SignedURLOption{signet.SignedURLIgnoreParams("")}, "every parameter"},
		{"ignore a scheme parameter", []signet.SignedURLOption{signet.SignedURLIgnoreParams("sn-sig")}, "reserved"},
		{"ignore the reserved prefix", []signet.SignedURLOption{signet.SignedURLIgnoreParams("sn-*")}, "reserved"},
		{"ignore a prefix of the reserved prefix", []signet.SignedURLOption{signet.SignedURLIgnoreParams("s*")}, "reserved"},
		{"ignore a name with '='", []signet.SignedURLOption{signet.SignedURLIgnoreParams("a=b")}, "not a raw query parameter name"},
		{"ignore a name with a space", []signet.SignedURLOption{signet.SignedURLIgnoreParams("utm source")}, "not a raw query parameter name"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := signet.NewSignedURL(keys, tc.opts...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.message)
		})
	}
	_, err := signet.NewSignedURL(nil)
	assert.ErrorContains(t, err, "needs a KeyStore")
}

// TestSignedURLHostileInput: requests the vectors cannot carry over HTTP,
// and key stores that misbehave, each answered with a precise code.
func TestSignedURLHostileInput(t *testing.T) {
	f := newSignedURLFixture(t)
	good := f.sign(t, "GET", "https://example.com/files/a?x=1")
	with := func(mutate func(r *http.Request)) *http.Request {
		r := signedURLServerRequest(good.Method, "https", good.Host, good.RequestURI)
		mutate(r)
		return r
	}
	edKey, err := signet.NewPublicKey(ed25519.NewKeyFromSeed(make([]byte, 32)).Public())
	require.NoError(t, err)
	tests := []struct {
		name    string
		request *http.Request
		keys    signet.KeyStore
		opts    []signet.SignedURLOption
		want    error
	}{
		{"a line feed in the path", with(func(r *http.Request) { r.RequestURI = "/files\n/a?" + strings.SplitN(r.RequestURI, "?", 2)[1] }), nil, nil, signet.ErrMalformed},
		{"DEL in the path", with(func(r *http.Request) { r.RequestURI = "/files\x7f/a?" + strings.SplitN(r.RequestURI, "?", 2)[1] }), nil, nil, signet.ErrMalformed},
		{"a NUL in the query: signed like any byte", with(func(r *http.Request) { r.RequestURI += "&x=\x00" }), nil, nil, signet.ErrInvalidSignature},
		{"no Host while the request's origin is signed", with(func(r *http.Request) { r.Host = "" }), nil,
			[]signet.SignedURLOption{signet.SignedURLBindOrigin()}, signet.ErrMissingHeader},
		{"a method in another case", with(func(r *http.Request) { r.Method = "get" }), nil, nil, signet.ErrInvalidSignature},
		{"the key store fails", good, signet.KeyFunc(func(context.Context, string) ([]signet.Secret, error) {
			return nil, errorString("database down")
		}), nil, signet.ErrUnavailable},
		{"the key store answers nothing", good, signet.KeyFunc(func(context.Context, string) ([]signet.Secret, error) {
			return nil, nil
		}), nil, signet.ErrUnknownKey},
		{"a secret without a key", good, signet.KeyFunc(func(context.Context, string) ([]signet.Secret, error) {
			return []signet.Secret{{ID: "k1"}}, nil
		}), nil, signet.ErrUnavailable}, // the store's fault
		{"an Ed25519 key cannot verify an HMAC signature", good, staticKeys(t, signet.Secret{ID: "k1", Key: edKey}), nil, signet.ErrInvalidSignature},
		{"an Ed25519 key when only HMAC is allowed", good, staticKeys(t, signet.Secret{ID: "k1", Key: edKey}),
			[]signet.SignedURLOption{signet.WithAlgorithms("hmac-sha256")}, signet.ErrUnsupportedAlgorithm},
		{"the matching key is the 17th of its id", good, signet.KeyFunc(func(context.Context, string) ([]signet.Secret, error) {
			var secrets []signet.Secret
			for range 16 {
				secrets = append(secrets, signet.Secret{ID: "k1", Key: signet.NewHMACKey([]byte("other"))})
			}
			return append(secrets, signet.Secret{ID: "k1", Key: f.key}), nil
		}), nil, signet.ErrInvalidSignature},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			keys := tc.keys
			if keys == nil {
				keys = staticKeys(t, signet.Secret{ID: "k1", Key: f.key})
			}
			v, err := signet.NewSignedURL(keys, append(tc.opts, fixedClock(signedAt))...)
			require.NoError(t, err)
			_, err = v.Verify(context.Background(), signet.FromHTTP(tc.request))
			require.ErrorIs(t, err, tc.want)
			e := signet.AsError(err)
			assert.NotContains(t, e.Error(), "database down", "the store's error text reaches the client")
			if tc.want != signet.ErrUnavailable {
				assert.GreaterOrEqual(t, e.Status(), 400)
				assert.Less(t, e.Status(), 500)
			}
		})
	}
	// The fixture's request itself verifies: the table's rejections are
	// the mutations'.
	_, err = f.verifier(t).Verify(context.Background(), signet.FromHTTP(good))
	require.NoError(t, err)
}

type errorString string

func (e errorString) Error() string { return string(e) }

// TestSignedURLResult: what a verified URL reports.
func TestSignedURLResult(t *testing.T) {
	for _, tc := range []struct {
		name    string
		opts    []signet.SignedURLOption
		covered []string
	}{
		{"defaults", nil, []string{"method", "path", "query"}},
		{"method unbound", []signet.SignedURLOption{signet.SignedURLBindMethod(false)}, []string{"path", "query"}},
		{"origin bound", []signet.SignedURLOption{signet.SignedURLBindOrigin()}, []string{"method", "origin", "path", "query"}},
		{"public origin", []signet.SignedURLOption{signet.SignedURLOrigin("https://example.com")}, []string{"method", "origin", "path", "query"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newSignedURLFixture(t, tc.opts...)
			res, err := f.verifier(t, tc.opts...).Verify(context.Background(), signet.FromHTTP(f.sign(t, "GET", "https://example.com/r?a=1")))
			require.NoError(t, err)
			assert.EqualExportedValues(t, &signet.Result{
				Scheme: "signedurl", KeyID: "k1", Algorithm: "hmac-sha256", Credentials: "app",
				Covered: tc.covered, Created: signedAt, Expires: signedAt.Add(5 * time.Minute),
			}, res)
		})
	}
}

// TestSignedURLReplay: with a nonce store each URL is accepted once; a
// forged or expired URL never burns the nonce of the genuine one.
func TestSignedURLReplay(t *testing.T) {
	f := newSignedURLFixture(t)
	nonces := &memoryNonces{}
	v := f.verifier(t, signet.WithNonceStore(nonces))
	r := f.sign(t, "GET", "https://example.com/once?id=1")

	forged := signedURLServerRequest("GET", "https", r.Host, strings.Replace(r.RequestURI, "id=1", "id=2", 1))
	_, err := v.Verify(context.Background(), signet.FromHTTP(forged))
	require.ErrorIs(t, err, signet.ErrInvalidSignature)
	assert.Empty(t, nonces.seen)

	_, err = v.Verify(context.Background(), signet.FromHTTP(r))
	require.NoError(t, err)
	_, err = v.Verify(context.Background(), signet.FromHTTP(r))
	assert.ErrorIs(t, err, signet.ErrReplayed)
	require.Len(t, nonces.seen, 1)
	for key, until := range nonces.seen {
		assert.True(t, strings.HasPrefix(key, "signedurl "), key)
		assert.Equal(t, signedAt.Add(5*time.Minute+time.Minute), until, "remembered until sn-exp, and a minute")
	}

	nonces.fail = true
	_, err = v.Verify(context.Background(), signet.FromHTTP(f.sign(t, "GET", "https://example.com/other")))
	assert.ErrorIs(t, err, signet.ErrUnavailable)
}

// TestSignedURLConcurrent: one verifier, many goroutines (run with -race).
func TestSignedURLConcurrent(t *testing.T) {
	f := newSignedURLFixture(t)
	v := f.verifier(t)
	requests := make([]*http.Request, 8)
	for i := range requests {
		requests[i] = f.sign(t, "GET", "https://example.com/c?i="+string(rune('a'+i))+"&z=1&a=2")
	}
	done := make(chan error)
	for _, r := range requests {
		go func() {
			var err error
			for range 200 {
				if _, err = v.Verify(context.Background(), signet.FromHTTP(r)); err != nil {
					break
				}
			}
			done <- err
		}()
	}
	for range requests {
		assert.NoError(t, <-done)
	}
}

// TestSignedURLEmptyMethod: a verifier that binds the method refuses a
// request without one (a hand-built Request), whose message would be that
// of a URL signed without its method.
func TestSignedURLEmptyMethod(t *testing.T) {
	unbound := newSignedURLFixture(t, signet.SignedURLBindMethod(false))
	r := unbound.sign(t, "", "https://api.example/report")
	_, err := unbound.verifier(t, signet.SignedURLBindMethod(false)).Verify(context.Background(), signet.FromHTTP(r))
	require.NoError(t, err)
	r.Method = ""
	_, err = unbound.verifier(t).Verify(context.Background(), signet.FromHTTP(r))
	assert.ErrorIs(t, err, signet.ErrMalformed)
}
