package signet

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Pysigned verifies URLs signed by the Python package pysigned (URLAuth):
// sig and exp query parameters (and kid with PysignedRequireKid), an
// HMAC-SHA512 or Ed25519 signature, in hex, over exp, the scheme, netloc,
// path, params and the canonical query. It verifies exactly what
// URLAuth.verify accepts, byte for byte. See
// https://github.com/signet-go/signet/blob/main/docs/schemes/pysigned.md.
type Pysigned struct {
	pipeline
	cfg *pysignedConfig
}

// PysignedVersion selects the pysigned release whose behaviour a verifier,
// a signer or a JWKS loader reproduces. It is an option of each.
type PysignedVersion string

const (
	// Pysigned025 is pysigned 0.2.1 – 0.2.5, the default: a kid parameter
	// is signed like any other, default key ids are sha512 hex.
	Pysigned025 PysignedVersion = "0.2.5"
	// Pysigned028 is pysigned 0.2.6 – 0.2.8: kid is never signed,
	// PysignedRequireKid is available, default key ids are 12 characters
	// and a key set rejects duplicate ids.
	Pysigned028 PysignedVersion = "0.2.8"
)

func (v PysignedVersion) valid() error {
	if v != Pysigned025 && v != Pysigned028 {
		return fmt.Errorf("signet: unknown pysigned version %q (use %q or %q)", string(v), Pysigned025, Pysigned028)
	}
	return nil
}

// excludesKid reports whether kid is left out of the message (0.2.6+).
func (v PysignedVersion) excludesKid() bool { return v == Pysigned028 }

func (v PysignedVersion) applyPysigned(c *pysignedConfig) error { return v.set(&c.version) }

func (v PysignedVersion) applyPysignedSigner(c *pysignedSignerConfig) error { return v.set(&c.version) }

func (v PysignedVersion) applyJWKS(c *jwksConfig) error { return v.set(&c.version) }

// set sets *dst to v, a known version.
func (v PysignedVersion) set(dst *PysignedVersion) error {
	if err := v.valid(); err != nil {
		return err
	}
	*dst = v
	return nil
}

// pysignedProfile is what a pysigned verifier and signer must agree on.
type pysignedProfile struct {
	version    PysignedVersion
	ignore     []string // ignore_query_params
	requireKid bool
	prefix     string // the path prefix a proxy strips (PysignedPathPrefix); "" = none
}

// excluded reports whether the query parameter name stays out of the
// message: sig, exp, kid from 0.2.6 on, and the ignored names.
func (p *pysignedProfile) excluded(name string) bool {
	switch name {
	case "sig", "exp":
		return true
	case "kid":
		if p.version.excludesKid() {
			return true
		}
	}
	return slices.Contains(p.ignore, name)
}

func (p *pysignedProfile) check() error {
	if p.requireKid && !p.version.excludesKid() {
		return fmt.Errorf("signet: PysignedRequireKid needs pysigned %s; %s has no kid parameter", Pysigned028, p.version)
	}
	return nil
}

// PysignedSetting is an option a pysigned verifier and its signer share:
// both must be given the same ones.
type PysignedSetting struct {
	apply func(*pysignedProfile) error
}

func (s PysignedSetting) applyPysigned(c *pysignedConfig) error {
	return s.applyProfile(&c.pysignedProfile)
}

func (s PysignedSetting) applyPysignedSigner(c *pysignedSignerConfig) error {
	return s.applyProfile(&c.pysignedProfile)
}

func (s PysignedSetting) applyProfile(p *pysignedProfile) error {
	if s.apply == nil {
		return errors.New("signet: zero PysignedSetting")
	}
	return s.apply(p)
}

// PysignedIgnoreQueryParams leaves the named query parameters out of the
// message (pysigned's ignore_query_params): they may be added, changed or
// removed after signing. Names match the decoded parameter name exactly,
// case included.
func PysignedIgnoreQueryParams(names ...string) PysignedSetting {
	return PysignedSetting{func(p *pysignedProfile) error {
		p.ignore = slices.Clone(names)
		return nil
	}}
}

