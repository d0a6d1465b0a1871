package signet

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Signway verifies Signway signed URLs (SW1-HMAC-SHA256) byte for byte as
// the Signway gateway (github.com/gabotechs/signway) does: the eight X-Sw-*
// query parameters, the canonical query rebuilt from their parsed values
// (X-Sw-Proxy normalised as a WHATWG URL), the signed headers, the signed
// body, and the date-scoped signing key. See
// https://github.com/signet-go/signet/blob/main/docs/schemes/signway.md.
//
// The Result's Details is a *SignwayDetails: the upstream URL to forward to
// and the signed headers.
type Signway struct {
	pipeline
	cfg   *signwayConfig
	plans planCache[signwayPlan] // of the X-Sw-SignedHeaders values of verified requests
}

// SignwayDetails is Result.Details for the signway scheme: what a gateway
// needs to forward a verified request. Everything in it was covered by the
// signature.
type SignwayDetails struct {
	// Proxy is the X-Sw-Proxy URL as it was signed: the WHATWG
	// serialisation of the value sent (e.g. https://github.com/ for
	// https://github.com), fragment included.
	Proxy string
	// SignedHeaders are the signed headers in X-Sw-SignedHeaders order,
	// names lower-cased and listed once, each with its first value as
	// received, trimmed: the values that were verified.
	SignedHeaders []SignwayHeader
	// BodySigned reports X-Sw-Body=true: the body the handler reads is the
	// one that was signed. When false, the body is not covered.
	BodySigned bool
}

// UpstreamURL returns Proxy parsed by net/url, without its fragment, which
// a gateway does not forward (Signway drops it too).
func (d *SignwayDetails) UpstreamURL() (*url.URL, error) {
	u, err := url.Parse(d.Proxy)
	if err != nil {
		return nil, err
	}
	u.Fragment, u.RawFragment = "", ""
	return u, nil
}

// SignwayHeader is a header name and value.
type SignwayHeader struct {
	Name, Value string
}

// SignwayOption configures NewSignway. WithClock, WithClockSkew, WithMaxAge,
// WithMaxBodyBytes and WithNonceStore are ones too.
type SignwayOption interface {
	applySignway(*signwayConfig) error
}

type signwayOption func(*signwayConfig) error

func (o signwayOption) applySignway(c *signwayConfig) error { return o(c) }

func (o Option) applySignway(c *signwayConfig) error {
	return o.applyTo(&c.settings, "signway scheme", "WithClock", "WithClockSkew", "WithMaxAge",
		"WithMaxBodyBytes", "WithNonceStore")
}

// SignwayStrict rejects the altered URLs that Signway accepts because it
// rebuilds the canonical query from parsed values: every X-Sw-* parameter
// must appear exactly once and no other parameter may be present;
// X-Sw-Algorithm must be SW1-HMAC-SHA256; X-Sw-Credential must be
// <id>/<the X-Sw-Date day>; X-Sw-Expires a plain decimal; X-Sw-Body true or
// false; X-Sw-SignedHeaders lower-case names, each once; and X-Sw-Proxy
// already in WHATWG normal form; and the request path, which a Signway URL
// does not sign, one of paths (default "/", where Signway's gateway serves
// them), so that a URL cannot be replayed against another route. URLs made
// by Signway's Rust signer, its JS SDK and SignwaySigner pass; the Python
// SDK's pass when its proxy URL was normalised.
func SignwayStrict(paths ...string) SignwayOption {
	return signwayOption(func(c *signwayConfig) error {
		for _, p := range paths {
			if !strings.HasPrefix(p, "/") {
				return fmt.Errorf("signet: SignwayStrict path %q must start with /", p)
			}
		}
		if len(paths) == 0 {
			paths = []string{"/"}
		}
		c.strict, c.paths = true, slices.Clone(paths)
		return nil
	})
}

// signwayAlgorithm is the only algorithm: X-Sw-Algorithm, Result.Algorithm,
// and the prefix of the key derivation.
const signwayAlgorithm = "SW1-HMAC-SHA256"

