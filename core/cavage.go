package signet

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Cavage verifies draft-cavage HTTP Signatures (drafts 09–12), from the
// Authorization header (scheme Signature) or the Signature header, or in the
// api-signature dialect of the npm middleware. See
// https://github.com/signet-go/signet/blob/main/docs/schemes/cavage.md.
type Cavage struct {
	pipeline
	cfg   *cavageConfig
	plans planCache[headerPlan]
}

// CavageDialect selects how a Cavage verifier or signer reads and builds
// signatures.
type CavageDialect int

const (
	// DialectDraft is draft-cavage-12 read strictly: the parameters parsed
	// as RFC 7235 allows, (request-target) with the query.
	DialectDraft CavageDialect = iota
	// DialectAPISignature is npm api-signature 0.2.11: Authorization only,
	// its parameter splitting, (request-target) without the query, HMAC
	// only, Date always signed and within a window that excludes its
	// bound, lenient base64. WithClockSkew(0) disables the Date window, as
	// its requestLifetime 0 does.
	DialectAPISignature
)

// DigestPolicy says what a Cavage verifier demands of the Digest header.
type DigestPolicy int

const (
	// DigestVerify checks a Digest header, signed or not, against the body.
	DigestVerify DigestPolicy = iota
	// DigestRequire also demands a signed Digest whenever the body is not
	// empty.
	DigestRequire
)

// CavageOption configures NewCavage. Every Option, and a CavageDialect
// (DialectAPISignature for the npm api-signature middleware), is one too.
type CavageOption interface {
	applyCavage(*cavageConfig) error
}

type cavageOption func(*cavageConfig) error

func (o cavageOption) applyCavage(c *cavageConfig) error { return o(c) }

func (o Option) applyCavage(c *cavageConfig) error {
	return o.applyTo(&c.settings, "cavage scheme", "WithClock", "WithClockSkew", "WithMaxAge",
		"WithAlgorithms", "WithMaxBodyBytes", "WithNonceStore")
}

func (d CavageDialect) applyCavage(c *cavageConfig) error {
	if d != DialectDraft && d != DialectAPISignature {
		return fmt.Errorf("signet: unknown Cavage dialect %d", d)
	}
	c.dialect = d
	return nil
}

// CavageRequiredHeaders sets the names every signature must cover, as
// written in headers= (pseudo-headers included, lower-cased). Date or
// (created) is always required as well, so that every signature is bound
// to a time; a (created) without (expires) or Date is valid for the clock
// skew, or WithMaxAge, after it. Called with no names, it requires nothing,
// not even a time, so a captured request stays valid forever: use that only
// for peers that cannot sign a time (WithMaxAge and WithNonceStore still
// refuse untimed signatures). The api-signature dialect always requires
// date.
func CavageRequiredHeaders(names ...string) CavageOption {
	return cavageOption(func(c *cavageConfig) error {
		required, err := cavageHeaderNames("required header", names)
		if err != nil {
			return err
		}
		c.required, c.untimed = required, len(required) == 0
		return nil
	})
}

// cavageHeaderNames returns names lower-cased, as headers= writes them
// (header names are case-insensitive), refusing what a verifier refuses
// (see cavageNames, maxCavageSignedNames). what names them in errors.
func cavageHeaderNames(what string, names []string) ([]string, error) {
	if len(names) > maxCavageSignedNames {
		return nil, fmt.Errorf("signet: %d %ss are more than the %d names verifiers accept in headers=", len(names), what, maxCavageSignedNames)
	}
	lowered, problem := cavageNames(names)
	if problem != "" {
		return nil, fmt.Errorf("signet: %s lists %s", what, problem)
	}
	return lowered, nil
}

// cavageNames checks the names of a headers= list: each a header name (an
// RFC 9110 token) or (request-target), (created) or (expires), in any case,
// and listed once. It returns them lower-cased, or what is wrong. Anything
// else would let a small request make a huge signing string (a copy of a
// header's value per listing) before any key is looked up, and signs
// nothing a valid list cannot.
func cavageNames(names []string) (lowered []string, problem string) {
	size := 0
	for _, n := range names {
		if !isToken(n) && !equalLower(n, "(request-target)") && !equalLower(n, "(created)") && !equalLower(n, "(expires)") {
			return nil, fmt.Sprintf("%.40q, which is neither a header name nor (request-target), (created) or (expires)", n)
		}
		size += len(n)
	}
	all := make([]byte, 0, size)
	for _, n := range names {
		all = appendLower(all, n)
	}
	rest := string(all) // cut into the names: as many allocations for 64 names as for 4
	lowered = make([]string, len(names))
	for i, n := range names {
		lowered[i], rest = rest[:len(n)], rest[len(n):]
	}
	sorted := slices.Clone(lowered)
	slices.Sort(sorted)
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] {
			return nil, sorted[i] + " twice"
		}
	}
	return lowered, ""
}

