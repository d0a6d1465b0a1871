package signet

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// SignedURL verifies signet's native signed URLs: a URL carrying its key
// id, issue time, expiry and signature in the query parameters sn-kid,
// sn-iat, sn-exp and sn-sig, signed with HMAC-SHA256 or Ed25519 (the key
// decides, never the URL). The signature covers the method, optionally the
// origin, the raw path and the canonical query; the exact format is in
// https://github.com/signet-go/signet/blob/main/docs/schemes/signedurl.md.
type SignedURL struct {
	pipeline
	cfg *signedURLConfig
}

// The query parameters of a signed URL. Every other parameter whose name
// starts with "sn-" is reserved: a URL carrying one is rejected.
const (
	SignedURLKeyIDParam     = "sn-kid" // the key id
	SignedURLIssuedParam    = "sn-iat" // the issue time, unix seconds
	SignedURLExpiresParam   = "sn-exp" // the expiry, unix seconds
	SignedURLSignatureParam = "sn-sig" // the signature, unpadded base64url
)

// Defaults of the signedurl scheme.
const (
	// DefaultSignedURLMaxTTL is the longest validity (sn-exp − sn-iat, and
	// sn-exp − now) a verifier accepts and a signer signs unless WithMaxAge
	// says otherwise.
	DefaultSignedURLMaxTTL = 7 * 24 * time.Hour
	// DefaultSignedURLClockSkew is how far sn-iat may be ahead of the
	// verifier's clock unless WithClockSkew says otherwise.
	DefaultSignedURLClockSkew = time.Minute
	// DefaultSignedURLTTL is the TTL of the URLs SignedURLSigner.Sign
	// signs unless SignedURLTTL says otherwise.
	DefaultSignedURLTTL = 5 * time.Minute
)

// Limits on what a verifier reads, so that a hostile URL costs little.
const (
	signedURLMaxTarget = 16 << 10 // bytes of the request-target
	signedURLMaxPairs  = 256      // non-empty query segments
	signedURLMaxKeyID  = 128      // bytes of sn-kid
	// signedURLMaxHost bounds the Host a verifier reads, and a signer
	// signs, when the origin is bound to the request's: the Host header has
	// no limit of its own, and a forged one costs an HMAC over it per key
	// tried. The longest host a client sends is about 260 bytes (a DNS name
	// of 253, a port of 6; a bracketed IPv6 address is at most 47): 1 KiB
	// leaves room for names outside the DNS and keeps the cost of a forged
	// Host to that of a short URL.
	signedURLMaxHost = 1 << 10
	// signedURLMaxSeconds bounds sn-exp − sn-iat before it is converted to
	// a time.Duration (which holds 292 years).
	signedURLMaxSeconds = 1 << 32
)

// The algorithm markers that start the signed message, and the room
// reserved for the longest of them.
const (
	signedURLMarkerHMAC    = "SN1-HMAC-SHA256"
	signedURLMarkerEd25519 = "SN1-ED25519"
	signedURLHead          = len(signedURLMarkerHMAC)
)

// SignedURLOption configures NewSignedURL and NewSignedURLSigner. Every
// Option is one too (a verifier or a signer rejects those it has no use
// for).
type SignedURLOption interface {
	applySignedURL(*signedURLConfig) error
}

type signedURLOption func(*signedURLConfig) error

func (o signedURLOption) applySignedURL(c *signedURLConfig) error { return o(c) }

func (o Option) applySignedURL(c *signedURLConfig) error {
	if c.signer {
		return o.applyTo(&c.settings, "signedurl signer", "WithClock", "WithMaxAge")
	}
	return o.applyTo(&c.settings, "signedurl scheme", "WithClock", "WithClockSkew", "WithMaxAge",
		"WithAlgorithms", "WithNonceStore")
}