// PysignedRequireKid is pysigned 0.2.6+'s require_kid: the signer appends
// kid=<key id> to the URL, and the verifier looks the URL's kid up in its
// KeyStore and tries only that id's keys. It needs Pysigned028.
func PysignedRequireKid() PysignedSetting {
	return PysignedSetting{func(p *pysignedProfile) error {
		p.requireKid = true
		return nil
	}}
}

// PysignedOption configures NewPysigned. A PysignedVersion, a
// PysignedSetting and every Option are ones too.
type PysignedOption interface {
	applyPysigned(*pysignedConfig) error
}

type pysignedOption func(*pysignedConfig) error

func (o pysignedOption) applyPysigned(c *pysignedConfig) error { return o(c) }

func (o Option) applyPysigned(c *pysignedConfig) error {
	err := o.applyTo(&c.settings, "pysigned scheme", "WithClock", "WithClockSkew", "WithMaxAge",
		"WithAlgorithms", "WithNonceStore")
	if err == nil && o.name == "WithClockSkew" {
		return c.setSkew(c.clockSkew)
	}
	return err
}

// PysignedSkew is verify's skew: a URL is accepted while now < exp + skew,
// in whole seconds (default 0, as FastAPI's SignedRoute uses). Unlike
// WithClockSkew, which sets the same value, it may be negative, shortening
// every URL's life.
func PysignedSkew(d time.Duration) PysignedOption {
	return pysignedOption(func(c *pysignedConfig) error { return c.setSkew(d) })
}

func (c *pysignedConfig) setSkew(d time.Duration) error {
	if d%time.Second != 0 {
		return fmt.Errorf("signet: the pysigned skew must be whole seconds, got %v", d)
	}
	c.skew = int64(d / time.Second)
	return nil
}

// PysignedOrigin sets the public scheme and authority the URLs were signed
// for, e.g. "https://example.com", for servers behind a proxy: the scheme is
// lower-cased (as urlparse does), the authority is used byte for byte, case
// and port kept. By default they come from the request: its scheme (https
// over TLS) and its Host. It covers the origin only: behind a proxy that
// strips a path prefix, add PysignedPathPrefix too.
func PysignedOrigin(origin string) PysignedOption {
	return pysignedOption(func(c *pysignedConfig) error {
		scheme, authority, ok := strings.Cut(origin, "://")
		switch {
		case !ok || !isURIScheme(scheme):
			return fmt.Errorf("signet: origin %q must be scheme://authority", origin)
		case authority == "" || strings.ContainsAny(authority, "/?#\\ \t\r\n") || !utf8.ValidString(authority):
			return fmt.Errorf("signet: origin %q must be scheme://authority, with no path, query or fragment", origin)
		case len(authority) > maxPysignedHost: // no signer signs it
			return fmt.Errorf("signet: the origin's authority is longer than %d bytes", maxPysignedHost)
		}
		if err := checkPyNetloc(authority); err != nil {
			return fmt.Errorf("signet: origin %q: %w", origin, err)
		}
		c.origin = true
		c.originScheme, c.originNetloc = lowerASCII(scheme), authority
		return nil
	})
}

// PysignedPathPrefix is the path prefix a proxy in front of this server
// strips from request paths (nginx's location /files/ { proxy_pass
// http://backend/; }, or a gateway routing /billing/* to a service as /*):
// the signature covers the public path, prefix + the path received, where
// pysigned has the path of the public URL. It is compared byte for byte,
// escapes included, so write it as clients send it: percent-encoded
// ("/caf%C3%A9"), without a query, a fragment, a ';' (which would start
// pysigned's params) or a "." or ".." segment. Trailing '/' are dropped:
// "/files/" is "/files", and "/" or "" is no prefix.
//
// A signer given it checks that the URLs it signs, the public ones, have
// a path starting with prefix and "/"; what it signs is unchanged. A
// handler mounted with http.StripPrefix in this server needs no prefix:
// signet reads the raw request-target, which StripPrefix leaves as it came.
// The path beyond the prefix must arrive as sent: docs/proxies.md shows an
// nginx configuration that does not normalise it.
func PysignedPathPrefix(prefix string) PysignedSetting {
	return PysignedSetting{func(p *pysignedProfile) error {
		norm, err := normalizePathPrefix("PysignedPathPrefix", prefix, false, ";")
		if err != nil {
			return err
		}
		p.prefix = norm
		return nil
	}}
}