// DefaultSignwayClockSkew is how far X-Sw-Date may be ahead of a Signway
// verifier's clock unless WithClockSkew says otherwise.
const DefaultSignwayClockSkew = 5 * time.Minute

// maxSignwayHeaders bounds the signed headers of one URL,
// maxSignwayHeadersList the length of their list as sent, and
// maxSignwayTarget the request-target of a signed URL, as the other signed
// URLs' (Signway reads any length).
const (
	maxSignwayHeaders     = 64
	maxSignwayHeadersList = 16 << 10
	maxSignwayTarget      = 16 << 10
)

type signwayConfig struct {
	settings
	strict bool
	paths  []string // where SignwayStrict accepts signed URLs
}

// NewSignway returns a verifier of Signway signed URLs whose X-Sw-Credential
// id names keys in keys (HMAC secrets). WithClockSkew bounds how far
// X-Sw-Date may be ahead of the clock (default DefaultSignwayClockSkew).
func NewSignway(keys KeyStore, opts ...SignwayOption) (*Signway, error) {
	c := &signwayConfig{settings: defaultSettings()}
	c.clockSkew = DefaultSignwayClockSkew
	if err := applyOptions(opts, "SignwayOption", SignwayOption.applySignway, c); err != nil {
		return nil, err
	}
	p, err := newPipeline("NewSignway", SchemeSignway, keys, c.settings, keyChecks{
		known:  func(name string) bool { return strings.EqualFold(name, signwayAlgorithm) || isAlgorithmName(name) },
		usable: pinnedKeyKinds(hmacKey),
	})
	if err != nil {
		return nil, err
	}
	return &Signway{pipeline: p, cfg: c}, nil
}

// Verify checks the request's signed URL.
func (v *Signway) Verify(ctx context.Context, r Request) (*Result, error) {
	return v.verifyTo(ctx, r, nil)
}

// VerifyInto is Verify into res (see IntoVerifier).
func (v *Signway) VerifyInto(ctx context.Context, r Request, res *Result) error {
	_, err := v.verifyTo(ctx, r, res)
	return err
}

func (v *Signway) verifyTo(ctx context.Context, r Request, into *Result) (*Result, error) {
	st := signwayStates.Get().(*signwayState)
	st.v = v
	res, err := v.run(ctx, r, st, into)
	st.release()
	return res, err
}

// signwayFields are the signed values of one URL, in the form both the
// verifier (from the parsed query) and the signer (from its inputs) build
// the canonical request from.
type signwayFields struct {
	id      string
	date    string // YYYYMMDDTHHMMSSZ, validated
	expires uint32
	proxy   string // WHATWG-normalised
	// proxyQuery is proxy as the canonical query encodes it, when the URL
	// sent it so (see appendCanonicalDecoded); else empty.
	proxyQuery string
	plan       *signwayPlan
	headers    []SignwayHeader // plan.names with their values
	body       bool            // X-Sw-Body=true
}

// signwayState is the per-request state of a Signway verification, pooled.
// It is the scheme the pipeline runs.
type signwayState struct {
	signwayFields
	v        *Signway
	query    signwayQuery
	scratch  []byte            // decoded values, the normalised proxy URL, header names
	sig      [sha256.Size]byte // X-Sw-Signature, decoded
	mac      [sha256.Size]byte
	sts      [signwayStringToSignLen]byte
	prepared bool
}

var signwayStates = sync.Pool{New: func() any { return new(signwayState) }}

// release resets st (its fixed-size buffers are overwritten before they
// are read, so they are left as they are) and returns it to the pool.
func (st *signwayState) release() {
	clear(st.headers) // do not pin the request's memory
	st.signwayFields = signwayFields{headers: st.headers[:0]}
	st.query = signwayQuery{}
	st.v, st.scratch, st.prepared = nil, reusable(st.scratch), false
	signwayStates.Put(st)
}

// The answers to a request without a Signway signature: shared, as no
// request changes them.
var (
	errSignwayNoSignature = newError(ErrMissingSignature, "the signed URL has no X-Sw-Signature")
	errSignwayMissing     = newError(ErrMissingSignature, "send a Signway signed URL (the X-Sw-* query parameters)")
)

