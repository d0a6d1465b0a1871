package signet

import (
	"crypto"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// PysignedSigner signs URLs as pysigned's URLAuth.sign does, byte for byte:
// the query re-encoded (blank values dropped), then sig, exp (and kid with
// PysignedRequireKid) appended. It is safe for concurrent use.
type PysignedSigner struct {
	key *Key
	alg *algorithm
	cfg *pysignedSignerConfig
}

// PysignedSignerOption configures NewPysignedSigner. A PysignedVersion, a
// PysignedSetting and WithClock are ones too.
type PysignedSignerOption interface {
	applyPysignedSigner(*pysignedSignerConfig) error
}

type pysignedSignerOption func(*pysignedSignerConfig) error

func (o pysignedSignerOption) applyPysignedSigner(c *pysignedSignerConfig) error { return o(c) }

func (o Option) applyPysignedSigner(c *pysignedSignerConfig) error {
	return o.applyTo(&c.settings, "pysigned signer", "WithClock")
}

// PysignedTTL sets how long a signed URL stays valid: exp = now + ttl, in
// whole seconds (default 600, pysigned's). Zero and negative values are
// allowed, as upstream allows them: the URL is then born expired.
func PysignedTTL(d time.Duration) PysignedSignerOption {
	return pysignedSignerOption(func(c *pysignedSignerConfig) error {
		if d%time.Second != 0 {
			return fmt.Errorf("signet: the pysigned ttl must be whole seconds, got %v", d)
		}
		c.ttl = int64(d / time.Second)
		return nil
	})
}

// PysignedKeyID sets the kid a signer with PysignedRequireKid writes
// (pysigned's signing_key_id). The default is the key's default id for the
// version (PysignedVersion.DefaultKeyID). Without PysignedRequireKid no kid
// is written, and PysignedKeyID is a construction error. A key from a
// JWKSKeys store goes by its kid: pass the id JWKSKeys.SigningKey returns.
func PysignedKeyID(id string) PysignedSignerOption {
	return pysignedSignerOption(func(c *pysignedSignerConfig) error {
		if id == "" {
			return errors.New("signet: empty pysigned key id")
		}
		c.keyID = id
		return nil
	})
}

type pysignedSignerConfig struct {
	settings
	pysignedProfile
	ttl   int64 // seconds
	keyID string
}

// DefaultPysignedTTL is pysigned's default ttl.
const DefaultPysignedTTL = 600 * time.Second

// NewPysignedSigner returns a signer for key: an HMAC secret of at least 64
// bytes (HMAC-SHA512), or an Ed25519 private key (NewPrivateKey). Give it
// the PysignedVersion and PysignedSettings of the verifier.
func NewPysignedSigner(key *Key, opts ...PysignedSignerOption) (*PysignedSigner, error) {
	c := &pysignedSignerConfig{settings: defaultSettings(), pysignedProfile: pysignedProfile{version: Pysigned025},
		ttl: int64(DefaultPysignedTTL / time.Second)}
	if err := applyOptions(opts, "PysignedSignerOption", PysignedSignerOption.applyPysignedSigner, c); err != nil {
		return nil, err
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	if c.keyID != "" && !c.requireKid {
		return nil, errors.New("signet: PysignedKeyID names the kid written under PysignedRequireKid, which is not given: without it no kid is written")
	}
	if key.unusable() != "" && !key.emptySecret() { // nil or zero
		return nil, errors.New("signet: a pysigned signer needs an HMAC secret of at least 64 bytes or an Ed25519 private key")
	}
	alg, err := pysignedAlgorithm(&Secret{Key: key})
	if err != nil {
		return nil, fmt.Errorf("signet: %w", err)
	}
	if alg == algEd25519 && key.signer == nil {
		return nil, errors.New("signet: an Ed25519 public key cannot sign: use NewPrivateKey")
	}
	if c.requireKid && c.keyID == "" {
		if c.keyID, err = c.version.DefaultKeyID(key); err != nil {
			return nil, err
		}
	}
	return &PysignedSigner{key: key, alg: alg, cfg: c}, nil
}

// SignURL returns rawURL signed, as URLAuth.sign(rawURL) returns it: parsed
// as urlparse parses it, its query re-encoded with sig and exp appended,
// its fragment kept at the end. It fails where urlparse raises for a bad
// bracketed host, and for text that is not UTF-8; it does not copy
// urlparse's NFKC check of non-ASCII host names: sign their punycode form.
//
// The path is signed as written, as pysigned signs it: write it as clients
// send it, percent-encoded ("/a%20b", "/caf%C3%A9"). A raw space or
// non-ASCII byte gives a URL that clients send escaped, which then does not
// verify (vector unicode-path-and-query); url.URL's EscapedPath gives that
// form.
//
// A URL that verifiers refuse for its size is refused: a netloc longer
// than 1024 bytes, or a signed request-target (path, params and query)
// longer than 16384. Under PysignedPathPrefix, a URL whose path does not
// start with the prefix and '/' is refused: verifiers behind that proxy
// receive no other.
func (s *PysignedSigner) SignURL(rawURL string) (string, error) {
	u, err := parsePyURL(rawURL)
	if err != nil {
		return "", err
	}
	if u.query, err = s.signedQuery(&u); err != nil {
		return "", err
	}
	return u.String(), nil
}

// Sign signs r's URL in place: its query becomes the signed query, for the
// scheme of r.URL and the host r is sent to, as a signet or pysigned server
// sees them. r must be a request the caller owns: signethttp.Transport
// clones before signing. As SignURL, it refuses a host or a signed
// request-target longer than verifiers read, and re-encodes the query as
// pysigned does (a parameter with a blank value, "?archived", is dropped).
// Unlike SignURL, it refuses a query that already holds sig or exp (or kid,
// under PysignedRequireKid): the server's handler would read that value,
// which no signature covers.
func (s *PysignedSigner) Sign(r *http.Request) error {
	if r.URL == nil {
		return errNoURL
	}
	out := outgoing(r)
	u := pyURL{scheme: lowerASCII(r.URL.Scheme), netloc: out.Host()}
	target := out.RequestURI()
	if !utf8.ValidString(target) {
		return errors.New("signet: the request's URL is not valid UTF-8")
	}
	if strings.IndexByte(target, '#') >= 0 { // which verifiers refuse
		return errors.New("signet: the request's path or query holds a '#': escape it as %23")
	}
	if err := checkPySignedHost(u.netloc); err != nil { // before checkSentHost quotes it
		return err
	}
	if err := checkSentHost(u.netloc); err != nil {
		return err
	}
	if err := checkPyNetloc(u.netloc); err != nil {
		return err
	}
	u.path, u.params, u.query = splitPyRest(target, u.scheme)
	ours := func(name string) bool {
		return name == "sig" || name == "exp" || name == "kid" && s.cfg.requireKid // a kid it writes
	}
	switch unsigned := withoutParams(u.query, ours); {
	case r.Response != nil: // a redirect of a request this signer signed: sign it afresh
		u.query = unsigned
	case unsigned != u.query:
		return errors.New("signet: the request's query already holds sig, exp or kid, which pysigned never signs " +
			"(a verifier reads the pair Sign appends): rename the parameter")
	}
	query, err := s.signedQuery(&u)
	if err != nil {
		return err
	}
	r.URL.RawQuery, r.URL.ForceQuery = query, false
	return nil
}

// signedQuery signs u at the signer's clock and returns its new query:
// urlencode(parse_qsl(query) + [sig, exp(, kid)]). It refuses a URL that
// verifiers refuse for its size: a netloc over maxPysignedHost bytes, more
// than maxPysignedParams parameters, a request-target over
// maxPysignedTarget.
func (s *PysignedSigner) signedQuery(u *pyURL) (string, error) {
	c := s.cfg
	if err := checkPySignedHost(u.netloc); err != nil {
		return "", err
	}
	if _, ok := underPathPrefix(u.path, c.prefix); !ok {
		return "", errOutsidePathPrefix("PysignedPathPrefix", u.path, c.prefix)
	}
	exp := strconv.FormatInt(c.now().Unix()+c.ttl, 10)
	q := qsl{query: u.query}
	var all, signed []qsPair
	for i := 0; ; { // as the verifier's collect, which the property tests check
		p, next, ok := q.next(i)
		if !ok {
			break
		}
		i = next
		all = append(all, p)
		if !c.excluded(q.str(p.name)) {
			signed = append(signed, p)
		}
	}
	n := len(all) + 2 // with sig and exp
	if c.requireKid {
		n++
	}
	if n > maxPysignedParams {
		return "", fmt.Errorf("signet: the signed URL would have %d query parameters, and verifiers read at most %d", n, maxPysignedParams)
	}
	msg := appendPysignedMessage(nil, exp, u, &q, signed) // u.path is the public path, any prefix included
	var sig string
	if s.alg == algHMACSHA512 {
		m, tag := s.key.sumMAC(crypto.SHA512, msg)
		sig = hex.EncodeToString(tag)
		s.key.returnMAC(crypto.SHA512, m)
	} else {
		raw, err := s.alg.sign(s.key, msg)
		if err != nil {
			return "", err
		}
		sig = hex.EncodeToString(raw)
	}
	query := q.appendPyURLEncode(nil, all)
	if len(all) > 0 {
		query = append(query, '&')
	}
	query = append(append(query, "sig="+sig+"&exp="...), exp...)
	if c.requireKid {
		query = appendQuotePlus(append(query, "&kid="...), c.keyID)
	}
	if n := pyTargetLen(u, query); n > maxPysignedTarget {
		return "", fmt.Errorf("signet: the signed URL's request-target would be %d bytes long, and verifiers read at most %d", n, maxPysignedTarget)
	}
	return string(query), nil
}

// checkPySignedHost refuses a netloc longer than verifiers read.
func checkPySignedHost(netloc string) error {
	if len(netloc) > maxPysignedHost {
		return fmt.Errorf("signet: the host is %d bytes long, and verifiers read at most %d", len(netloc), maxPysignedHost)
	}
	return nil
}

// pyTargetLen is the length of the request-target a client sends for u
// with the query query: the path ("/" when empty), ";" and the params if
// any, "?" and the query.
func pyTargetLen(u *pyURL, query []byte) int {
	n := max(len(u.path), 1) + len("?") + len(query)
	if u.params != "" {
		n += len(";") + len(u.params)
	}
	return n
}