type signedURLConfig struct {
	settings
	signer       bool
	bindMethod   bool
	bindOrigin   bool
	origin       string   // the configured origin, normalised; "" = the request's
	prefix       string   // the path prefix a proxy strips (SignedURLPathPrefix); "" = none
	ignoreExact  []string // few: comparing beats hashing
	ignorePrefix []string
	ignoring     bool          // some parameters are ignored
	ttl          time.Duration // the signer's TTL for Sign
	allowed      [2]bool       // hmac-sha256, ed25519
	covered      []string
}

func newSignedURLConfig(opts []SignedURLOption, signer bool) (*signedURLConfig, error) {
	c := &signedURLConfig{settings: defaultSettings(), signer: signer, bindMethod: true, ttl: DefaultSignedURLTTL}
	c.clockSkew, c.maxAge = DefaultSignedURLClockSkew, DefaultSignedURLMaxTTL
	if err := applyOptions(opts, "SignedURLOption", SignedURLOption.applySignedURL, c); err != nil {
		return nil, err
	}
	if c.algorithms == nil {
		c.allowed = [2]bool{true, true}
	}
	for _, name := range c.algorithms {
		switch name {
		case "hmac-sha256":
			c.allowed[0] = true
		case "ed25519":
			c.allowed[1] = true
		default:
			return nil, fmt.Errorf("signet: unknown signedurl algorithm %q (known: hmac-sha256, ed25519)", name)
		}
	}
	if c.maxAge < time.Second {
		return nil, fmt.Errorf("signet: a maximum TTL of %v is shorter than a second", c.maxAge)
	}
	if signer && c.ttl > c.maxAge {
		return nil, fmt.Errorf("signet: the TTL %v is longer than the maximum TTL %v (WithMaxAge)", c.ttl, c.maxAge)
	}
	if c.bindMethod {
		c.covered = append(c.covered, "method")
	}
	if c.bindOrigin {
		c.covered = append(c.covered, "origin")
	}
	c.covered = append(c.covered, "path", "query")
	return c, nil
}

// SignedURLBindMethod sets whether the signature covers the request method
// (default true: a URL signed for GET does not work for DELETE, nor for
// HEAD). Unbound, the method line of the message is empty and any method
// is accepted.
func SignedURLBindMethod(bind bool) SignedURLOption {
	return signedURLOption(func(c *signedURLConfig) error { c.bindMethod = bind; return nil })
}

// SignedURLBindOrigin makes the signature cover the origin, so that a URL
// signed for one host of a multi-tenant server does not work on another:
// the verifier takes the scheme from the connection (Request.Scheme) and the
// host from the Host header; the signer takes them from the URL it signs.
// A Host longer than 1024 bytes is then malformed, and not signed. Behind a
// proxy, use SignedURLOrigin instead.
func SignedURLBindOrigin() SignedURLOption {
	return signedURLOption(func(c *signedURLConfig) error { c.bindOrigin = true; return nil })
}

// SignedURLOrigin makes the signature cover this public origin,
// "scheme://host[:port]" (http or https), whatever host and scheme the
// request arrives with: for servers behind a proxy or a CDN. It implies
// SignedURLBindOrigin. The scheme and host are lower-cased and a default
// port (:80 for http, :443 for https) is dropped. It covers the origin
// only: behind a proxy that strips a path prefix, add
// SignedURLPathPrefix too.
func SignedURLOrigin(origin string) SignedURLOption {
	return signedURLOption(func(c *signedURLConfig) error {
		norm, err := normalizeSignedURLOrigin(origin)
		if err != nil {
			return err
		}
		c.origin, c.bindOrigin = norm, true
		return nil
	})
}

