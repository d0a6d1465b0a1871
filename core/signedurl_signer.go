package signet

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// SignedURLSigner makes signed URLs for a SignedURL verifier: it appends
// sn-kid, sn-iat, sn-exp and sn-sig to a URL's query. It signs with one key,
// the newest: during a rotation, give the verifiers the new key and the old
// one under the same id, then switch the signer to the new key.
type SignedURLSigner struct {
	keyID string
	key   *Key
	alg   *algorithm
	cfg   *signedURLConfig
}

// NewSignedURLSigner returns a signer sending keyID with URLs signed by
// key: an HMAC secret (HMAC-SHA256) or an Ed25519 private key. keyID must
// be 1 to 128 characters among A-Z a-z 0-9 - . _ ~. Give it the verifier's
// SignedURLBindMethod, SignedURLBindOrigin or SignedURLOrigin,
// SignedURLIgnoreParams and SignedURLPathPrefix options; WithClock,
// WithMaxAge (the longest TTL it signs, default DefaultSignedURLMaxTTL)
// and SignedURLTTL apply too.
func NewSignedURLSigner(keyID string, key *Key, opts ...SignedURLOption) (*SignedURLSigner, error) {
	if !validSignedURLKeyID(keyID) {
		return nil, fmt.Errorf("signet: key id %q must be 1 to %d characters among A-Z a-z 0-9 - . _ ~", keyID, signedURLMaxKeyID)
	}
	var alg *algorithm
	switch {
	case key == nil:
	case key.kind == hmacKey:
		alg = algHMACSHA256
	case key.kind == ed25519Key && key.signer != nil:
		alg = algEd25519
	}
	if alg == nil {
		return nil, errors.New("signet: a signed URL signer needs an HMAC secret or an Ed25519 private key")
	}
	if key.emptySecret() {
		return nil, errEmptySecret
	}
	cfg, err := newSignedURLConfig(opts, true)
	if err != nil {
		return nil, err
	}
	return &SignedURLSigner{keyID: keyID, key: key, alg: alg, cfg: cfg}, nil
}

// SignURL returns rawURL signed for method (ignored under
// SignedURLBindMethod(false)) and valid for ttl, whole seconds from the
// current second: sn-iat is the clock's unix time, sn-exp is sn-iat plus
// ttl truncated to whole seconds. rawURL is an absolute http or https URL,
// on the SignedURLOrigin if one is set (compared as verifiers compare it:
// scheme and host lower-cased, a default port dropped), or a path starting
// with '/' (not under SignedURLBindOrigin without SignedURLOrigin). Under
// SignedURLPathPrefix, it is the public URL, and its path must start with
// the prefix and '/'.
//
// Under SignedURLBindOrigin without SignedURLOrigin, the URL's host is
// signed, so it must be written as every client sends it: an ASCII name
// (the punycode form of an internationalised one), an IPv6 address in its
// compressed form without a zone, an IPv4 address in dotted decimal, and a
// port, if any, without a leading zero, and at most 1024 bytes in all, as
// verifiers read no longer Host; the error of a host in another form says
// which one to sign. Whatever the binding, a port is at most 65535.
//
// The URL returned is rawURL with bytes that clients would escape
// themselves (spaces, non-ASCII, quotes, …) percent-encoded, and the sn-
// parameters appended to its query; the fragment is kept (escaped like the
// query) and not signed.
// Query parameters are signed as written: repeated names, empty values,
// ';' and '+' included.
//
// When the method is signed (the default), a method that browsers
// normalise, such as "get", is refused: they would send GET, which the URL
// does not sign.
func (s *SignedURLSigner) SignURL(method, rawURL string, ttl time.Duration) (string, error) {
	if upper := strings.ToUpper(method); s.cfg.bindMethod && isFetchMethod(upper) && method != upper {
		return "", fmt.Errorf("signet: browsers send the method %q as %s, which the URL would not sign: sign %s", method, upper, upper)
	}
	rest, fragment, hasFragment := strings.Cut(rawURL, "#")
	prefix, scheme, host := "", "", ""
	if !strings.HasPrefix(rest, "/") || strings.HasPrefix(rest, "//") {
		i := strings.Index(rest, "://")
		if i <= 0 {
			return "", fmt.Errorf("signet: %.64q is neither an absolute http(s) URL nor a path starting with /", rawURL)
		}
		end := len(rest)
		if j := strings.IndexAny(rest[i+3:], "/?"); j >= 0 {
			end = i + 3 + j
		}
		prefix, scheme, host = rest[:end], rest[:i], rest[i+3:end]
		if lower := strings.ToLower(scheme); lower != "http" && lower != "https" {
			return "", fmt.Errorf("signet: cannot sign a %s URL", scheme)
		}
		if err := s.checkHost(host); err != nil {
			return "", fmt.Errorf("signet: %.64q: %w", rawURL, err)
		}
		if origin := s.cfg.origin; origin != "" && string(appendSignedURLOrigin(nil, scheme, host)) != origin {
			return "", fmt.Errorf("signet: %.64q is not on %s, the origin the URL is signed for (SignedURLOrigin), so it could not verify where it points: sign a path, or a URL on that origin", rawURL, origin)
		}
		rest = rest[end:]
	}
	rawPath, rawQuery, _ := strings.Cut(rest, "?")
	if rawPath == "" {
		rawPath = "/"
	}
	path, err := appendSignedURLEscaped(make([]byte, 0, len(rawPath)), rawPath, false)
	if err != nil {
		return "", err
	}
	query, err := appendSignedURLEscaped(make([]byte, 0, len(rawQuery)), rawQuery, true)
	if err != nil {
		return "", err
	}
	var frag []byte
	if hasFragment {
		if frag, err = appendSignedURLEscaped([]byte{'#'}, fragment, true); err != nil {
			return "", err
		}
	}
	if prefix == "" && s.cfg.bindOrigin && s.cfg.origin == "" {
		return "", errors.New("signet: the origin is signed: give an absolute URL, or configure SignedURLOrigin")
	}
	params, err := s.sign(method, scheme, host, string(path), string(query), ttl)
	if err != nil {
		return "", err
	}
	out := make([]byte, 0, len(prefix)+len(path)+len(query)+len(params)+len(frag)+2)
	out = append(append(out, prefix...), path...)
	out = append(appendSignedURLQuery(out, string(query)), params...)
	return string(append(out, frag...)), nil
}