// pysignedAlgorithms are the algorithms a pysigned key verifies with.
var pysignedAlgorithms = []string{algHMACSHA512.name, algEd25519.name}

type pysignedConfig struct {
	settings
	pysignedProfile
	skew                       int64 // seconds
	origin                     bool
	originScheme, originNetloc string
}

func newPysignedConfig(opts []PysignedOption) (*pysignedConfig, error) {
	c := &pysignedConfig{settings: defaultSettings(), pysignedProfile: pysignedProfile{version: Pysigned025}}
	if err := applyOptions(opts, "PysignedOption", PysignedOption.applyPysigned, c); err != nil {
		return nil, err
	}
	if c.algorithms == nil {
		c.algorithms = pysignedAlgorithms
	}
	for _, name := range c.algorithms {
		if !slices.Contains(pysignedAlgorithms, name) {
			return nil, fmt.Errorf("signet: pysigned verifies with hmac-sha512 or ed25519, not %q", name)
		}
	}
	return c, c.check()
}

// NewPysigned returns a verifier of pysigned URLs signed by the keys of
// keys: HMAC secrets of at least 64 bytes (NewHMACKey) and Ed25519 keys
// (NewPublicKey, or a JWKSKeys store). Without PysignedRequireKid it asks
// for AnyKeyID and tries up to 16 keys in order, as pysigned tries its
// KeySet; a StaticKeys or JWKSKeys store is checked here (its keys, and
// their number).
func NewPysigned(keys KeyStore, opts ...PysignedOption) (*Pysigned, error) {
	cfg, err := newPysignedConfig(opts)
	if err != nil {
		return nil, err
	}
	p, err := newPipeline("NewPysigned", SchemePysigned, keys, cfg.settings, keyChecks{
		anyKeyID: !cfg.requireKid,
		known:    isAlgorithmName,
		usable: func(s *Secret) error {
			_, err := pysignedAlgorithm(s) // the kind, the length of a secret, the pin
			return err
		},
	})
	if err != nil {
		return nil, err
	}
	return &Pysigned{pipeline: p, cfg: cfg}, nil
}

// Verify checks the signature of the request's URL: its scheme and host
// (or the PysignedOrigin), its raw path and its raw query.
func (v *Pysigned) Verify(ctx context.Context, r Request) (*Result, error) {
	return v.run(ctx, r, v, nil)
}

// VerifyInto is Verify into res (see IntoVerifier).
func (v *Pysigned) VerifyInto(ctx context.Context, r Request, res *Result) error {
	_, err := v.run(ctx, r, v, res)
	return err
}

// pysignedCovered is Result.Covered: the fields of the message.
var pysignedCovered = []string{"exp", "scheme", "netloc", "path", "params", "query"}

// Limits on the URL a verifier reads, and a signer signs: the query
// parameters of one URL, the bytes of its request-target and those of its
// netloc (the request's Host, unless PysignedOrigin is set), the native
// signed URLs' figures (pysigned has none): a forged URL costs its parse
// and an HMAC per secret tried, which grow with its length.
const (
	maxPysignedParams = 1000
	maxPysignedTarget = signedURLMaxTarget
	maxPysignedHost   = signedURLMaxHost
)

// pysignedState is the per-request state of a pysigned verification, kept
// in the pooled attempt with its buffers.
type pysignedState struct {
	qsl                     // the query, and the scratch buffer of decoded text
	pairs    []qsPair       // the query pairs of the message
	params   pysignedParams // sig, exp and kid
	exp      int64          // clamped to [minPyExp, maxPyExp]
	lowerHex bool           // sig is lower-case hex, so an HMAC tag may equal it
}

