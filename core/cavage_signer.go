package signet

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// CavageSigner signs outgoing requests with Cavage HTTP Signatures, in the
// strict form both npm peers (http-signature, api-signature) accept: the
// Date header always signed (and set when missing), a SHA-256 Digest sent
// with every body and signed by default.
type CavageSigner struct {
	keyID           string
	key             *Key
	alg             *algorithm
	label           string   // the algorithm parameter sent
	headers         []string // nil: the default list
	signatureHeader bool
	expiresIn       time.Duration
	cfg             cavageConfig // dialect and clock for the signing string
}

// CavageSignerOption configures NewCavageSigner. WithClock and a
// CavageDialect are ones too.
type CavageSignerOption interface {
	applyCavageSigner(*CavageSigner) error
}

type cavageSignerOption func(*CavageSigner) error

func (o cavageSignerOption) applyCavageSigner(s *CavageSigner) error { return o(s) }

func (o Option) applyCavageSigner(s *CavageSigner) error {
	return o.applyTo(&s.cfg.settings, "cavage signer", "WithClock")
}

func (d CavageDialect) applyCavageSigner(s *CavageSigner) error { return d.applyCavage(&s.cfg) }

// CavageSignAlgorithm sets the algorithm parameter to send (default by key:
// hmac-sha256, rsa-sha256, ecdsa-sha256, or ed25519-sha512 as
// http-signature names Ed25519), in any case: it is sent lower-cased, as
// the drafts write labels (and api-signature reads them). hs2019 signs with
// the key type's hs2019 algorithm.
func CavageSignAlgorithm(name string) CavageSignerOption {
	return cavageSignerOption(func(s *CavageSigner) error {
		label := lowerASCII(name)
		if _, ok := cavageAlgorithm(label); !ok || label == "rsa-sha1" {
			return fmt.Errorf("signet: cannot sign with algorithm %q", name)
		}
		s.label = label
		return nil
	})
}

// CavageSignHeaders sets the headers to sign, in order, pseudo-headers
// included, lower-cased (header names are case-insensitive); date must be
// one of them, (created) and (expires) are in it exactly when
// CavageExpiresIn is given, and the header carrying the signature
// (authorization, or signature under CavageSignatureHeader) must not be,
// nor a connection header (connection, upgrade, …), which HTTP/2 never sends.
// The default is (request-target) host date, with (created) (expires) after
// (request-target) under CavageExpiresIn, and digest for a request with a
// body. An explicit list is signed as given: name digest in it to sign
// bodies.
func CavageSignHeaders(names ...string) CavageSignerOption {
	return cavageSignerOption(func(s *CavageSigner) error {
		headers, err := cavageHeaderNames("header", names)
		if err != nil {
			return err
		}
		for _, h := range headers {
			if err := checkSignable(h); err != nil {
				return err
			}
		}
		if !slices.Contains(headers, "date") {
			return errors.New("signet: the signed headers must include date, as both npm peers require")
		}
		s.headers = headers
		return nil
	})
}

// CavageSignatureHeader sends the signature in a Signature header instead
// of Authorization (api-signature reads Authorization only).
func CavageSignatureHeader() CavageSignerOption {
	return cavageSignerOption(func(s *CavageSigner) error { s.signatureHeader = true; return nil })
}

// CavageExpiresIn sends created and expires parameters, expires being
// created + d; only hs2019 and Ed25519 may sign them. An explicit
// CavageSignHeaders list must name (created) and (expires), as verifiers
// ignore the parameters otherwise.
func CavageExpiresIn(d time.Duration) CavageSignerOption {
	return cavageSignerOption(func(s *CavageSigner) error {
		if d < time.Second {
			return fmt.Errorf("signet: expiry %v is shorter than a second", d)
		}
		s.expiresIn = d
		return nil
	})
}