// checkHost checks the host of a URL to sign: when it is signed (the
// origin bound to the request's), in the form every client sends
// (checkSignedURLOriginHost); else an ASCII host with a port up to 65535.
func (s *SignedURLSigner) checkHost(host string) error {
	if s.cfg.bindOrigin && s.cfg.origin == "" {
		return checkSignedURLOriginHost(host)
	}
	if err := checkSignedURLHost(host); err != nil {
		return err
	}
	_, port := splitSignedURLHostPort(host)
	if err := checkSignedURLPort(port, false); err != nil {
		return fmt.Errorf("the host %q: %w", host, err)
	}
	return nil
}

// appendSignedURLQuery appends "?" and q, and '&' if q is not empty: what the sn-
// parameters follow.
func appendSignedURLQuery(dst []byte, q string) []byte {
	dst = append(append(dst, '?'), q...)
	if q != "" {
		dst = append(dst, '&')
	}
	return dst
}

// Sign signs r's URL for its method with the signer's TTL (SignedURLTTL),
// so that signethttp.Transport can send signed-URL requests: it appends the
// sn- parameters to r.URL.RawQuery, escaping in the query what Go would send
// raw but browsers would not. r is an outgoing request the caller owns
// (Transport clones first); its body and headers are not signed. Under
// SignedURLBindOrigin (without SignedURLOrigin), the Host it sends (r.Host,
// else r.URL.Host) must be in the form SignURL requires: an ASCII
// (punycode) name, a canonical IPv6 or IPv4 address without a zone, a port
// without a leading zero, at most 1024 bytes in all. Under
// SignedURLPathPrefix, r's URL is the public one, under the prefix.
func (s *SignedURLSigner) Sign(r *http.Request) error {
	if r.URL == nil || r.URL.Opaque != "" {
		return errors.New("signet: Sign needs a request with a hierarchical URL")
	}
	out := outgoing(r)
	if host := out.Host(); host != "" && s.cfg.bindOrigin && s.cfg.origin == "" {
		if err := checkSignedURLOriginHost(host); err != nil {
			return fmt.Errorf("signet: the request's Host: %w", err)
		}
	}
	path := r.URL.EscapedPath() // what Go sends
	if path == "" {
		path = "/"
	}
	if r.Response != nil { // a redirect of a request this signer signed: sign it afresh
		r.URL.RawQuery = withoutParams(r.URL.RawQuery, func(name string) bool { return strings.HasPrefix(name, "sn-") })
	}
	query, err := appendSignedURLEscaped(nil, r.URL.RawQuery, true)
	if err != nil {
		return err
	}
	params, err := s.sign(out.Method(), out.Scheme(), out.Host(), path, string(query), s.cfg.ttl)
	if err != nil {
		return err
	}
	q := appendSignedURLQuery(nil, string(query))
	r.URL.RawQuery, r.URL.ForceQuery = string(q[1:])+params, false
	return nil
}