// reusable empties st for the next attempt, keeping its buffers unless
// they grew too large.
func (st pysignedState) reusable() pysignedState {
	pairs := st.pairs[:0]
	if cap(pairs) > maxPysignedParams {
		pairs = nil
	}
	return pysignedState{pairs: pairs, qsl: qsl{scratch: reusable(st.scratch), order: st.order[:0]}}
}

// pysignedParams are the sig, exp and kid a query carries: the last
// occurrence of each, decoded, blank ones dropped (dict(parse_qsl(q))).
type pysignedParams struct {
	sig, exp, kid          string
	hasSig, hasExp, hasKid bool
}

// collect splits query as parse_qsl does, appending the pairs of the
// message to st.pairs and setting st.params. (Set in place: returned, the
// parameters were copied with loads wider than their stores, which stalls.)
// It is qsl.next and the signer's exclusions (SignURL) by hand, for speed:
// the property tests' round trips keep the two equal.
func (st *pysignedState) collect(query string, p *pysignedProfile) error {
	st.query = query
	out := &st.params
	for i, n := 0, 0; i < len(query); {
		eq, end, nameClass, valueClass := st.field(i)
		start := i
		i = end + 1
		if eq < 0 {
			continue
		}
		if n++; n > maxPysignedParams {
			return newError(ErrMalformed, "the URL has more than %d query parameters", maxPysignedParams)
		}
		// st.unquote, by hand: the compiler does not inline it
		nameSpan := qsSpan{off: uint32(start), n: uint32(eq - start), plain: nameClass == qsPlain}
		nameCanonical := nameSpan.plain
		if nameClass&qsDecode != 0 {
			nameSpan, nameCanonical = st.decode(start, eq, nameClass)
		}
		value := qsSpan{off: uint32(eq + 1), n: uint32(end - eq - 1), plain: valueClass == qsPlain}
		valueCanonical := value.plain
		if valueClass&qsDecode != 0 {
			value, valueCanonical = st.decode(eq+1, end, valueClass)
		}
		switch name := st.str(nameSpan); {
		case name == "sig":
			out.sig, out.hasSig = st.str(value), true
		case name == "exp":
			out.exp, out.hasExp = st.str(value), true
		case name == "kid" && p.requireKid:
			out.kid, out.hasKid = st.str(value), true
		case len(p.ignore) > 0 && p.excluded(name), name == "kid" && p.version.excludesKid():
		default:
			// Filled in place: a pair built on the stack and copied in
			// is read back wider than it was written, which stalls.
			st.pairs = append(st.pairs, qsPair{})
			pair := &st.pairs[len(st.pairs)-1]
			pair.name, pair.value, pair.key = nameSpan, value, st.key(nameSpan)
			pair.field = qsSpan{off: uint32(start), n: uint32(end - start), plain: nameCanonical && valueCanonical}
		}
	}
	return nil
}

// appendPysignedMessage appends pysigned's message: exp, scheme, netloc,
// path, params and the canonical query of pairs (sorted in place), joined
// by newlines.
func appendPysignedMessage(dst []byte, exp string, u *pyURL, q *qsl, pairs []qsPair) []byte {
	for _, field := range [...]string{exp, u.scheme, u.netloc, u.path, u.params} {
		dst = append(dst, field...)
		dst = append(dst, '\n')
	}
	return q.appendCanonicalQuery(dst, pairs)
}

// putPrefix inserts the prefix a proxy stripped (PysignedPathPrefix) in
// msg, appendPysignedMessage's message of the request-target split into u
// with exp, before the path: the message of the public URL.
func (c *pysignedConfig) putPrefix(msg []byte, exp string, u *pyURL) []byte {
	path := len(exp) + len(u.scheme) + len(u.netloc) + 3 // after their lines
	msg = append(msg, c.prefix...)                       // room for it
	copy(msg[path+len(c.prefix):], msg[path:len(msg)-len(c.prefix)])
	copy(msg[path:], c.prefix)
	return msg
}