// CavageDigest sets the Digest policy (default DigestVerify).
func CavageDigest(p DigestPolicy) CavageOption {
	return cavageOption(func(c *cavageConfig) error {
		if p != DigestVerify && p != DigestRequire {
			return fmt.Errorf("signet: unknown digest policy %d", p)
		}
		c.digest = p
		return nil
	})
}

// CavageRealm sets the realm of the WWW-Authenticate challenge sent with 401
// answers (default "signet").
func CavageRealm(realm string) CavageOption {
	return cavageOption(func(c *cavageConfig) error {
		if strings.ContainsAny(realm, "\"\\\r\n") {
			return fmt.Errorf("signet: realm %q cannot be quoted", realm)
		}
		c.realm = realm
		return nil
	})
}

// CavagePathPrefix sets the path prefix a proxy in front of this server
// strips from request paths, as nginx's
// location /api/ { proxy_pass http://backend/; } does, or an API gateway
// routing /billing/* to this service as /*: the signature covers the public
// path, so (request-target) is verified as the method, a space, prefix and
// the request-target received (with its query in the draft dialect, without
// it in the api-signature dialect). A request received as /orders?id=1
// behind CavagePathPrefix("/api") verifies a signature over
// "get /api/orders?id=1".
//
// The prefix starts with '/' and is written as clients send it on the wire
// (the option's error says what it cannot hold: a query, a byte clients
// percent-encode, a dot segment); trailing '/' are dropped, so "" and "/"
// mean no prefix. Behind a prefix, a request-target that is not a path
// ("*", or in the draft dialect an absolute URL) is malformed_signature: no
// public path can be rebuilt from it.
//
// In-process routing, such as http.StripPrefix, needs no prefix: signet
// reads the raw request-target (http.Request.RequestURI), which it leaves
// as received. Nor does the CavageSigner take one: it signs the URL the
// client sends, the public one. The path beyond the prefix must arrive as
// sent: docs/proxies.md shows an nginx configuration that does not
// normalise it.
func CavagePathPrefix(prefix string) CavageOption {
	return cavageOption(func(c *cavageConfig) error {
		norm, err := normalizePathPrefix("CavagePathPrefix", prefix, true, "")
		if err != nil {
			return err
		}
		c.pathPrefix = norm
		return nil
	})
}

// cavageAlgorithm returns the algorithm a Cavage signature's algorithm
// name (lower-case) stands for; ok is false for an unknown name. hs2019
// resolves through the key: its algorithm is nil.
func cavageAlgorithm(name string) (alg *algorithm, ok bool) {
	switch name {
	case "hmac-sha1":
		return algHMACSHA1, true
	case "hmac-sha256":
		return algHMACSHA256, true
	case "hmac-sha512":
		return algHMACSHA512, true
	case "rsa-sha1":
		return algRSASHA1, true
	case "rsa-sha256":
		return algRSASHA256, true
	case "rsa-sha512":
		return algRSASHA512, true
	case "ecdsa-sha256":
		return algECDSASHA256, true
	case "ed25519", "ed25519-sha512": // http-signature's name for Ed25519
		return algEd25519, true
	case "hs2019":
		return nil, true
	}
	return nil, false
}

// defaultCavageAlgorithms is every name but rsa-sha1, which WithAlgorithms
// must name to be accepted.
var defaultCavageAlgorithms = []string{"hmac-sha1", "hmac-sha256", "hmac-sha512",
	"rsa-sha256", "rsa-sha512", "ecdsa-sha256", "ed25519", "ed25519-sha512", "hs2019"}

// DefaultCavageClockSkew is how far a signed Date may be from a Cavage
// verifier's clock, either way, and a (created) ahead of it, unless
// WithClockSkew says otherwise.
const DefaultCavageClockSkew = 5 * time.Minute

type cavageConfig struct {
	settings
	dialect    CavageDialect
	required   []string
	untimed    bool // CavageRequiredHeaders(): no time required
	digest     DigestPolicy
	realm      string
	challenge  string
	missing    *Error // the answer to a request without a signature, with the challenge
	pathPrefix string // what a proxy strips (CavagePathPrefix); "" for none
}