func (st *signwayState) parse(a *attempt) error {
	if len(a.req.RequestURI()) > maxSignwayTarget { // before anything is scanned, normalised or hashed
		return newError(ErrMalformed, "the URL is longer than the %d bytes this server verifies", maxSignwayTarget)
	}
	strict := st.v.cfg.strict
	q := &st.query
	path, query := splitTarget(a.req)
	q.scan(query)
	if q.raw[swSignature] == "" {
		for _, n := range q.count {
			if n > 0 {
				return errSignwayNoSignature
			}
		}
		return errSignwayMissing
	}
	if strict {
		for i, n := range q.count {
			if n > 1 {
				return newError(ErrMalformed, "%s appears more than once in the URL", signwayParamNames[i])
			}
		}
		if q.other {
			return newError(ErrMalformed, "the signed URL has parameters other than X-Sw-*, which the signature does not cover")
		}
		if !slices.Contains(st.v.cfg.paths, path) {
			return newError(ErrMalformed, "signed URLs are served at %s here, not at %.64q (the signature does not cover the path)", strings.Join(st.v.cfg.paths, ", "), path)
		}
	}
	// A signature (or, below, a date) that reads as it came has nothing to
	// decode: hex digits, or digits, T and Z, are their own form decoding.
	if sig := q.raw[swSignature]; len(sig) != 2*len(st.sig) || !decodeLowerHex(st.sig[:], sig) {
		if sig = st.decoded(swSignature); len(sig) != 2*len(st.sig) || !decodeLowerHex(st.sig[:], sig) {
			return newError(ErrMalformed, "X-Sw-Signature must be 64 lower-case hex digits")
		}
	}

	for _, i := range [...]int{swAlgorithm, swDate, swExpires, swSignedHeaders, swProxy, swCredential, swBody} {
		if q.count[i] == 0 {
			return newError(ErrMalformed, "the signed URL lacks %s", signwayParamNames[i])
		}
	}
	if strict && st.decoded(swAlgorithm) != signwayAlgorithm {
		return newError(ErrUnsupportedAlgorithm, "X-Sw-Algorithm must be %s", signwayAlgorithm)
	}
	st.date = q.raw[swDate]
	date, ok := parseSignwayDate(st.date)
	if !ok {
		st.date = st.decoded(swDate)
		if date, ok = parseSignwayDate(st.date); !ok {
			return newError(ErrMalformed, "X-Sw-Date must be a UTC time written YYYYMMDDTHHMMSSZ")
		}
	}
	expires := st.decoded(swExpires)
	if st.expires, ok = parseU32(expires); !ok {
		return newError(ErrMalformed, "X-Sw-Expires must be a whole number of seconds up to 4294967295")
	}
	if strict && (expires[0] == '+' || len(expires) > 1 && expires[0] == '0') {
		return newError(ErrMalformed, "X-Sw-Expires must be written without a sign or leading zeros")
	}
	if err := st.parseSignedHeaders(a.req); err != nil {
		return err
	}
	if err := st.parseProxy(); err != nil {
		return err
	}
	credential := st.decoded(swCredential)
	id, rest, _ := strings.Cut(credential, "/")
	if id == "" {
		return newError(ErrMalformed, "X-Sw-Credential must be <id>/<YYYYMMDD>")
	}
	if strict && rest != st.date[:8] {
		return newError(ErrMalformed, "X-Sw-Credential must be <id>/%s, the day of X-Sw-Date", st.date[:8])
	}
	st.id = id
	body := st.decoded(swBody)
	if strict && body != "true" && body != "false" {
		return newError(ErrMalformed, "X-Sw-Body must be true or false")
	}
	st.body = body == "true"

	a.keyID, a.algorithm = st.id, signwayAlgorithm
	a.created, a.expires = date, date.Add(time.Duration(st.expires)*time.Second)
	return nil
}

// decoded returns the form-decoded value of parameter i.
func (st *signwayState) decoded(i int) string { return formDecoded(&st.scratch, st.query.raw[i]) }