func (v *Pysigned) parse(a *attempt) error {
	c := v.cfg
	var u pyURL
	if err := c.requestURL(a.req, &u); err != nil {
		return err
	}
	st := &a.pysigned
	if err := st.collect(u.query, &c.pysignedProfile); err != nil {
		return err
	}
	p := &st.params
	if !p.hasSig {
		return errPysignedMissing
	}
	if !p.hasExp {
		return newError(ErrMalformed, "the URL has a sig but no exp parameter")
	}
	exp, ok := parsePyInt(&st.scratch, p.exp)
	switch {
	case !ok:
		return newError(ErrMalformed, "the exp parameter must be an integer (unix seconds)")
	case exp.zero:
		return newError(ErrMalformed, "the exp parameter must not be 0")
	}
	st.exp = exp.value
	var hexOK bool
	if a.sig, st.lowerHex, hexOK = appendPyFromHex(a.sig[:0], p.sig); !hexOK || len(a.sig) != ed25519.SignatureSize {
		return newError(ErrMalformed, "the sig parameter must be the hex of a 64-byte HMAC-SHA512 tag or Ed25519 signature")
	}
	a.keyID, a.signature, a.covered = AnyKeyID, p.sig, pysignedCovered
	if c.requireKid {
		if !p.hasKid {
			return newError(ErrMalformed, "the URL has no kid parameter, which this server requires")
		}
		a.keyID = p.kid
	}
	if c.maxAge > 0 {
		if ttl := time.Unix(st.exp, 0).Sub(a.now(c.now)); ttl > c.maxAge {
			return newError(ErrExpired, "the URL expires in %v; this server accepts at most %v: sign it with a shorter TTL", ttl.Round(time.Second), c.maxAge)
		}
	}
	a.msg = appendPysignedMessage(a.msg[:0], exp.text, &u, &st.qsl, st.pairs)
	if c.prefix != "" {
		if !strings.HasPrefix(u.path, "/") {
			return errNotAPath("PysignedPathPrefix", u.path)
		}
		a.msg = c.putPrefix(a.msg, exp.text, &u)
	}
	return nil
}

var errPysignedTargetLong = newError(ErrMalformed, "the URL is longer than the %d bytes this server verifies", maxPysignedTarget)

// errPysignedMissing is the answer to a URL without a sig parameter, shared
// as errPysignedTargetLong is.
var errPysignedMissing = newError(ErrMissingSignature, "the URL has no sig parameter: sign it with pysigned")

// requestURL sets the fields of u, a zero pyURL, to the URL the request was
// signed as: the origin's (or the request's) scheme and authority, and the
// raw path, params and query of the request-target, split as urlparse
// splits them. (u is filled in place: returning the URL by value copied it
// with loads wider than its stores, which stalls.)
func (c *pysignedConfig) requestURL(r Request, u *pyURL) error {
	target := r.RequestURI()
	if len(target) > len("https://")+maxPysignedHost+maxPysignedTarget { // bounds the scans below
		return errPysignedTargetLong
	}
	if strings.IndexByte(target, '#') >= 0 {
		// urlparse would cut a fragment off, unsigned, but clients never
		// send one, and net/http's server reads what follows as query.
		return newError(ErrMalformed, "the request-target contains '#', which a URL's query or path sends as %%23")
	}
	if c.origin {
		u.scheme, u.netloc = c.originScheme, c.originNetloc
	} else {
		u.scheme, u.netloc = r.Scheme(), r.Host()
	}
	if isConnectAuthority(r, target) {
		return errPysignedMissing
	}
	if target != "" && target[0] != '/' { // absolute-form: keep what follows the authority
		if i := strings.Index(target, "://"); i > 0 && isURIScheme(target[:i]) {
			authority := target[i+3:]
			end := len(authority)
			if j := strings.IndexAny(authority, "/?#"); j >= 0 {
				end = j
			}
			if !c.origin {
				u.netloc = authority[:end]
			}
			target = authority[end:]
		}
	}
	if len(target) > maxPysignedTarget { // as signers count it: an absolute-form target's path and query
		return errPysignedTargetLong
	}
	if !c.origin {
		if len(u.netloc) > maxPysignedHost {
			return newError(ErrMalformed, "the request's host is longer than the %d bytes this server verifies", maxPysignedHost)
		}
		if !validNetloc(u.netloc) {
			return newError(ErrMalformed, "the request's host is not a valid URL authority")
		}
	}
	if !validTarget(target) {
		return newError(ErrMalformed, "the request-target is not a valid URL path and query")
	}
	u.path, u.params, u.query = splitPyRest(target, u.scheme)
	return nil
}