func newCavageConfig(opts []CavageOption) (*cavageConfig, error) {
	c := &cavageConfig{settings: defaultSettings(), realm: "signet"}
	c.clockSkew = DefaultCavageClockSkew
	if err := applyOptions(opts, "CavageOption", CavageOption.applyCavage, c); err != nil {
		return nil, err
	}
	if c.algorithms == nil {
		c.algorithms = defaultCavageAlgorithms
	}
	for _, name := range c.algorithms {
		if _, ok := cavageAlgorithm(name); !ok {
			return nil, fmt.Errorf("signet: unknown Cavage algorithm %q", name)
		}
	}
	// Date and (created) are whole seconds: under 1s, a request they date
	// verifies only within the very second it names. (0 turns the
	// api-signature dialect's Date window off.)
	if c.clockSkew < time.Second && (c.dialect == DialectDraft || c.clockSkew > 0) {
		return nil, fmt.Errorf("signet: WithClockSkew(%v): dates are whole seconds, so a skew under 1s refuses most requests; use 1s or more", c.clockSkew)
	}
	if c.dialect == DialectAPISignature {
		if !slices.Contains(c.required, "date") {
			c.required = append(slices.Clone(c.required), "date")
		}
		if c.clockSkew > 0 { // api-signature rejects |now - Date| >= lifetime
			c.clockSkew -= time.Nanosecond
		}
	}
	timed := slices.Contains(c.required, "date") || slices.Contains(c.required, "(created)")
	needed := len(c.required) // names every valid headers= list holds
	if !c.untimed && !timed {
		needed++ // and date or (created)
	}
	if needed > maxCavageSignedNames {
		return nil, fmt.Errorf("signet: the required headers with date or (created) make %d names, more than the %d a headers= list may have", needed, maxCavageSignedNames)
	}
	// The challenge asks for a list a client can sign as it is: the
	// required names, and date when they name no time (which is required
	// unless untimed, and what to sign when nothing at all is).
	asked := slices.Clone(c.required)
	if !timed {
		asked = append(asked, "date")
	}
	c.challenge = fmt.Sprintf(`Signature realm="%s",headers="%s"`, c.realm, strings.Join(asked, " "))
	c.missing = &Error{kind: ErrMissingSignature, challenge: c.challenge,
		message: `send the signature as Authorization: Signature keyId="…",… or in a Signature header`}
	if c.dialect == DialectAPISignature {
		c.missing.message = `send the signature as Authorization: Signature keyId="…",…`
	}
	return c, nil
}

// NewCavage returns a verifier of Cavage signatures whose keyId names keys
// in keys. WithClockSkew bounds how far a signed Date may be from the clock
// and a (created) ahead of it (default DefaultCavageClockSkew).
//
// By default, as in the draft and its peers, a signature need cover only
// date or (created), so it could be replayed to any route within the skew.
// Require what your clients sign (the CavageSigner's defaults):
//
//	NewCavage(keys, CavageRequiredHeaders("(request-target)", "host", "date"),
//		CavageDigest(DigestRequire))
func NewCavage(keys KeyStore, opts ...CavageOption) (*Cavage, error) {
	cfg, err := newCavageConfig(opts)
	if err != nil {
		return nil, err
	}
	p, err := newPipeline("NewCavage", SchemeCavage, keys, cfg.settings, keyChecks{
		known:  func(name string) bool { return isAlgorithmName(strings.ToLower(name)) }, // resolved in any case
		usable: pinnedKeyKinds(hmacKey, rsaKey, ecdsaP256Key, ed25519Key),
	})
	if err != nil {
		return nil, err
	}
	if !cfg.checksDate() && (cfg.maxAge > 0 || cfg.nonces != nil) {
		return nil, errors.New("signet: the api-signature dialect with WithClockSkew(0) checks no Date, so it cannot bound a signature's age: give WithMaxAge and WithNonceStore a positive clock skew")
	}
	return &Cavage{pipeline: p, cfg: cfg}, nil
}

// Verify checks the request's signature. A 401 carries the challenge of the
// draft: Signature realm="…",headers="…".
func (v *Cavage) Verify(ctx context.Context, r Request) (*Result, error) {
	return v.verifyTo(ctx, r, nil)
}

// VerifyInto is Verify into res (see IntoVerifier).
func (v *Cavage) VerifyInto(ctx context.Context, r Request, res *Result) error {
	_, err := v.verifyTo(ctx, r, res)
	return err
}

func (v *Cavage) verifyTo(ctx context.Context, r Request, into *Result) (*Result, error) {
	res, err := v.run(ctx, r, v, into)
	if e, ok := err.(*Error); ok && e.Status() == http.StatusUnauthorized && e.challenge != v.cfg.challenge {
		challenged := *e // a copy: e may be a key store's, shared by every request
		challenged.challenge = v.cfg.challenge
		return res, &challenged
	}
	return res, err
}