// parseSignedHeaders reads X-Sw-SignedHeaders as Signway does (see
// newSignwayPlan), with the plan cached for it if there is one, and looks
// up the first value of each signed header.
func (st *signwayState) parseSignedHeaders(r Request) error {
	plan := noSignedHeaders
	if list := st.query.raw[swSignedHeaders]; list != "" {
		if len(list) > maxSignwayHeadersList { // before it is decoded or planned
			return newError(ErrMalformed, "X-Sw-SignedHeaders is longer than %d bytes", maxSignwayHeadersList)
		}
		if plan = st.v.plans.get(list); plan == nil { // cached once a request verifies with it
			plan = newSignwayPlan(list, st.decoded(swSignedHeaders))
		}
	}
	st.plan = plan
	for i, name := range plan.names {
		value, n := signedHeaderValue(r, plan.keys[i])
		switch {
		case n == 0:
			return newError(ErrMissingHeader, "the signed header %.64s is missing", name)
		case n > 1: // the first value would be signed, and a gateway forward every one
			return newError(ErrMalformed, "the signed header %.64s is sent %d times; send it once", name, n)
		}
		for i := 0; i < len(value); i++ {
			if c := value[i]; (c < ' ' || c >= 0x7f) && c != '\t' {
				return newError(ErrMalformed, "the signed header %.64s has a value that is not visible ASCII", name)
			}
		}
		st.headers = append(st.headers, SignwayHeader{Name: name, Value: trimOWS(value)})
	}
	if plan.err != nil {
		return plan.err
	}
	if st.v.cfg.strict && !plan.exact {
		return newError(ErrMalformed, "X-Sw-SignedHeaders must list lower-case header names once each, without empty names")
	}
	return nil
}

// signedHeaderValue returns the first value of the header of canonical key
// key, or of the Host header for "", and how many values it has.
func signedHeaderValue(r Request, key string) (first string, n int) {
	if key == "" {
		if r.Host() == "" {
			return "", 0
		}
		return r.Host(), 1
	}
	values := r.Header(key)
	if len(values) == 0 {
		return "", 0
	}
	return values[0], len(values)
}

// parseProxy decodes and normalises X-Sw-Proxy.
func (st *signwayState) parseProxy() error {
	start := len(st.scratch)
	var decoded string
	var canonical bool
	if st.scratch, canonical = appendCanonicalDecoded(st.scratch, st.query.raw[swProxy]); canonical {
		decoded = stringOf(st.scratch[start:])
	} else {
		st.scratch = st.scratch[:start]
		decoded = st.decoded(swProxy)
	}
	if isWHATWGNormal(decoded) {
		st.proxy = decoded
		if canonical {
			st.proxyQuery = st.query.raw[swProxy]
		}
		return nil
	}
	start = len(st.scratch)
	var err error
	if st.scratch, err = appendWHATWGURL(st.scratch, decoded); err != nil {
		return newError(ErrMalformed, "X-Sw-Proxy is not a URL Signway can forward to: %v", err)
	}
	st.proxy = stringOf(st.scratch[start:])
	if st.v.cfg.strict && st.proxy != decoded {
		return newError(ErrMalformed, "X-Sw-Proxy must be in WHATWG normal form: sign %s", st.proxy)
	}
	return nil
}

func (st *signwayState) check(_ *attempt, s *Secret) error {
	if !s.Key.IsHMAC() {
		return newError(ErrUnsupportedAlgorithm, "the key is not an HMAC secret")
	}
	if s.Algorithm != "" && !strings.EqualFold(s.Algorithm, signwayAlgorithm) {
		return newError(ErrUnsupportedAlgorithm, "the key is pinned to %s, not %s", s.Algorithm, signwayAlgorithm)
	}
	if max := st.v.maxAge; max > 0 && time.Duration(st.expires)*time.Second > max {
		return newError(ErrExpired, "the URL is valid for %d s; this server accepts at most %v", st.expires, max)
	}
	return nil
}