// SignedURLPathPrefix is the path prefix a proxy in front of this server
// strips from request paths (nginx's location /files/ { proxy_pass
// http://backend/; }, or a gateway routing /billing/* to a service as /*):
// the signature covers the public path, prefix + the path received. It is
// compared byte for byte, escapes included, so write it as clients send it:
// percent-encoded ("/caf%C3%A9"), without a query, a fragment, or a "." or
// ".." segment (escaped or not). Trailing '/' are dropped: "/files/" is
// "/files", and "/" or "" is no prefix.
//
// A signer given it signs public URLs, whose path must start with prefix
// and "/"; the message is the same (the public path). A handler mounted
// with http.StripPrefix in this server needs no prefix: signet reads the
// raw request-target, which StripPrefix leaves as it came. The path beyond
// the prefix must arrive as sent: docs/proxies.md shows an nginx
// configuration that does not normalise it.
func SignedURLPathPrefix(prefix string) SignedURLOption {
	return signedURLOption(func(c *signedURLConfig) error {
		norm, err := normalizePathPrefix("SignedURLPathPrefix", prefix, true, "")
		if err != nil {
			return err
		}
		c.prefix = norm
		return nil
	})
}

// SignedURLIgnoreParams names the query parameters that may be added to a
// signed URL after signing (tracking parameters): they are left out of the
// signed message wherever they appear, so they are not authenticated. A
// name ending in '*' is a prefix ("utm_*"). Names are matched against the
// raw, undecoded parameter names, case-sensitively; names starting with
// "sn-", and a bare "*", are refused.
func SignedURLIgnoreParams(names ...string) SignedURLOption {
	return signedURLOption(func(c *signedURLConfig) error {
		var exact, prefixes []string
		for _, name := range names {
			prefix, isPrefix := strings.CutSuffix(name, "*")
			if err := checkSignedURLIgnoredParam(name, prefix, isPrefix); err != nil {
				return err
			}
			if isPrefix {
				prefixes = append(prefixes, prefix)
			} else {
				exact = append(exact, name)
			}
		}
		c.ignoreExact, c.ignorePrefix = exact, prefixes
		c.ignoring = len(exact)+len(prefixes) > 0
		return nil
	})
}

// checkSignedURLIgnoredParam refuses ignore patterns that match nothing a URL can
// carry, everything, or a parameter of the scheme.
func checkSignedURLIgnoredParam(name, prefix string, isPrefix bool) error {
	switch {
	case prefix == "":
		return fmt.Errorf("signet: ignored parameter %q would ignore every parameter", name)
	case isPrefix && (strings.HasPrefix("sn-", prefix) || strings.HasPrefix(prefix, "sn-")),
		!isPrefix && strings.HasPrefix(name, "sn-"):
		return fmt.Errorf("signet: ignored parameter %q matches the reserved sn- parameters", name)
	}
	for i := 0; i < len(prefix); i++ {
		if c := prefix[i]; c <= ' ' || c >= 0x7f || c == '&' || c == '=' || c == '#' {
			return fmt.Errorf("signet: ignored parameter %q is not a raw query parameter name", name)
		}
	}
	return nil
}

// SignedURLTTL sets the TTL of the URLs SignedURLSigner.Sign signs
// (default DefaultSignedURLTTL): at least a second, fractions of a second
// dropped. It is a signer option: a verifier bounds TTLs with WithMaxAge.
func SignedURLTTL(ttl time.Duration) SignedURLOption {
	return signedURLOption(func(c *signedURLConfig) error {
		if !c.signer {
			return errors.New("signet: SignedURLTTL configures a signer; a verifier bounds TTLs with WithMaxAge")
		}
		if ttl < time.Second {
			return fmt.Errorf("signet: TTL %v is shorter than a second", ttl)
		}
		c.ttl = ttl
		return nil
	})
}

// NewSignedURL returns a verifier of signed URLs whose sn-kid names keys in
// keys. A key id may have several keys (rotation): each is tried, HMAC
// secrets with HMAC-SHA256 and Ed25519 keys with Ed25519.
//
// Common options: WithClock; WithMaxAge, the maximum TTL (default
// DefaultSignedURLMaxTTL); WithClockSkew, how far sn-iat may be ahead of
// the clock (default DefaultSignedURLClockSkew); WithAlgorithms
// ("hmac-sha256", "ed25519"; default both); WithNonceStore, to accept each
// URL once.
func NewSignedURL(keys KeyStore, opts ...SignedURLOption) (*SignedURL, error) {
	cfg, err := newSignedURLConfig(opts, false)
	if err != nil {
		return nil, err
	}
	// A key pinned to an algorithm of another kind is skipped per request,
	// as docs/schemes/signedurl.md and its vectors say, not refused here.
	p, err := newPipeline("NewSignedURL", SchemeSignedURL, keys, cfg.settings, keyChecks{
		known: isAlgorithmName, usable: keyKinds(hmacKey, ed25519Key),
	})
	if err != nil {
		return nil, err
	}
	return &SignedURL{pipeline: p, cfg: cfg}, nil
}