// NewCavageSigner returns a signer sending keyID, which must be ASCII (and
// without commas in the api-signature dialect), with signatures made by
// key, which must be an HMAC key or a private key.
func NewCavageSigner(keyID string, key *Key, opts ...CavageSignerOption) (*CavageSigner, error) {
	if keyID == "" || strings.ContainsAny(keyID, "\"\\\r\n") {
		return nil, fmt.Errorf("signet: key id %q cannot be sent", keyID)
	}
	if !isASCII(keyID) {
		return nil, fmt.Errorf("signet: key id %q is not ASCII, which the npm peers cannot read: they read headers as latin1", keyID)
	}
	if key == nil || (key.kind != hmacKey && key.signer == nil) {
		return nil, errors.New("signet: a Cavage signer needs an HMAC key or a private key")
	}
	if key.emptySecret() {
		return nil, errEmptySecret
	}
	s := &CavageSigner{keyID: keyID, key: key, cfg: cavageConfig{settings: defaultSettings()}}
	if err := applyOptions(opts, "CavageSignerOption", CavageSignerOption.applyCavageSigner, s); err != nil {
		return nil, err
	}
	if s.label == "" {
		s.label = defaultCavageLabel(key.kind)
	}
	if s.alg, _ = cavageAlgorithm(s.label); s.alg == nil {
		s.alg = hs2019Default(key.kind)
	}
	switch {
	case s.alg.kind != key.kind:
		return nil, errKeyKind(s.alg, key)
	case s.cfg.dialect == DialectAPISignature && (key.kind != hmacKey || s.label == "hs2019" || s.expiresIn > 0):
		return nil, errors.New("signet: the api-signature dialect signs with hmac-sha1, hmac-sha256 or hmac-sha512 only, without (created) or (expires)")
	case s.expiresIn > 0 && key.kind != ed25519Key && s.label != "hs2019":
		return nil, fmt.Errorf("signet: (created) and (expires) cannot be signed with %s: use hs2019", s.label)
	case s.cfg.dialect == DialectAPISignature && strings.Contains(keyID, ","):
		return nil, fmt.Errorf("signet: key id %q has a comma, at which the api-signature dialect splits parameters", keyID)
	case s.cfg.dialect == DialectAPISignature && s.signatureHeader:
		return nil, errors.New("signet: the api-signature dialect reads the signature from Authorization only: drop CavageSignatureHeader")
	}
	if s.headers != nil {
		created, expires := slices.Contains(s.headers, "(created)"), slices.Contains(s.headers, "(expires)")
		switch {
		case s.expiresIn > 0 && (!created || !expires):
			return nil, errors.New("signet: with CavageExpiresIn, CavageSignHeaders must list (created) and (expires): verifiers ignore created and expires parameters that are not signed")
		case s.expiresIn == 0 && (created || expires):
			return nil, errors.New("signet: CavageSignHeaders lists (created) or (expires), which only CavageExpiresIn sends: add it, or remove them")
		case slices.Contains(s.headers, s.signatureHeaderName()):
			return nil, fmt.Errorf("signet: CavageSignHeaders lists %s, the header Sign sends the signature in, overwriting the value it signed", s.signatureHeaderName())
		}
	}
	return s, nil
}

// signatureHeaderName is the lower-cased header the signature is sent in.
func (s *CavageSigner) signatureHeaderName() string {
	if s.signatureHeader {
		return "signature"
	}
	return "authorization"
}

// defaultCavageLabel is the algorithm parameter a signer sends for a key of
// kind k unless CavageSignAlgorithm says otherwise.
func defaultCavageLabel(k keyKind) string {
	switch k {
	case hmacKey:
		return "hmac-sha256"
	case rsaKey:
		return "rsa-sha256"
	case ecdsaP256Key:
		return "ecdsa-sha256"
	}
	return "ed25519-sha512"
}