func (v *Cavage) parse(a *attempt) error {
	c := v.cfg
	raw, err := c.credentials(a.req)
	if err != nil {
		return err
	}
	p := &a.params
	if c.dialect == DialectAPISignature {
		*p, err = parseAPISignatureParams(raw)
	} else {
		*p = cavageParams{} // as reset leaves it, but parse relies on it
		err = p.parse(raw)
	}
	if err != nil {
		return err
	}
	if !p.hasHeaders || p.headers == "" {
		p.headers = c.defaultHeaders(p.algorithm)
	}
	if p.plan = v.plans.get(p.headers); p.plan == nil {
		if tooManyNames(p.headers) { // before anything is allocated for its plan
			return newError(ErrMalformed, "the headers parameter lists more than %d names", maxCavageSignedNames)
		}
		p.plan = c.plan(p.headers) // cached once a request verifies with it
	}
	if p.plan.malformed != "" {
		return newError(ErrMalformed, "%s", p.plan.malformed)
	}
	cov := p.plan.cov
	if err := c.checkParams(p, cov); err != nil {
		return err
	}
	a.keyID, a.signature = p.keyID, p.signature
	if a.sig, err = c.decodeSignature(a.sig[:0], p.signature); err != nil {
		return err
	}
	if err := paramTime(&a.created, "created", p.created, cov&coversCreated != 0); err != nil {
		return err
	}
	if err := paramTime(&a.expires, "expires", p.expires, cov&coversExpires != 0); err != nil {
		return err
	}
	if p.plan.uncovered != "" {
		return newError(ErrMissingHeader, "the signature must cover %s (headers=\"…\")", p.plan.uncovered)
	}
	if !c.untimed && cov&(coversDate|coversCreated) == 0 {
		return newError(ErrMissingHeader, "the signature must cover date or (created)")
	}
	var date []string
	if a.msg, date, err = c.appendSigningString(a.msg[:0], a.req, p); err != nil {
		return err
	}
	if cov&coversDate != 0 && c.checksDate() {
		if a.date, err = c.parseDate(date); err != nil {
			return err
		}
	}
	if a.expires.IsZero() && a.date.IsZero() && !a.created.IsZero() && c.maxAge == 0 {
		// Only (created) dates the signature: without a bound, a captured
		// request would verify forever.
		a.expires = a.created.Add(c.clockSkew)
	}
	return nil
}

// credentials returns the parameters of the request's signature header.
func (c *cavageConfig) credentials(r Request) (string, error) {
	auth := r.Header("Authorization")
	if len(auth) > 1 {
		return "", newError(ErrMalformed, "send one Authorization header")
	}
	if c.dialect == DialectAPISignature {
		if len(auth) == 0 || len(auth[0]) < 9 || !strings.EqualFold(auth[0][:9], "signature") {
			return "", c.missing
		}
		return checkLength(strings.TrimSpace(auth[0][9:]))
	}
	if len(auth) == 1 {
		if v := auth[0]; len(v) > 9 && v[9] == ' ' && (v[:9] == "Signature" || equalLower(v[:9], "signature")) { // the usual case
			return checkLength(v[10:])
		}
		scheme, params, _ := strings.Cut(auth[0], " ")
		// ſignature too, as before: folding to nine ASCII letters takes more than nine bytes otherwise
		if equalLower(scheme, "signature") || (len(scheme) > 9 && strings.EqualFold(scheme, "Signature")) {
			return checkLength(params)
		}
	}
	sig := r.Header("Signature")
	switch {
	case len(sig) > 1:
		return "", newError(ErrMalformed, "send one Signature header")
	case len(sig) == 0 || sig[0] == "":
		return "", c.missing
	}
	return checkLength(sig[0])
}

func checkLength(params string) (string, error) {
	if len(params) > maxCavageHeaderBytes {
		return "", newError(ErrMalformed, "the signature header is longer than %d bytes", maxCavageHeaderBytes)
	}
	return params, nil
}

// checkParams checks the mandatory parameters and the draft's rule that
// (created) and (expires) go with hs2019 or Ed25519 only.
func (c *cavageConfig) checkParams(p *cavageParams, cov coverage) error {
	var missing []string
	if p.keyID == "" {
		missing = append(missing, "keyId")
	}
	if p.algorithm == "" && c.dialect == DialectAPISignature {
		missing = append(missing, "algorithm")
	}
	if p.signature == "" {
		missing = append(missing, "signature")
	}
	if missing != nil {
		if len(missing) == 1 {
			return newError(ErrMalformed, "the signature lacks its %s parameter", missing[0])
		}
		return newError(ErrMalformed, "the signature lacks its %s parameters", strings.Join(missing, ", "))
	}
	if c.dialect == DialectDraft && cov&(coversCreated|coversExpires) != 0 {
		alg := strings.ToLower(p.algorithm)
		for _, legacy := range []string{"rsa", "hmac", "ecdsa"} {
			if strings.HasPrefix(alg, legacy) {
				return newError(ErrMalformed, "(created) and (expires) cannot be signed with %.40q: use hs2019", p.algorithm)
			}
		}
	}
	return nil
}

// decodeSignature decodes the signature parameter: padded standard base64
// in the draft, anything Node's decoder takes in api-signature.
func (c *cavageConfig) decodeSignature(dst []byte, s string) ([]byte, error) {
	var err error
	if c.dialect == DialectAPISignature {
		dst, err = appendNodeBase64(dst, s), nil
	} else {
		dst, err = appendBase64(dst, s)
	}
	if err != nil || len(dst) == 0 {
		return dst, newError(ErrMalformed, "the signature parameter must be standard base64")
	}
	return dst, nil
}