// checkOneSpelling refuses a query that spells one parameter name two ways
// ("a" and "%61"): the canonical query sorts names as written, so that the
// two could be swapped under the signature, and a handler, which reads them
// as one name, would read another first value.
func checkOneSpelling(query string) error {
	spellings := map[string]string{}
	for field := range strings.SplitSeq(query, "&") {
		raw, _, _ := strings.Cut(field, "=")
		name, err := url.QueryUnescape(raw)
		if err != nil {
			continue // not a name a handler reads
		}
		if other, ok := spellings[name]; !ok {
			spellings[name] = raw
		} else if other != raw {
			return fmt.Errorf("signet: the query spells the parameter %.64q as %.64q and as %.64q, whose values could then be swapped under the signature: spell it one way", name, other, raw)
		}
	}
	return nil
}

// sign returns the sn- parameters signing method, the origin of scheme and
// host, path and query for ttl: the public path, the one clients send (under
// SignedURLPathPrefix), and the rest as the server will receive them.
func (s *SignedURLSigner) sign(method, scheme, host, path, query string, ttl time.Duration) (string, error) {
	c := s.cfg
	switch {
	case ttl < time.Second:
		return "", fmt.Errorf("signet: TTL %v is shorter than a second", ttl)
	case ttl > c.maxAge:
		return "", fmt.Errorf("signet: TTL %v is longer than the maximum TTL %v (WithMaxAge)", ttl, c.maxAge)
	case c.bindMethod && !isToken(method):
		return "", fmt.Errorf("signet: the method is signed and %q is not a method (a token such as GET)", method)
	case c.bindOrigin && c.origin == "" && host == "":
		return "", errors.New("signet: the origin is signed and the URL has no host")
	}
	if !strings.HasPrefix(path, "/") {
		return "", fmt.Errorf("signet: the path %.64q does not start with /", path)
	}
	if err := checkSignedURLDotSegments(path); err != nil {
		return "", err
	}
	received, ok := underPathPrefix(path, c.prefix) // what the server receives, and puts the prefix back on
	if !ok {
		return "", errOutsidePathPrefix("SignedURLPathPrefix", path, c.prefix)
	}
	var p signedURLParams
	pairs, err := c.scanQuery(query, nil, &p)
	if err != nil {
		return "", fmt.Errorf("signet: %w", err)
	}
	if p.any {
		return "", errors.New("signet: the URL already has sn- parameters; sign the URL without them")
	}
	if err := checkOneSpelling(query); err != nil {
		return "", err
	}
	if p.segments > signedURLMaxPairs-4 {
		return "", fmt.Errorf("signet: the URL has more than %d query parameters, and verifiers read at most %d with the 4 of the signature", signedURLMaxPairs-4, signedURLMaxPairs)
	}
	iat := c.now().Unix()
	p.kid = s.keyID
	p.iat = strconv.FormatInt(iat, 10)
	p.exp = strconv.FormatInt(iat+int64(ttl/time.Second), 10)
	marker := signedURLMarkerHMAC
	if s.alg == algEd25519 {
		marker = signedURLMarkerEd25519
	}
	msg, err := c.appendMessage([]byte(marker), &p, method, scheme, host, received, query, pairs)
	if err != nil {
		return "", err
	}
	sig, err := s.alg.sign(s.key, msg)
	if err != nil {
		return "", err
	}
	params := SignedURLKeyIDParam + "=" + p.kid + "&" + SignedURLIssuedParam + "=" + p.iat + "&" +
		SignedURLExpiresParam + "=" + p.exp + "&" + SignedURLSignatureParam + "=" +
		base64.RawURLEncoding.EncodeToString(sig)
	target := len(path) + len("?") + len(query) + len(params) // the signed request-target
	if query != "" {
		target += len("&")
	}
	if target > signedURLMaxTarget {
		return "", fmt.Errorf("signet: the URL is too long to sign: verifiers read at most %d bytes", signedURLMaxTarget)
	}
	return params, nil
}

// isFetchMethod reports whether method is one of the methods the Fetch
// standard normalises to upper case: browsers send "get" as GET.
func isFetchMethod(method string) bool {
	switch method {
	case "DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT":
		return true
	}
	return false
}