func (st *signwayState) verify(a *attempt, s *Secret) (bool, error) {
	if !st.prepared {
		if err := st.prepare(a); err != nil {
			return false, err
		}
	}
	day := st.date[:8]
	dk := s.Key.signwayCached(signwayDayBits(day))
	if dk == nil {
		dk = s.Key.signwayDerive(day, signwayDayBits(day) <= signwayDayOf(a.now(st.v.now).Add(st.v.clockSkew)))
	}
	if !equalBytes(dk.appendSum(st.mac[:0], st.sts[:]), st.sig[:]) {
		return false, nil
	}
	if st.plan != noSignedHeaders {
		st.v.plans.add(st.plan.list, st.plan)
	}
	return true, nil
}

// prepare reads the signed body and builds the string to sign, once for
// every candidate secret.
func (st *signwayState) prepare(a *attempt) error {
	var body []byte
	if st.body {
		var err error
		if body, err = st.signedBody(a.req); err != nil {
			return err
		}
	}
	a.msg = st.appendCanonicalRequest(a.msg[:0], a.req.Method(), body)
	st.appendStringToSign(st.sts[:0], a.msg)
	st.prepared = true
	return nil
}

// signedBody reads the body X-Sw-Body=true signs: it needs a Content-Length
// that it matches, and must be UTF-8.
func (st *signwayState) signedBody(r Request) ([]byte, error) {
	cl := r.Header("Content-Length")
	if len(cl) == 0 {
		return nil, newError(ErrMissingHeader, "a signed body (X-Sw-Body=true) needs a Content-Length header")
	}
	n, ok := parseU64(cl[0])
	if !ok {
		return nil, newError(ErrMalformed, "the Content-Length header is not a number")
	}
	if n > uint64(st.v.maxBodyBytes) {
		return nil, BodyTooLarge(st.v.maxBodyBytes)
	}
	body, err := r.Body(st.v.maxBodyBytes)
	switch {
	case err != nil:
		return nil, err
	case uint64(len(body)) != n:
		return nil, newError(ErrMalformed, "the body is not as long as its Content-Length says")
	case !utf8.Valid(body):
		return nil, newError(ErrMalformed, "a signed body must be UTF-8 text")
	}
	return body, nil
}

// checkBody has nothing to check (the body is in the canonical request),
// but runs after the pipeline's time checks: it makes up for the one
// deadline the pipeline cannot tell from "no deadline", the zero time
// (X-Sw-Date 00010101T000000Z with X-Sw-Expires 0, or a year-0 date plus
// exactly a year).
func (st *signwayState) checkBody(a *attempt) error {
	if a.expires.IsZero() && a.now(st.v.now).After(a.expires) {
		return newError(ErrExpired, "the signature expired at %s", a.expires.UTC().Format(time.RFC3339))
	}
	return nil
}

// allocResult allocates a Result together with room for its SignwayDetails
// and their text, and for a body reader when body is set, so that a
// verification allocates once; a URL without signed headers takes the
// smaller signwayProxyResult. Until fillResult, the Result's Details point
// to that room. The room for the text left after what the details need is
// the body's: a small body shares the allocation too.
func (st *signwayState) allocResult(body bool) (*resultContext, *bufferedBody, []byte) {
	switch {
	case body:
		r := new(struct {
			signwayResult
			body bufferedBody
		})
		r.ctx.res.Details = &r.signwayResult
		return &r.ctx, &r.body, r.text[min(st.textLen(), len(r.text)):]
	case len(st.headers) == 0 && len(st.proxy) <= len(signwayProxyResult{}.text):
		r := new(signwayProxyResult)
		r.ctx.res.Details = r
		return &r.ctx, nil, nil
	}
	r := new(signwayResult)
	r.ctx.res.Details = r
	return &r.ctx, nil, nil
}

// textLen is the length of the text of the SignwayDetails: the proxy URL
// and the values of the signed headers (their names are the plan's).
func (st *signwayState) textLen() int {
	n := len(st.proxy)
	for _, h := range st.headers {
		n += len(h.Value)
	}
	return n
}