// paramTime parses a created or expires parameter (unix seconds) into t
// when the signature covers it. One it does not cover is checked for form
// but never used: anyone could change it, and with it the signature's
// validity window and how long a nonce store remembers the request.
func paramTime(t *time.Time, name, value string, signed bool) error {
	if value == "" {
		return nil
	}
	n, ok := parseUnixSeconds(value)
	if !ok {
		return newError(ErrMalformed, "the %s parameter must be unix seconds", name)
	}
	if signed {
		*t = time.Unix(n, 0)
	}
	return nil
}

// defaultHeaders is what a signature without headers= covers.
func (c *cavageConfig) defaultHeaders(algorithm string) string {
	if c.dialect == DialectDraft && (algorithm == "" || strings.EqualFold(algorithm, "hs2019")) {
		return "(created)"
	}
	return "date"
}

// checksDate reports whether a signed Date is held to the clock skew.
func (c *cavageConfig) checksDate() bool {
	return c.dialect == DialectDraft || c.clockSkew > 0
}

// parseDate parses a signed Date header: an HTTP date, and in the
// api-signature dialect RFC 3339 too (as JavaScript's Date.parse).
func (c *cavageConfig) parseDate(values []string) (time.Time, error) {
	if len(values) == 1 {
		if t, ok := parseIMFFixdate(values[0]); ok {
			return t, nil
		}
		t, err := http.ParseTime(values[0])
		if err != nil && c.dialect == DialectAPISignature {
			t, err = time.Parse(time.RFC3339Nano, values[0])
		}
		if err == nil && t.Unix() < 0 { // year 1 would read as no Date at all
			return time.Time{}, newError(ErrExpired, "the Date header is before 1970; send the current time, e.g. %s", http.TimeFormat)
		}
		if err == nil {
			return t, nil
		}
	}
	return time.Time{}, newError(ErrMalformed, "send one Date header as an HTTP date, e.g. %s", http.TimeFormat)
}

// coverage flags the names of a headers= list that verification treats
// specially.
type coverage uint8

const (
	coversDate coverage = 1 << iota
	coversCreated
	coversExpires
	coversDigest
)

// coverageOf scans a headers= list once.
func coverageOf(list string) (c coverage) {
	for list != "" {
		var name string
		name, list = nextName(list)
		switch {
		case equalLower(name, "date"):
			c |= coversDate
		case equalLower(name, "(created)"):
			c |= coversCreated
		case equalLower(name, "(expires)"):
			c |= coversExpires
		case equalLower(name, "digest"):
			c |= coversDigest
		}
	}
	return c
}

// cutName splits the first name off a headers= list, whose names are
// separated by single spaces.
func cutName(list string) (name, rest string) {
	if i := strings.IndexByte(list, ' '); i >= 0 {
		return list[:i], list[i+1:]
	}
	return list, ""
}

// nextName cuts the first name off a headers= list as cutName does,
// skipping empty names (two spaces in a row, which the draft reads
// leniently) in one pass: a list of thousands of spaces costs one scan.
func nextName(list string) (name, rest string) {
	return cutName(strings.TrimLeft(list, " "))
}

// tooManyNames reports whether the headers= list names more than
// maxCavageSignedNames, counted as plan splits them: the words between
// single spaces, empty ones (two spaces in a row) skipped.
func tooManyNames(list string) bool {
	n := 0
	for list != "" {
		var name string
		if name, list = nextName(list); name != "" {
			if n++; n > maxCavageSignedNames {
				return true
			}
		}
	}
	return false
}