// validTarget reports whether a request-target is UTF-8 (as a Python str
// is) without tab, CR or LF, which urlparse would remove.
func validTarget(s string) bool {
	return strings.IndexByte(s, '\t') < 0 && strings.IndexByte(s, '\n') < 0 && strings.IndexByte(s, '\r') < 0 &&
		utf8.ValidString(s)
}

// validNetloc reports whether a Host is a netloc: a valid target without /,
// ? or #, which would end the netloc early, and with its brackets right.
func validNetloc(s string) bool {
	return !strings.ContainsAny(s, "/?#") && validTarget(s) && checkPyNetloc(s) == nil
}

func (v *Pysigned) check(a *attempt, s *Secret) error {
	alg, err := pysignedAlgorithm(s)
	if err != nil {
		return err
	}
	if !slices.Contains(v.cfg.algorithms, alg.name) {
		return newError(ErrUnsupportedAlgorithm, "%s signatures are not accepted here", alg.name)
	}
	a.alg, a.algorithm = alg, alg.name
	return nil
}

// minPysignedHMACKey is the shortest HMAC key pysigned accepts: the
// SHA-512 digest size.
const minPysignedHMACKey = 64

// pysignedAlgorithm is the algorithm s verifies pysigned signatures with:
// HMAC-SHA512 for a secret of 64 bytes or more, Ed25519 for an Ed25519
// key, and the key's pinned algorithm must agree.
func pysignedAlgorithm(s *Secret) (*algorithm, error) {
	k := s.Key
	var alg *algorithm
	switch {
	case k.kind == hmacKey && len(k.secret) < minPysignedHMACKey:
		return nil, newError(ErrUnsupportedAlgorithm, "a configured HMAC key is shorter than the %d bytes pysigned requires", minPysignedHMACKey)
	case k.kind == hmacKey:
		alg = algHMACSHA512
	case k.kind == ed25519Key:
		alg = algEd25519
	default:
		return nil, newError(ErrUnsupportedAlgorithm, "a configured key, %s, cannot verify pysigned URLs (HMAC-SHA512 or Ed25519)", k.kind.describe())
	}
	if s.Algorithm != "" && s.Algorithm != alg.name {
		return nil, newError(ErrUnsupportedAlgorithm, "a configured key, %s, is pinned to %q", k.kind.describe(), s.Algorithm)
	}
	return alg, nil
}

func (v *Pysigned) verify(a *attempt, s *Secret) (bool, error) {
	var ok bool
	if a.alg == algHMACSHA512 {
		if !a.pysigned.lowerHex {
			return false, nil // compare_digest against the lower-case hex fails
		}
		ok = equalBytes(a.mac.sum(s.Key, crypto.SHA512, a.msg), a.sig) // the attempt's kept state
	} else {
		ok = ed25519.Verify(s.Key.public.(ed25519.PublicKey), a.msg, a.sig)
	}
	if !ok {
		return false, nil
	}
	return true, v.checkExpiry(a)
}

// checkExpiry enforces pysigned's expiry on an authenticated URL: valid
// while now < exp + skew, in whole seconds (time() truncated). It sets
// a.expires to exp + skew, the first instant the URL is refused, which the
// pipeline's own check (strictly after) then agrees with, and a.grace to
// the skew, which the pipeline's maximum age does not count.
func (v *Pysigned) checkExpiry(a *attempt) error {
	until := a.pysigned.exp + v.cfg.skew
	if a.now(v.now).Unix() >= until {
		return newError(ErrExpired, "the URL expired at %s", time.Unix(until, 0).UTC().Format(time.RFC3339))
	}
	a.expires, a.grace = time.Unix(until, 0), time.Duration(v.cfg.skew)*time.Second
	return nil
}

func (v *Pysigned) checkBody(*attempt) error { return nil } // pysigned signs no body