// Verify checks the signed URL the request was made with. The Result's
// Created and Expires are sn-iat and sn-exp; Covered lists "method"
// (unless unbound), "origin" (when bound), "path" and "query".
func (v *SignedURL) Verify(ctx context.Context, r Request) (*Result, error) {
	return v.run(ctx, r, v, nil)
}

// VerifyInto is Verify into res (see IntoVerifier).
func (v *SignedURL) VerifyInto(ctx context.Context, r Request, res *Result) error {
	_, err := v.run(ctx, r, v, res)
	return err
}

func (v *SignedURL) parse(a *attempt) error {
	c := v.cfg
	target := a.req.RequestURI()
	if len(target) > signedURLMaxTarget {
		return newError(ErrMalformed, "the URL is longer than the %d bytes this server verifies", signedURLMaxTarget)
	}
	path, query := splitTarget(a.req) // '#' included: a server hands it to the handler, so it is signed
	if path == "" {
		path = "/"
	}
	if signedURLHasControl(path) { // a line feed in the path would blur the message's lines
		return newError(ErrMalformed, "the URL path contains a control character")
	}
	var p signedURLParams
	if !c.scanSignerTail(a, query, &p) { // not as a signer writes it: the general case
		if err := c.scanParams(a, query, &p); err != nil {
			return err
		}
	}
	iat, exp := p.iatUnix, p.expUnix
	if exp < iat {
		return newError(ErrMalformed, "sn-exp is before sn-iat")
	}
	a.created, a.expires = time.Unix(iat, 0), time.Unix(exp, 0)
	if ttl := time.Duration(exp-iat) * time.Second; ttl > c.maxAge || exp-iat > signedURLMaxSeconds {
		return newError(ErrExpired, "the URL is valid for %v, longer than the %v this server accepts; sign it with a shorter TTL", a.expires.Sub(a.created), c.maxAge)
	}
	if left := since(a.expires, a.now(c.now)); left > c.maxAge {
		return newError(ErrExpired, "the URL is valid for another %v, longer than the %v this server accepts; sign it with a shorter TTL", left.Round(time.Second), c.maxAge)
	}
	a.msg = append(a.msg[:0], signedURLMarkerHMAC...) // room for the marker, written per key
	var err error
	if a.msg, err = c.appendMessage(a.msg, &p, a.req.Method(), a.req.Scheme(), a.req.Host(), path, query, a.pairs); err != nil {
		return err
	}
	a.keyID, a.signature, a.covered = p.kid, p.sig, c.covered
	return nil
}

// scanParams splits the query q into its signed pairs (a.pairs) and its
// sn- parameters (p), checks the latter, and decodes the signature into
// a.sig.
func (c *signedURLConfig) scanParams(a *attempt, q string, p *signedURLParams) error {
	*p = signedURLParams{}
	var err error
	if a.pairs, err = c.scanQuery(q, a.pairs[:0], p); err != nil {
		return err
	}
	if err := p.check(); err != nil {
		return err
	}
	n := 32 // HMAC-SHA256
	if len(p.sig) == 86 {
		n = 64 // Ed25519
	} else if len(p.sig) != 43 {
		return newError(ErrMalformed, "sn-sig must be the unpadded base64url of a 32-byte HMAC-SHA256 or a 64-byte Ed25519 signature")
	}
	var ok bool
	if a.sig, ok = appendSignedURLSignature(a.sig[:0], p.sig); !ok || len(a.sig) != n {
		return newError(ErrMalformed, "sn-sig must be the unpadded base64url of a 32-byte HMAC-SHA256 or a 64-byte Ed25519 signature")
	}
	return nil
}