// covers reports whether the headers= list names name (case-insensitive).
func covers(list, name string) bool {
	for list != "" {
		var n string
		n, list = nextName(list)
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

// headerPlan is what a headers= list asks of a request, worked out once:
// the lines of the signing string, what it covers, and the Result.Covered
// list. It depends on the list and the configuration only.
type headerPlan struct {
	list      string // a copy of the headers= value
	lines     []signedLine
	cov       coverage
	uncovered string   // the first required name the list leaves out
	covered   []string // Result.Covered
	malformed string   // why the list is refused (see cavageNames), or ""
}

// signedLine is one line of a signing string: prefix ("\n" but on the
// first line, the lower-cased name and ": ") and where its value comes from.
type signedLine struct {
	kind      signedName
	name      string // as written
	prefix    string
	canonical string // the header's canonical name, for nameHeader
}

// plan works out the headers= list for c. Its allocations do not grow with
// the list's names (a list not yet cached is planned before any key is
// looked up): the prefixes and canonical names share one string each.
func (c *cavageConfig) plan(list string) *headerPlan {
	list = strings.Clone(list) // it outlives the request when cached
	pl := &headerPlan{list: list, cov: coverageOf(list)}
	// The names as the lines below split them, and their bytes.
	names := make([]string, 0, min(strings.Count(list, " ")+1, maxCavageSignedNames))
	size := 0
	for rest := list; rest != ""; {
		var name string
		if name, rest = nextName(rest); name != "" {
			names = append(names, name)
			size += len(name)
		}
	}
	lowered, problem := cavageNames(names)
	if problem != "" {
		pl.malformed = "the headers parameter lists " + problem
		return pl
	}
	pl.covered = lowered
	for _, name := range c.required {
		if !covers(list, name) {
			pl.uncovered = name
			break
		}
	}
	// The lines, then their prefixes ("\n" but on the first line, the
	// lower-cased name and ": ") and canonical header names, each cut from
	// one string.
	pl.lines = make([]signedLine, 0, len(names)+1)
	prefixes := make([]byte, 0, size+3*len(names)) // each name, its ": " and a "\n"
	canonicals := make([]byte, 0, size)
	for rest := list; rest != ""; {
		var name string
		name, rest = cutName(rest)
		if name == "" {
			if c.dialect == DialectAPISignature {
				pl.lines = append(pl.lines, signedLine{kind: nameEmpty})
				break // the signing string stops at it: no line after it is ever built
			}
			rest = strings.TrimLeft(rest, " ") // the draft separates names by one space; be lenient
			continue
		}
		if len(pl.lines) > 0 {
			prefixes = append(prefixes, '\n')
		}
		start := len(prefixes)
		prefixes = append(appendLower(prefixes, name), ": "...)
		lowerName := prefixes[start : len(prefixes)-2]
		l := signedLine{kind: signedNameOf(lowerName), name: name}
		if c.dialect == DialectAPISignature && (l.kind == nameCreated || l.kind == nameExpires) {
			l.kind = nameHeader // api-signature knows no such pseudo-headers
		}
		if l.kind == nameHeader {
			if l.canonical = commonCanonical(lowerName); l.canonical == "" {
				canonicals = appendCanonicalKey(canonicals, lowerName)
			}
		}
		pl.lines = append(pl.lines, l)
	}
	allPrefixes, allCanonicals := string(prefixes), string(canonicals)
	for i := range pl.lines {
		l := &pl.lines[i]
		if l.kind == nameEmpty {
			break
		}
		n := len(l.name) + len(": ")
		if i > 0 {
			n++
		}
		l.prefix, allPrefixes = allPrefixes[:n], allPrefixes[n:]
		if l.kind == nameHeader && l.canonical == "" {
			l.canonical, allCanonicals = allCanonicals[:len(l.name)], allCanonicals[len(l.name):]
		}
	}
	return pl
}

// appendCanonicalKey appends the canonical form of the header name lowered,
// a lower-cased token, as textproto.CanonicalMIMEHeaderKey gives it: its
// first letter and every letter after a '-' upper-cased.
func appendCanonicalKey(dst, lowered []byte) []byte {
	start := len(dst)
	dst = append(dst, lowered...)
	for i := start; i < len(dst); i++ {
		if i == start || dst[i-1] == '-' {
			dst[i] = upper(dst[i])
		}
	}
	return dst
}

// appendSigningString appends the signing string p.plan describes: one
// "name: value" line per name, lower-cased, joined by "\n". It also returns
// the values of a signed Date header.
func (c *cavageConfig) appendSigningString(dst []byte, r Request, p *cavageParams) (_ []byte, date []string, err error) {
	lines := p.plan.lines // not reloaded through p after every append
	for i := range lines {
		l := &lines[i]
		dst = append(dst, l.prefix...)
		switch l.kind {
		case nameEmpty:
			return nil, nil, newError(ErrMissingHeader, "the headers parameter names an empty header")
		case nameRequestTarget:
			dst, err = c.appendRequestTarget(dst, r)
		case nameCreated:
			dst, err = appendParam(dst, "created", p.created)
		case nameExpires:
			dst, err = appendParam(dst, "expires", p.expires)
		case nameHost:
			if r.Host() == "" {
				return nil, nil, newError(ErrMissingHeader, "the signed header host is missing")
			}
			dst = append(dst, r.Host()...)
		case nameDate:
			date = r.Header("Date")
			dst, err = c.appendValues(dst, date, l.name)
		default:
			dst, err = c.appendValues(dst, r.Header(l.canonical), l.name)
		}
		if err != nil {
			return nil, nil, err
		}
	}
	return dst, date, nil
}

// signedName is a name of a headers= list that the signing string or the
// verifier treats specially.
type signedName uint8

const (
	nameHeader signedName = iota // any other header
	nameRequestTarget
	nameCreated
	nameExpires
	nameHost
	nameDate
	nameEmpty // an empty name, which api-signature rejects
)

// signedNameOf classifies a name of a headers= list (ASCII: see
// cavageNames), given it lower-cased.
func signedNameOf(lowered []byte) signedName {
	switch string(lowered) {
	case "(request-target)":
		return nameRequestTarget
	case "(created)":
		return nameCreated
	case "(expires)":
		return nameExpires
	case "host":
		return nameHost
	case "date":
		return nameDate
	}
	return nameHeader
}

// appendLower appends s with ASCII letters lower-cased.
func appendLower(dst []byte, s string) []byte {
	start := len(dst)
	dst = append(dst, s...)
	for i := start; i < len(dst); i++ {
		if 'A' <= dst[i] && dst[i] <= 'Z' {
			dst[i] += 'a' - 'A'
		}
	}
	return dst
}

func appendParam(dst []byte, name, value string) ([]byte, error) {
	if value == "" {
		return nil, newError(ErrMalformed, "(%s) is signed but the %s parameter is missing", name, name)
	}
	return append(dst, value...), nil
}

// appendRequestTarget appends the lower-cased method and the raw
// request-target: with the query in the draft, the path only in
// api-signature; behind CavagePathPrefix, after the prefix, which needs the
// target to be a path.
func (c *cavageConfig) appendRequestTarget(dst []byte, r Request) ([]byte, error) {
	switch m := r.Method(); m { // the usual methods, without a loop
	case "GET":
		dst = append(dst, "get "...)
	case "POST":
		dst = append(dst, "post "...)
	case "PUT":
		dst = append(dst, "put "...)
	case "DELETE":
		dst = append(dst, "delete "...)
	default:
		dst = append(appendLower(dst, m), ' ')
	}
	target := r.RequestURI()
	if c.dialect == DialectAPISignature {
		target, _ = splitTarget(r)
	}
	if c.pathPrefix != "" {
		if target == "" || target[0] != '/' {
			return nil, errNotAPath("CavagePathPrefix", target)
		}
		dst = append(dst, c.pathPrefix...)
	}
	return append(dst, target...), nil
}

// appendValues appends the values of the signed header name, trimmed and
// joined with ", " (Node's rules in the api-signature dialect), obsolete
// line folding replaced by a space.
func (c *cavageConfig) appendValues(dst []byte, values []string, name string) ([]byte, error) {
	if len(values) == 1 && c.dialect == DialectDraft { // the usual case: appendJoined of one value
		return appendUnfolded(dst, trimOWS(values[0])), nil
	}
	if c.dialect == DialectAPISignature && len(values) > 0 {
		sep := ", "
		switch {
		case nodeSingletons[strings.ToLower(name)]:
			values = values[:1]
		case strings.EqualFold(name, "cookie"):
			sep = "; "
		}
		if values[0] == "" && len(values) == 1 {
			return nil, newError(ErrMissingHeader, "the signed header %s is empty", strings.ToLower(name))
		}
		// Node reads header bytes as latin1 and signs their UTF-8 encoding.
		start := len(dst)
		dst = appendJoined(dst, values, sep)
		return appendLatin1AsUTF8(dst, start), nil
	}
	if len(values) == 0 {
		return nil, newError(ErrMissingHeader, "the signed header %s is missing", strings.ToLower(name))
	}
	return appendJoined(dst, values, ", "), nil
}

func appendJoined(dst []byte, values []string, sep string) []byte {
	for i, v := range values {
		if i > 0 {
			dst = append(dst, sep...)
		}
		dst = appendUnfolded(dst, trimOWS(v))
	}
	return dst
}

// appendLatin1AsUTF8 re-encodes dst[start:], read as latin1, in UTF-8.
func appendLatin1AsUTF8(dst []byte, start int) []byte {
	for i := start; i < len(dst); i++ {
		if dst[i] >= 0x80 {
			latin1 := string(dst[start:])
			dst = dst[:start]
			for j := 0; j < len(latin1); j++ {
				dst = utf8.AppendRune(dst, rune(latin1[j]))
			}
			return dst
		}
	}
	return dst
}

// appendUnfolded appends v with every obsolete line fold (CRLF or LF
// followed by spaces or tabs) replaced by one space.
func appendUnfolded(dst []byte, v string) []byte {
	if strings.IndexByte(v, '\n') < 0 {
		return append(dst, v...)
	}
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '\r' && i+1 < len(v) && v[i+1] == '\n':
			continue
		case c == '\n':
			for i+1 < len(v) && (v[i+1] == ' ' || v[i+1] == '\t') {
				i++
			}
			dst = append(dst, ' ')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// nodeSingletons are the headers whose repeats Node drops (first wins).
var nodeSingletons = map[string]bool{
	"host": true, "authorization": true, "content-type": true, "content-length": true,
	"user-agent": true, "referer": true, "if-modified-since": true, "if-unmodified-since": true,
	"from": true, "location": true, "max-forwards": true, "retry-after": true, "etag": true,
	"last-modified": true, "server": true, "age": true, "expires": true, "proxy-authorization": true,
}

// commonCanonical returns the canonical form of the header names
// signatures usually cover, given lower-cased, or "" for other names.
func commonCanonical(lowered []byte) string {
	switch string(lowered) {
	case "date":
		return "Date"
	case "digest":
		return "Digest"
	case "content-type":
		return "Content-Type"
	case "content-length":
		return "Content-Length"
	case "x-date":
		return "X-Date"
	case "user-agent":
		return "User-Agent"
	case "content-md5":
		return "Content-Md5"
	case "accept":
		return "Accept"
	case "x-request-id":
		return "X-Request-Id"
	case "cookie":
		return "Cookie"
	case "authorization":
		return "Authorization"
	}
	return ""
}

func (v *Cavage) check(a *attempt, s *Secret) error {
	alg, err := v.cfg.resolve(a.params.algorithm, s)
	if err != nil {
		return err
	}
	a.alg, a.algorithm = alg, alg.name
	return nil
}

// resolve chooses the algorithm that verifies a signature labelled
// headerAlg with s: from the key, never from the label alone. The label must
// be allowed, known, and agree with the key's type and pinned algorithm;
// hs2019 or no label means the key's pinned algorithm or its type's default.
func (c *cavageConfig) resolve(headerAlg string, s *Secret) (*algorithm, error) {
	label := headerAlg
	alg, known := cavageAlgorithm(label) // what label stands for, once it is final
	if !known {
		label = strings.ToLower(headerAlg)
		alg, _ = cavageAlgorithm(label)
	}
	if c.dialect == DialectAPISignature {
		label = headerAlg // case-sensitive, HMAC only
		if label != "hmac-sha1" && label != "hmac-sha256" && label != "hmac-sha512" {
			return nil, newError(ErrUnsupportedAlgorithm, "use hmac-sha256, hmac-sha1 or hmac-sha512")
		}
		alg, _ = cavageAlgorithm(label)
	}
	allowedAs := label
	if allowedAs == "" {
		allowedAs = "hs2019"
	}
	if !slices.Contains(c.algorithms, allowedAs) {
		return nil, newError(ErrUnsupportedAlgorithm, "algorithm %.40q is not accepted here; use one of %s",
			headerAlg, strings.Join(c.algorithms, ", "))
	}
	k := s.Key
	var pinned *algorithm
	if s.Algorithm != "" {
		var ok bool
		if pinned, ok = cavageAlgorithm(s.Algorithm); !ok {
			pinned, ok = cavageAlgorithm(strings.ToLower(s.Algorithm))
		}
		if !ok { // the store's fault: answered as such (see storeFault)
			return nil, newError(ErrUnsupportedAlgorithm, "the key is pinned to an unknown algorithm")
		}
	}
	switch {
	case alg == nil && pinned != nil: // hs2019 or none: the pinned algorithm
		alg = pinned
	case alg == nil: // unpinned: the key type's hs2019 default
		alg = hs2019Default(k.kind)
	case pinned != nil && pinned != alg:
		return nil, newError(ErrUnsupportedAlgorithm, "the key is pinned to another algorithm than %s", headerAlg)
	}
	if alg.kind != k.kind {
		return nil, newError(ErrUnsupportedAlgorithm, "algorithm %s does not match the key registered for this keyId", headerAlg)
	}
	if alg != pinned || c.allows(alg) { // a pin never smuggles in an algorithm the allow-list leaves out
		return alg, nil
	}
	return nil, newError(ErrUnsupportedAlgorithm, "the key is pinned to an algorithm that is not accepted here")
}

// allows reports whether some allowed label names alg (or, for hs2019-only
// algorithms, whether hs2019 is allowed).
func (c *cavageConfig) allows(alg *algorithm) bool {
	for _, label := range c.algorithms {
		if a, _ := cavageAlgorithm(label); a == alg || (a == nil && alg == hs2019Default(alg.kind)) {
			return true
		}
	}
	return false
}

// hs2019Default is what hs2019 means for an unpinned key of kind k:
// HMAC-SHA512, RSASSA-PSS with SHA-512, ECDSA P-256 with SHA-256, Ed25519.
func hs2019Default(k keyKind) *algorithm {
	switch k {
	case hmacKey:
		return algHMACSHA512
	case rsaKey:
		return algRSAPSSSHA512
	case ecdsaP256Key:
		return algECDSASHA256
	}
	return algEd25519
}

func (v *Cavage) verify(a *attempt, s *Secret) (bool, error) {
	ok := a.verify(s.Key, a.msg)
	if ok {
		v.plans.add(a.params.plan.list, a.params.plan)
		a.covered = a.params.plan.covered
	}
	return ok, nil
}

func (v *Cavage) checkBody(a *attempt) error {
	digests := a.req.Header("Digest")
	if len(digests) == 0 {
		if v.cfg.digest == DigestRequire {
			body, err := a.req.Body(v.maxBodyBytes)
			if err != nil {
				return err
			}
			if len(body) > 0 {
				return newError(ErrMissingHeader, "a request with a body must sign a Digest header")
			}
		}
		return nil
	}
	if v.cfg.digest == DigestRequire && a.params.plan.cov&coversDigest == 0 {
		return newError(ErrMissingHeader, "the Digest header must be signed")
	}
	body, err := a.req.Body(v.maxBodyBytes)
	if err != nil {
		return err
	}
	return checkDigest(digests, body)
}