// Sign sets Date (when missing), Digest (for a body) and the signature on r,
// an outgoing request the caller owns: signethttp.Transport clones first.
// In the draft dialect it refuses a request with an X-Date header unless
// x-date is signed, and several Cookie headers when cookie is. A signed
// Cookie is rewritten as HTTP/2 carries it, one header ("a=1;b=2" as
// "a=1; b=2"), so that it verifies over either protocol.
func (s *CavageSigner) Sign(r *http.Request) error {
	if r.URL == nil {
		return errNoURL
	}
	now := s.cfg.now()
	out := outgoing(r)
	if s.headers == nil || slices.Contains(s.headers, "host") {
		if err := checkSentHost(out.Host()); err != nil {
			return err
		}
	}
	if err := s.checkDraftPeers(r.Header); err != nil {
		return err
	}
	if err := checkSpellings(r.Header, func(c string) bool {
		return c == "Date" || c == "Digest" || c == "Authorization" || c == "Signature" ||
			slices.ContainsFunc(s.headers, func(h string) bool { return strings.EqualFold(h, c) })
	}); err != nil {
		return err
	}
	if c := r.Header["Cookie"]; len(c) > 0 && slices.Contains(s.headers, "cookie") {
		// the draft refused several above; api-signature joins them with "; "
		r.Header["Cookie"] = []string{cookieCrumbs(strings.Join(c, "; "))}
	}
	if r.Header == nil {
		r.Header = http.Header{}
	}
	if r.Header.Get("Date") == "" {
		r.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	}
	body, err := out.Body(0)
	if err != nil {
		return err
	}
	if len(body) > 0 || slices.Contains(s.headers, "digest") {
		r.Header.Set("Digest", digestHeader(body))
	}
	p := cavageParams{keyID: s.keyID, algorithm: s.label, hasHeaders: true}
	if s.expiresIn > 0 {
		p.created = strconv.FormatInt(now.Unix(), 10)
		p.expires = strconv.FormatInt(now.Add(s.expiresIn).Unix(), 10)
	}
	p.headers = s.headerList(len(body) > 0)
	p.plan = s.cfg.plan(p.headers)
	msg, _, err := s.cfg.appendSigningString(nil, out, &p)
	if err != nil {
		return signingError(err)
	}
	sig, err := s.alg.sign(s.key, msg)
	if err != nil {
		return err
	}
	p.signature = base64.StdEncoding.EncodeToString(sig)
	value := string(appendCavageParams(nil, p))
	if s.signatureHeader {
		r.Header.Set("Signature", value)
	} else {
		r.Header.Set("Authorization", "Signature "+value)
	}
	return nil
}

// cookieCrumbs is the Cookie value v as an HTTP/2 server reads it (RFC 9113
// §8.2.3): Go's client sends it as crumbs cut at each ';', dropping the
// spaces after it, which the server joins with "; ". Signed in this form, a
// Cookie verifies over HTTP/1.1 and HTTP/2 alike ("a=1;b=2" is sent as
// "a=1; b=2").
func cookieCrumbs(v string) string {
	if !strings.Contains(v, ";") {
		return v
	}
	var crumbs []string
	for {
		p := strings.IndexByte(v, ';')
		if p < 0 {
			break
		}
		crumbs = append(crumbs, v[:p])
		for p++; p < len(v) && v[p] == ' '; p++ {
		}
		v = v[p:]
	}
	if v != "" {
		crumbs = append(crumbs, v)
	}
	return strings.Join(crumbs, "; ")
}

// checkDraftPeers refuses, in the draft dialect, requests whose signature
// http-signature would reject: one with an X-Date header and x-date
// unsigned (it then requires x-date signed), and one with several Cookie
// headers and cookie signed (Node joins them with "; ", the draft ", ").
func (s *CavageSigner) checkDraftPeers(h http.Header) error {
	if s.cfg.dialect != DialectDraft {
		return nil
	}
	if len(h["X-Date"]) > 0 && !slices.Contains(s.headers, "x-date") {
		return errors.New(`signet: the request has an X-Date header, so http-signature requires x-date signed: add "x-date" to CavageSignHeaders, or remove the header`)
	}
	if len(h["Cookie"]) > 1 && slices.Contains(s.headers, "cookie") {
		return errors.New(`signet: the request has several Cookie headers, which http-signature joins with "; " where the draft signs ", ": send one Cookie header`)
	}
	return nil
}

// headerList is the headers= value for a request.
func (s *CavageSigner) headerList(hasBody bool) string {
	if s.headers != nil {
		return strings.Join(s.headers, " ")
	}
	names := "(request-target) host date"
	if s.expiresIn > 0 {
		names = "(request-target) (created) (expires) host date"
	}
	if hasBody {
		names += " digest"
	}
	return names
}