func (v *SignedURL) check(a *attempt, s *Secret) error {
	alg, err := v.cfg.resolve(s)
	if err != nil {
		return err
	}
	a.alg, a.algorithm = alg, alg.name
	return nil
}

// resolve returns the algorithm s verifies with: the one of its key type,
// if s is not pinned to another and the verifier allows it.
func (c *signedURLConfig) resolve(s *Secret) (*algorithm, error) {
	var alg *algorithm
	switch {
	case s.Key.kind == hmacKey && c.allowed[0]:
		alg = algHMACSHA256
	case s.Key.kind == ed25519Key && c.allowed[1]:
		alg = algEd25519
	}
	switch {
	case alg == nil:
		return nil, newError(ErrUnsupportedAlgorithm, "the key cannot verify signed URLs here (allowed: %s)", c.allowedNames())
	case s.Algorithm != "" && s.Algorithm != alg.name:
		return nil, newError(ErrUnsupportedAlgorithm, "the key is pinned to another algorithm than %s", alg.name)
	}
	return alg, nil
}

func (c *signedURLConfig) allowedNames() string {
	var names []string
	if c.allowed[0] {
		names = append(names, "hmac-sha256 (HMAC secrets)")
	}
	if c.allowed[1] {
		names = append(names, "ed25519 (Ed25519 keys)")
	}
	return strings.Join(names, ", ")
}

func (v *SignedURL) verify(a *attempt, s *Secret) (bool, error) {
	marker, size := signedURLMarkerHMAC, 32
	if a.alg == algEd25519 {
		marker, size = signedURLMarkerEd25519, 64
	}
	if len(a.sig) != size {
		return false, nil // a signature of the other algorithm
	}
	start := signedURLHead - len(marker)
	copy(a.msg[start:], marker)
	return a.verify(s.Key, a.msg[start:]), nil
}

func (v *SignedURL) checkBody(*attempt) error { return nil } // a signed URL does not cover the body

// signedURLParams are the sn- parameters of a query, as sent.
type signedURLParams struct {
	kid, iat, exp, sig string
	counts             [4]uint16 // kid, iat, exp, sig
	problem            string    // the first repeated or reserved sn- name
	repeated           bool      // problem is repeated, not reserved
	iatUnix, expUnix   int64     // sn-iat and sn-exp, once check has parsed them
	any                bool      // some sn- parameter is present
	segments           int       // non-empty segments of the query
}

// set records the sn- parameter name=value.
func (p *signedURLParams) set(name, value string) {
	p.any = true
	var i int
	var dst *string
	switch name {
	case SignedURLKeyIDParam:
		i, dst = 0, &p.kid
	case SignedURLIssuedParam:
		i, dst = 1, &p.iat
	case SignedURLExpiresParam:
		i, dst = 2, &p.exp
	case SignedURLSignatureParam:
		i, dst = 3, &p.sig
	default:
		if p.problem == "" {
			p.problem = name
		}
		return
	}
	if p.counts[i]++; p.counts[i] == 1 {
		*dst = value
	} else if p.problem == "" {
		p.problem, p.repeated = name, true
	}
}

// check reports what is missing or malformed, in the order of the spec.
func (p *signedURLParams) check() error {
	switch {
	case p.counts[3] == 0 || (p.counts[3] == 1 && p.sig == ""):
		return errSignedURLMissing
	case p.repeated:
		return newError(ErrMalformed, "the query parameter %s is repeated", p.problem)
	case p.problem != "":
		return newError(ErrMalformed, "the query parameter %.64q is reserved: names starting with sn- belong to signed URLs", p.problem)
	case p.counts[0] == 0 || p.counts[1] == 0 || p.counts[2] == 0:
		return newError(ErrMalformed, "the signed URL lacks %s", p.missing())
	case !validSignedURLKeyID(p.kid):
		return newError(ErrMalformed, "sn-kid must be 1 to %d characters among A-Z a-z 0-9 - . _ ~", signedURLMaxKeyID)
	case !parseSignedURLTime(p.iat, &p.iatUnix) || !parseSignedURLTime(p.exp, &p.expUnix):
		return newError(ErrMalformed, "sn-iat and sn-exp must be unix seconds: 1 to 12 digits without leading zeros")
	}
	return nil
}