// fillResult sets res's SignwayDetails, in the room allocResult made (a
// caller's Result gets new room), and copies their text there when it fits,
// in the first textLen bytes of the room: the rest may hold the body.
func (st *signwayState) fillResult(_ *attempt, res *Result) {
	var d *SignwayDetails
	var headers []SignwayHeader
	var room []byte
	switch r := res.Details.(type) {
	case *signwayProxyResult:
		d, room = &r.details, r.text[:]
	case *signwayResult:
		d, headers, room = &r.details, r.headers[:0], r.text[:]
	default: // a caller's Result (VerifyInto)
		own := new(signwayResult)
		d, headers, room = &own.details, own.headers[:0], own.text[:]
	}
	var text []byte
	if n := st.textLen(); n <= len(room) {
		text = room[:0:n] // never appended to past n, where a body may be
	} else {
		text = make([]byte, 0, n)
	}
	keep := func(s string) string { // a copy in text, which is never written again
		start := len(text)
		text = append(text, s...)
		return stringOf(text[start:len(text):len(text)])
	}
	d.Proxy = keep(st.proxy)
	if len(st.headers) > cap(headers) {
		headers = make([]SignwayHeader, 0, len(st.headers))
	}
	for _, h := range st.headers { // the names are the plan's, which owns them
		headers = append(headers, SignwayHeader{Name: h.Name, Value: keep(h.Value)})
	}
	if len(headers) > 0 {
		d.SignedHeaders, res.Covered = headers, st.plan.names
	}
	d.BodySigned = st.body
	res.Details = d
}

// signwayResult is a Result with its details and room for their text, in
// one allocation. The strings of details point into text, which is filled
// once and never modified, or are the plan's.
type signwayResult struct {
	ctx     resultContext // the Result and the context that carries it
	details SignwayDetails
	headers [3]SignwayHeader
	text    [128]byte
}

// signwayProxyResult is signwayResult for a URL that signs no header: the
// Result, its details and room for the proxy URL, in a smaller allocation
// (320 bytes instead of 512).
type signwayProxyResult struct {
	ctx     resultContext
	details SignwayDetails
	text    [96]byte
}

// appendCanonicalRequest appends Signway's canonical request:
//
//	METHOD \n / \n CQ \n sorted header lines \n \n sorted names \n BODY
func (f *signwayFields) appendCanonicalRequest(dst []byte, method string, body []byte) []byte {
	dst = append(dst, method...)
	dst = append(dst, "\n/\n"...)
	dst = f.appendCanonicalQuery(dst)
	dst = append(dst, '\n')
	for k, i := range f.plan.lines {
		if k > 0 {
			dst = append(dst, '\n')
		}
		dst = append(dst, f.headers[i].Name...)
		dst = append(dst, ':')
		dst = append(dst, f.headers[i].Value...)
	}
	dst = append(dst, "\n\n"...)
	dst = append(dst, f.plan.sorted...)
	dst = append(dst, '\n')
	return append(dst, body...)
}

// appendCanonicalQuery appends the canonical query: the seven signed
// parameters sorted by name, each value encoded with appendSignwayEnc.
func (f *signwayFields) appendCanonicalQuery(dst []byte) []byte {
	dst = append(dst, "X-Sw-Algorithm="+signwayAlgorithm+"&X-Sw-Body="...)
	if f.body {
		dst = append(dst, "true"...)
	} else {
		dst = append(dst, "false"...)
	}
	dst = append(dst, "&X-Sw-Credential="...)
	dst = appendSignwayEnc(dst, f.id)
	dst = append(dst, "%2F"...)
	dst = append(dst, f.date[:8]...)
	dst = append(dst, "&X-Sw-Date="...)
	dst = append(dst, f.date...)
	dst = append(dst, "&X-Sw-Expires="...)
	dst = appendUint(dst, uint64(f.expires))
	dst = append(dst, "&X-Sw-Proxy="...)
	if f.proxyQuery != "" {
		dst = append(dst, f.proxyQuery...)
	} else {
		dst = appendSignwayEnc(dst, f.proxy)
	}
	dst = append(dst, "&X-Sw-SignedHeaders="...)
	return append(dst, f.plan.query...)
}

// signwayStringToSignLen is the length of every string to sign.
const signwayStringToSignLen = len(signwayAlgorithm) + 1 + 16 + 1 + 8 + 1 + 2*sha256.Size