func (p *signedURLParams) missing() string {
	var names []string
	for i, name := range []string{SignedURLKeyIDParam, SignedURLIssuedParam, SignedURLExpiresParam} {
		if p.counts[i] == 0 {
			names = append(names, name)
		}
	}
	return strings.Join(names, ", ")
}

// validSignedURLKeyID reports whether id is a key id a signed URL can carry
// without escaping: 1 to 128 unreserved characters (RFC 3986).
func validSignedURLKeyID(id string) bool {
	if id == "" || len(id) > signedURLMaxKeyID {
		return false
	}
	for i := 0; i < len(id); i++ {
		if !unreserved[id[i]] {
			return false
		}
	}
	return true
}

// parseSignedURLTime parses s into t and reports whether it is unix seconds
// as a signed URL writes them: 1 to 12 digits, no leading zero but for "0".
func parseSignedURLTime(s string, t *int64) bool {
	if s == "" || len(s) > 12 || s[0] == '0' && len(s) > 1 {
		return false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		n = n*10 + int64(s[i]-'0')
	}
	*t = n
	return true
}

// appendSignedURLSignature decodes s, unpadded base64url (RFC 4648 §5), and reports
// whether it is that, with its unused trailing bits zero (so that every
// signature has exactly one encoding). It decodes eight characters into
// six bytes at a time.
func appendSignedURLSignature(dst []byte, s string) ([]byte, bool) {
	start, n := len(dst), len(s)*6/8        // n: the bytes s decodes to
	dst = slices.Grow(dst, n+2)[:start+n+2] // and 2 more for the last 8-byte store
	out := dst[start:]
	var neg int8 // its sign bit is set once a character is outside the alphabet
	t := &signedURLBase64Values
	for len(s) >= 8 && len(out) >= 8 {
		c0, c1, c2, c3 := t[s[0]], t[s[1]], t[s[2]], t[s[3]]
		c4, c5, c6, c7 := t[s[4]], t[s[5]], t[s[6]], t[s[7]]
		neg |= c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7
		v := uint64(c0)<<58 | uint64(c1)<<52 | uint64(c2)<<46 | uint64(c3)<<40 |
			uint64(c4)<<34 | uint64(c5)<<28 | uint64(c6)<<22 | uint64(c7)<<16
		binary.BigEndian.PutUint64(out, v) // 6 bytes, and 2 the next store overwrites (or beyond n)
		s, out = s[8:], out[6:]
	}
	var v uint64
	for i := range len(s) {
		c := t[s[i]]
		neg |= c
		v = v<<6 | uint64(c)
	}
	switch len(s) {
	case 1, 5:
		return dst[:start+n], false
	case 2, 6:
		if v&0x0f != 0 { // the low 4 bits of the last character are unused
			return dst[:start+n], false
		}
	case 3, 7:
		if v&0x03 != 0 { // the low 2 bits of the last character are unused
			return dst[:start+n], false
		}
	}
	v <<= 64 - 6*uint(len(s))
	for i := 0; i < len(out)-2; i++ {
		out[i] = byte(v >> 56)
		v <<= 8
	}
	return dst[:start+n], neg >= 0
}

// signedURLBase64Values maps the base64url alphabet to its values, anything else
// to -1.
var signedURLBase64Values = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") {
		t[c] = int8(i)
	}
	return t
}()

// errSignedURLMissing is the answer to a URL without a signature: shared,
// as no request changes it.
var errSignedURLMissing = newError(ErrMissingSignature, "the URL is not signed: it needs the sn-kid, sn-iat, sn-exp and sn-sig query parameters")