// appendStringToSign appends "SW1-HMAC-SHA256\nLONGDATE\nDAY\nhex(SHA-256(cr))".
func (f *signwayFields) appendStringToSign(dst []byte, cr []byte) []byte {
	dst = append(dst, signwayAlgorithm+"\n"...)
	dst = append(dst, f.date...)
	dst = append(dst, '\n')
	dst = append(dst, f.date[:8]...)
	dst = append(dst, '\n')
	sum := sha256.Sum256(cr)
	return appendHexSum(dst, &sum)
}

// appendHexSum appends sum in lower-case hex, as hex.AppendEncode does, two
// digits per table lookup.
func appendHexSum(dst []byte, sum *[sha256.Size]byte) []byte {
	n := len(dst)
	dst = append(dst, make([]byte, 2*sha256.Size)...)
	out := (*[2 * sha256.Size]byte)(dst[n:])
	for i, b := range sum {
		binary.BigEndian.PutUint16(out[2*i:], hexPairs[b])
	}
	return dst
}

// hexPairs holds the two lower-case hex digits of each byte, the first in
// the high byte.
var hexPairs = func() (t [256]uint16) {
	const digits = "0123456789abcdef"
	for b := range t {
		t[b] = uint16(digits[b>>4])<<8 | uint16(digits[b&0x0f])
	}
	return t
}()

// parseSignwayDate parses X-Sw-Date as Signway's time crate format
// [year][month][day]T[hour][minute][second]Z does for well-formed input:
// four-digit year, every field in range, 'T' and 'Z' upper-case, nothing
// after. A sign before the year is rejected.
func parseSignwayDate(s string) (time.Time, bool) {
	if len(s) != 16 || s[8] != 'T' || s[15] != 'Z' {
		return time.Time{}, false
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[4:6])
	day, ok3 := digits(s[6:8])
	hour, ok4 := digits(s[9:11])
	minute, ok5 := digits(s[11:13])
	second, ok6 := digits(s[13:15])
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 || month < 1 || month > 12 ||
		day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59 {
		return time.Time{}, false
	}
	days := daysFromCivil(year+400, month, day) - 146097 // +400 years keeps the era positive
	return time.Unix(int64(days)*86400+int64(hour*3600+minute*60+second), 0).UTC(), true
}

// signwayDayOf returns the signwayDayBits of t's UTC day.
func signwayDayOf(t time.Time) uint64 {
	y, m, d := t.UTC().Date()
	if y < 0 || y > 9999 {
		return 0
	}
	var b [8]byte
	appendDigits(b[:0], y, 4)
	appendDigits(b[4:4], int(m), 2)
	appendDigits(b[6:6], d, 2)
	return signwayDayBits(stringOf(b[:]))
}

// appendDigits appends n in exactly width decimal digits.
func appendDigits(dst []byte, n, width int) []byte {
	for p := width - 1; p >= 0; p-- {
		div := 1
		for range p {
			div *= 10
		}
		dst = append(dst, byte('0'+n/div%10))
	}
	return dst
}

// parseU32 parses a u32 as Rust's str::parse does: an optional '+', then
// decimal digits (leading zeros allowed), at most 4294967295.
func parseU32(s string) (uint32, bool) {
	n, ok := parseU64(s)
	if !ok || n > 1<<32-1 {
		return 0, false
	}
	return uint32(n), true
}

// parseU64 parses an unsigned integer as Rust's str::parse does (an
// optional '+', then digits), up to 2^63-1.
func parseU64(s string) (uint64, bool) {
	s = strings.TrimPrefix(s, "+")
	if s == "" {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		d := uint64(s[i] - '0')
		if n > (1<<63-1-d)/10 { // n*10+d would pass 2^63-1, or wrap round 2^64
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}

// decodeLowerHex decodes s, lower-case hex of len(dst) bytes, into dst,
// and reports whether it was (upper-case hex is not: Signway compares the
// hex strings).
func decodeLowerHex(dst []byte, s string) bool {
	var bad byte
	for i := range dst {
		hi, lo := lowerHexValue[s[2*i]], lowerHexValue[s[2*i+1]]
		bad |= (hi | lo) & 0x80
		dst[i] = hi<<4 | lo&0x0f
	}
	return bad == 0
}
