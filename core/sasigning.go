package signet

import (
	"bytes"
	"context"
	"crypto"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/textproto"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SASigning verifies requests signed the way the Django package
// drf-simple-api-signing does: the configured request fields joined by a
// delimiter, then the delimiter and the secret, under HMAC, in standard
// base64 in the Signature header. See
// https://github.com/signet-go/signet/blob/main/docs/schemes/sasigning.md.
type SASigning struct {
	pipeline
	cfg *saConfig
}

// SASigningSigner signs outgoing requests for an SASigning verifier.
type SASigningSigner struct {
	key *Key
	cfg *saConfig
}

// SASigningOption configures NewSASigning and NewSASigningSigner. Of the
// common Options, the verifier takes WithClock, WithMaxBodyBytes and
// WithNonceStore (SASigningTimestamp sets its time window), the signer
// WithClock only; the others are refused.
type SASigningOption interface {
	applySASigning(*saConfig) error
}

type saOption func(*saConfig) error

func (o saOption) applySASigning(c *saConfig) error { return o(c) }

func (o Option) applySASigning(c *saConfig) error {
	if c.signer {
		return o.applyTo(&c.settings, "sasigning signer", "WithClock")
	}
	return o.applyTo(&c.settings, "sasigning scheme", "WithClock", "WithMaxBodyBytes", "WithNonceStore")
}

// The fields SASigning can sign. The first five are upstream's; the others
// are signet extensions (see
// https://github.com/signet-go/signet/blob/main/docs/schemes/sasigning.md).
const (
	FieldPath         = "path"         // mount prefix + percent-decoded path, no query
	FieldPathInfo     = "path_info"    // path without the mount prefix
	FieldMethod       = "method"       // upper-cased method
	FieldScheme       = "scheme"       // "http" or "https"
	FieldContentType  = "content_type" // media type without parameters, lower-cased
	FieldQuery        = "query"        // extension: raw query string as sent
	FieldBody         = "body"         // extension: the raw body bytes
	FieldTimestamp    = "timestamp"    // extension: unix seconds from the timestamp header
	FieldHeaderPrefix = "header:"      // extension: "header:X-Name", every value joined by ", "
)

// DefaultTimestampHeader carries FieldTimestamp unless SASigningTimestamp
// names another header.
const DefaultTimestampHeader = "X-Signature-Timestamp"

// DefaultSASigningWindow is how far, either way, the unix time of the
// timestamp field may be from the verifier's clock unless
// SASigningTimestamp says otherwise.
const DefaultSASigningWindow = 5 * time.Minute

type saConfig struct {
	settings
	signer         bool // NewSASigningSigner's: it takes no verifier option
	fields         []saField
	names          []string // the configured field names, reported as Result.Covered
	delimiter      string
	delimiterBytes []byte // delimiter, for bytes.Contains; nil when no value is checked for it
	hash           crypto.Hash
	algorithm      string // "hmac-" + the hashlib name
	header         string // canonical
	missing        *Error // the answer to a request without the header
	scheme         string // "" = as the request says
	mount          string // without trailing slash; "" = none
	// standardMethods: the method is signed next to another field with no
	// delimiter a method cannot hold, so only the nine standard methods
	// are verified (see appendField)
	standardMethods bool
	pathPrefix      string // SASigningPathPrefix, without trailing slash; "" = none. Set, it is also the mount, which requests arrive without

	timestampHeader string
	window          time.Duration
	timestampSet    bool // SASigningTimestamp was given
	hasTimestamp    bool // the timestamp field is signed
}

type saField struct {
	name   string
	header string // canonical header name for header: and timestamp fields
}

// overlapsItself reports whether d has a border: a proper prefix that is
// also a suffix ("::", "aba"), so that two occurrences can overlap.
func overlapsItself(d string) bool {
	for k := 1; k < len(d); k++ {
		if d[:k] == d[len(d)-k:] {
			return true
		}
	}
	return false
}

// extension reports whether f is one of the fields signet adds to
// upstream's (query, body, timestamp, header:NAME).
func (f saField) extension() bool {
	return f.header != "" || f.name == FieldQuery || f.name == FieldBody
}

func newSAConfig(opts []SASigningOption, signer bool) (*saConfig, error) {
	c := &saConfig{
		settings:        defaultSettings(),
		signer:          signer,
		names:           []string{FieldPath, FieldMethod},
		hash:            crypto.SHA256,
		algorithm:       "hmac-sha256",
		header:          "Signature",
		timestampHeader: DefaultTimestampHeader,
		window:          DefaultSASigningWindow,
	}
	if err := applyOptions(opts, "SASigningOption", SASigningOption.applySASigning, c); err != nil {
		return nil, err
	}
	if c.timestampHeader == c.header {
		return nil, fmt.Errorf("signet: the timestamp and the signature cannot both travel in the %s header", c.header)
	}
	if c.pathPrefix != "" {
		if c.mount != "" {
			return nil, errors.New("signet: give SASigningMount (requests carry the prefix) or SASigningPathPrefix (a proxy strips it), not both")
		}
		c.mount = c.pathPrefix
	}
	for _, name := range c.names {
		f := saField{name: name}
		switch {
		case name == FieldTimestamp:
			c.hasTimestamp = true
			f.header = c.timestampHeader
		case strings.HasPrefix(name, FieldHeaderPrefix):
			h := name[len(FieldHeaderPrefix):]
			if !isToken(h) {
				return nil, fmt.Errorf("signet: field %q does not name a header", name)
			}
			if f.header = textproto.CanonicalMIMEHeaderKey(h); f.header == "Host" {
				// net/http moves it to r.Host: it is never among the headers.
				return nil, fmt.Errorf("signet: field %q can never be read: net/http keeps the Host header apart from the others", name)
			}
			if err := checkSignable(f.header); err != nil {
				return nil, err
			}
		case !slices.Contains([]string{FieldPath, FieldPathInfo, FieldMethod, FieldScheme, FieldContentType, FieldQuery, FieldBody}, name):
			return nil, fmt.Errorf("signet: unknown SASigning field %q (known: path, path_info, method, scheme, content_type, query, body, timestamp, header:NAME)", name)
		}
		c.fields = append(c.fields, f)
	}
	if c.timestampSet && !c.hasTimestamp {
		return nil, errors.New("signet: SASigningTimestamp is set but the timestamp field is not signed")
	}
	if c.nonces != nil && !c.hasTimestamp {
		return nil, errors.New("signet: replay protection needs the timestamp field, or a signature stays valid forever")
	}
	if c.hasTimestamp {
		c.clockSkew, c.maxAge = c.window, c.window
	}
	if slices.ContainsFunc(c.fields, saField.extension) { // signet's format: one way to split the message
		switch {
		case c.delimiter == "":
			return nil, errors.New(`signet: the query, body, timestamp and header: fields need a delimiter (SASigningDelimiter("\n"), say): without one, bytes can move from one field to the next under the same signature`)
		case overlapsItself(c.delimiter):
			return nil, fmt.Errorf(`signet: the delimiter %q can overlap itself (it starts as it ends), so bytes could move from one field to the next; use one that cannot, "\n" say`, c.delimiter)
		}
		c.delimiterBytes = []byte(c.delimiter)
	}
	c.standardMethods = len(c.fields) > 1 && slices.Contains(c.names, FieldMethod) && c.delimiterBytes == nil &&
		(c.delimiter == "" || isToken(c.delimiter))
	// With signet's fields no value may hold the delimiter, so it may not
	// be in what every path holds: a '/', the mount.
	paths := slices.Contains(c.names, FieldPath) || slices.Contains(c.names, FieldPathInfo)
	switch {
	case c.delimiterBytes != nil && paths && strings.Contains(c.delimiter, "/"):
		return nil, fmt.Errorf("signet: the delimiter %q holds a '/', which every path holds, so no request could be signed", c.delimiter)
	case c.delimiterBytes != nil && slices.Contains(c.names, FieldPath) && strings.Contains(c.mount, c.delimiter):
		return nil, fmt.Errorf("signet: the mount %q holds the delimiter %q, so no request could be signed", c.mount, c.delimiter)
	}
	c.missing = newError(ErrMissingSignature, "send the signature in the %s header", c.header)
	return c, nil
}

// SASigningFields sets the signed fields, in order (default path, method).
// Upstream's are path, path_info, method, scheme and content_type; signet
// adds query, body, timestamp and header:NAME.
func SASigningFields(fields ...string) SASigningOption {
	return saOption(func(c *saConfig) error {
		if len(fields) == 0 {
			return errors.New("signet: SASigningFields needs at least one field")
		}
		c.names = slices.Clone(fields)
		return nil
	})
}

// SASigningDelimiter sets the delimiter written between fields and before
// the secret (default ""). Use "\n" if the peer allows it. With no
// delimiter, or one a method can contain ("$"), neighbouring fields run
// into each other: GET /items/42 and 2GET /items/4 both sign "/items/42GET"
// (a Content-Type can do the same). So when the method is signed next to
// another field with such a delimiter, only the nine standard methods
// verify.
func SASigningDelimiter(delimiter string) SASigningOption {
	return saOption(func(c *saConfig) error { c.delimiter = delimiter; return nil })
}

// SASigningHash sets the HMAC hash by its Python hashlib name: md5, sha1,
// sha224, sha256 (the default), sha384, sha512, sha3_224, sha3_256,
// sha3_384 or sha3_512.
func SASigningHash(name string) SASigningOption {
	return saOption(func(c *saConfig) error {
		h, ok := hashByName[name]
		if !ok {
			return fmt.Errorf("signet: unknown hash %q", name)
		}
		c.hash, c.algorithm = h, "hmac-"+name
		return nil
	})
}

// SASigningHeader sets the header carrying the signature (default
// "Signature", which upstream reads; its docs show "API-SIGNATURE"): one a
// client can send, not Host, Content-Length or a connection header.
func SASigningHeader(name string) SASigningOption {
	return saOption(func(c *saConfig) error {
		if !isToken(name) {
			return fmt.Errorf("signet: invalid header name %q", name)
		}
		c.header = textproto.CanonicalMIMEHeaderKey(name)
		return carrierHeader("SASigningHeader", c.header)
	})
}

// SASigningScheme sets the scheme the scheme field signs, for servers behind
// a TLS-terminating proxy ("http" or "https"; default: the connection's).
func SASigningScheme(scheme string) SASigningOption {
	return saOption(func(c *saConfig) error {
		if scheme != "http" && scheme != "https" {
			return fmt.Errorf("signet: scheme must be http or https, got %q", scheme)
		}
		c.scheme = scheme
		return nil
	})
}

// SASigningMount sets the mount prefix (Django's SCRIPT_NAME): path includes
// it, path_info does not, and a request outside it is rejected.
func SASigningMount(prefix string) SASigningOption {
	return saOption(func(c *saConfig) error {
		if prefix != "" && !strings.HasPrefix(prefix, "/") {
			return fmt.Errorf("signet: mount %q must start with /", prefix)
		}
		c.mount = strings.TrimRight(prefix, "/")
		return nil
	})
}

// SASigningPathPrefix sets the path prefix a proxy in front of this server
// strips from request paths (nginx's location /app/ { proxy_pass
// http://backend/; }, or a gateway routing /billing/* to a service as /*),
// as Django's FORCE_SCRIPT_NAME does: path is the prefix, as configured,
// then the percent-decoded path received, and path_info the path received.
// It is SASigningMount for requests that arrive without the mount: give
// one or the other. A signer given it signs public URLs, whose raw path
// must start with the prefix, as under SASigningMount (so a signer's
// prefix is one clients send as written: no byte they escape). The prefix
// starts with '/'; trailing slashes are dropped, so "/" means none; the
// last SASigningPathPrefix given counts. A handler mounted with
// http.StripPrefix in this server needs no prefix: signet reads the raw
// request-target, which StripPrefix leaves as it came (to sign path_info
// below such a mount, give SASigningMount).
func SASigningPathPrefix(prefix string) SASigningOption {
	return saOption(func(c *saConfig) error {
		if prefix != "" && !strings.HasPrefix(prefix, "/") {
			return fmt.Errorf("signet: SASigningPathPrefix(%.64q): a path prefix starts with /", prefix)
		}
		c.pathPrefix = strings.TrimRight(prefix, "/")
		return nil
	})
}

// carrierHeader refuses, for option, a header a client could never send
// the signature or timestamp in: net/http writes Host and Content-Length
// from the request itself, never from its headers, and connection headers
// do not cross HTTP/2 or proxies.
func carrierHeader(option, canonical string) error {
	if canonical == "Host" || canonical == "Content-Length" || connectionHeader(canonical) {
		return fmt.Errorf("signet: %s: a client cannot send it in the %s header", option, canonical)
	}
	return nil
}

// SASigningTimestamp sets the header the timestamp field reads (default
// DefaultTimestampHeader; not the signature's, nor one SASigningHeader
// refuses) and how far, either way, its unix time may be from
// the clock (default DefaultSASigningWindow).
func SASigningTimestamp(header string, window time.Duration) SASigningOption {
	return saOption(func(c *saConfig) error {
		if !isToken(header) || window < time.Second {
			return fmt.Errorf("signet: SASigningTimestamp needs a header name and a window of 1s or more (the timestamp is whole seconds)")
		}
		c.timestampHeader = textproto.CanonicalMIMEHeaderKey(header)
		c.window, c.timestampSet = window, true
		return carrierHeader("SASigningTimestamp", c.timestampHeader)
	})
}

// NewSASigning returns a verifier that tries the secrets of keys (asked for
// AnyKeyID) in order, at most 16 per request; the first that matches names
// the caller. A StaticKeys store with more secrets is refused. A signed
// timestamp field may be DefaultSASigningWindow from the clock either way
// unless SASigningTimestamp says otherwise.
func NewSASigning(keys KeyStore, opts ...SASigningOption) (*SASigning, error) {
	cfg, err := newSAConfig(opts, false)
	if err != nil {
		return nil, err
	}
	p, err := newPipeline("NewSASigning", SchemeSASigning, keys, cfg.settings, keyChecks{
		anyKeyID: true,
		known: func(name string) bool {
			hash, ok := strings.CutPrefix(name, "hmac-")
			_, hashlib := hashByName[hash]
			return ok && hashlib || isAlgorithmName(name)
		},
		usable: pinnedKeyKinds(hmacKey),
	})
	if err != nil {
		return nil, err
	}
	return &SASigning{pipeline: p, cfg: cfg}, nil
}

// Verify checks the request's signature header.
func (v *SASigning) Verify(ctx context.Context, r Request) (*Result, error) {
	return v.run(ctx, r, v, nil)
}

// VerifyInto is Verify into res (see IntoVerifier).
func (v *SASigning) VerifyInto(ctx context.Context, r Request, res *Result) error {
	_, err := v.run(ctx, r, v, res)
	return err
}

func (v *SASigning) parse(a *attempt) error {
	c := v.cfg
	values := a.req.Header(c.header)
	switch {
	case len(values) > 1:
		return newError(ErrMalformed, "send exactly one %s header", c.header)
	case len(values) == 0 || values[0] == "":
		return c.missing
	case !isBase64Of(values[0], c.hash.Size()):
		return newError(ErrMalformed, "the %s header must be the padded standard base64 of a %d-byte %s",
			c.header, c.hash.Size(), c.algorithm)
	}
	a.keyID, a.signature, a.algorithm, a.covered = AnyKeyID, values[0], c.algorithm, c.names
	if _, err := c.pathInfo(a.req); err != nil { // the mount guards every request
		return err
	}
	msg, err := c.appendFields(a.msg[:0], a.req)
	if err != nil {
		return err
	}
	a.msg = msg
	if c.hasTimestamp { // appendFields checked the header
		unix, _ := parseUnixSeconds(a.req.Header(c.timestampHeader)[0])
		a.created = time.Unix(unix, 0)
	}
	return nil
}

func (v *SASigning) check(a *attempt, s *Secret) error {
	if !s.Key.IsHMAC() {
		return newError(ErrUnsupportedAlgorithm, "the key is not an HMAC secret")
	}
	if s.Algorithm != "" && s.Algorithm != v.cfg.algorithm {
		return newError(ErrUnsupportedAlgorithm, "the key is pinned to %s, this server signs with %s", s.Algorithm, v.cfg.algorithm)
	}
	return nil
}

func (v *SASigning) verify(a *attempt, s *Secret) (bool, error) {
	fields := len(a.msg)
	a.msg = append(a.msg, s.Key.secret...)
	m, tag := s.Key.sumMAC(v.cfg.hash, a.msg)
	defer s.Key.returnMAC(v.cfg.hash, m)
	a.msg = a.msg[:fields] // the next candidate appends its own secret
	n := base64.StdEncoding.EncodedLen(len(tag))
	base64.StdEncoding.Encode(a.tag[:n], tag)
	return equalBytes(a.tag[:n], bytesOf(a.signature)), nil
}

func (v *SASigning) checkBody(*attempt) error { return nil } // the body field is in the message

// NewSASigningSigner returns a signer for key with the SASigning options of
// the verifier it signs for (fields, delimiter, hash, header, scheme, mount,
// timestamp header). Of the common options it takes only WithClock: the
// others (WithMaxBodyBytes, WithNonceStore, …) configure a verifier, and
// are an error here.
func NewSASigningSigner(key *Key, opts ...SASigningOption) (*SASigningSigner, error) {
	if !key.IsHMAC() {
		return nil, errors.New("signet: SASigning signs with an HMAC key")
	}
	if key.emptySecret() {
		return nil, errEmptySecret
	}
	cfg, err := newSAConfig(opts, true)
	if err != nil {
		return nil, err
	}
	return &SASigningSigner{key: key, cfg: cfg}, nil
}

// Sign sets the signature header (and the timestamp header when the
// timestamp field is signed) on r, which must be an outgoing request the
// caller owns: signethttp.Transport clones before signing.
func (s *SASigningSigner) Sign(r *http.Request) error {
	if r.URL == nil {
		return errNoURL
	}
	c := s.cfg
	if r.Header == nil {
		r.Header = http.Header{}
	}
	out := outgoing(r)
	if _, err := c.pathInfo(out); err != nil {
		path, _ := splitTarget(out)
		return fmt.Errorf("signet: the request's path %q is outside the prefix %q the signer signs for (SASigningMount or SASigningPathPrefix)", path, c.mount)
	}
	if err := checkSpellings(r.Header, func(h string) bool {
		return h == c.header || h == c.timestampHeader ||
			slices.ContainsFunc(c.fields, func(f saField) bool { return f.header == h })
	}); err != nil {
		return err
	}
	for _, f := range c.fields {
		if f.header == "Cookie" && len(r.Header["Cookie"]) > 1 {
			return errors.New(`signet: the request has several Cookie headers, which an HTTP/2 server joins with "; " where SASigning signs ", ": send one Cookie header`)
		}
	}
	if c.hasTimestamp {
		now := c.now()
		ts := strconv.FormatInt(now.Unix(), 10)
		if !isUnixSeconds(ts) {
			return fmt.Errorf("signet: the clock says %v, which SASigning cannot send as unix seconds (from 1970, at most 12 digits)", now)
		}
		r.Header.Set(c.timestampHeader, ts)
	}
	msg, err := c.appendFields(nil, out)
	if err != nil {
		return signingError(err)
	}
	m, tag := s.key.sumMAC(c.hash, append(msg, s.key.secret...))
	defer s.key.returnMAC(c.hash, m)
	r.Header.Set(c.header, base64.StdEncoding.EncodeToString(tag))
	return nil
}

// pathInfo returns the raw request path below the mount, "/" at least, or
// an error when the path is outside the mount.
func (c *saConfig) pathInfo(r Request) (string, error) {
	path, _ := splitTarget(r)
	if c.pathPrefix != "" && !c.signer { // a proxy stripped the mount
		if !strings.HasPrefix(path, "/") {
			return "", errNotAPath("SASigningPathPrefix", path)
		}
		return path, nil
	}
	info, ok := strings.CutPrefix(path, c.mount)
	if !ok || (info != "" && info[0] != '/') {
		return "", newError(ErrMalformed, "the path %q is outside the mount %q this server verifies", path, c.mount)
	}
	if info == "" {
		info = "/"
	}
	return info, nil
}

// appendFields appends the values of the configured fields, each followed by
// the delimiter: the message without its secret. With signet's extension
// fields, no value but the body may contain the delimiter (which cannot
// overlap itself), so that the message splits into its values one way
// only: otherwise bytes could move from one field to the next (a path's
// end into the query, say) under the same signature. Upstream's own fields
// keep upstream's format.
func (c *saConfig) appendFields(dst []byte, r Request) ([]byte, error) {
	for _, f := range c.fields {
		start := len(dst)
		var err error
		if dst, err = c.appendField(dst, r, f); err != nil {
			return nil, err
		}
		if c.delimiterBytes != nil && f.name != FieldBody && bytes.Contains(dst[start:], c.delimiterBytes) {
			return nil, newError(ErrMalformed, "the signed field %s contains the delimiter %q, which would make the signed message ambiguous", f.name, c.delimiter)
		}
		dst = append(dst, c.delimiter...)
	}
	return dst, nil
}

// errNonStandardMethod answers a method outside the nine standard ones
// when the method is signed next to another field with no delimiter a
// method cannot hold: "2GET /items/4" would then sign as "GET /items/42"
// (/items/42GET), one method taking over the end of its neighbour.
var errNonStandardMethod = newError(ErrMalformed, "this server verifies the methods GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE and PATCH only: "+
	"with the method signed next to another field and no delimiter a method cannot hold, another method could take over that field's end")

// errEncodedSlash refuses a path that holds %2F: decoded, as Django signs
// it, "/users/7%2Fprofile" is "/users/7/profile", which routers that match
// the escaped path (net/http's ServeMux, echo, chi) serve elsewhere, so the
// signature of one would open the other.
var errEncodedSlash = newError(ErrMalformed, "the path holds an encoded slash (%%2F), which SASigning signs as '/': "+
	"its signature could not tell the path from the one with '/', which this server may route elsewhere")

// isStandardMethod reports whether the upper-cased method m is one of the
// nine of RFC 9110 and RFC 5789, none of which ends or starts another.
func isStandardMethod(m []byte) bool {
	switch string(m) {
	case "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "TRACE":
		return true
	}
	return false
}

func (c *saConfig) appendField(dst []byte, r Request, f saField) ([]byte, error) {
	switch f.name {
	case FieldPath, FieldPathInfo:
		info, err := c.pathInfo(r)
		if err != nil {
			return nil, err
		}
		if hasEncodedSlash(info) {
			return nil, errEncodedSlash
		}
		if f.name == FieldPath {
			dst = append(dst, c.mount...)
		}
		return appendUnescapedPath(dst, info), nil
	case FieldMethod:
		start := len(dst)
		for _, b := range []byte(r.Method()) {
			dst = append(dst, upper(b))
		}
		if c.standardMethods && !isStandardMethod(dst[start:]) {
			return nil, errNonStandardMethod
		}
		return dst, nil
	case FieldScheme:
		if c.scheme != "" {
			return append(dst, c.scheme...), nil
		}
		return append(dst, r.Scheme()...), nil
	case FieldContentType:
		ct, _, _ := strings.Cut(first(r.Header("Content-Type")), ";")
		ct = strings.TrimSpace(ct)
		if ct == "" {
			return nil, newError(ErrMissingHeader, "the signed field content_type needs a Content-Type header")
		}
		for _, b := range []byte(ct) {
			dst = append(dst, lower(b))
		}
		return dst, nil
	case FieldQuery:
		_, query := splitTarget(r)
		return append(dst, query...), nil
	case FieldBody:
		body, err := r.Body(c.maxBodyBytes)
		return append(dst, body...), err
	case FieldTimestamp:
		ts := r.Header(f.header)
		switch {
		case len(ts) == 0:
			return nil, newError(ErrMissingHeader, "the signed field timestamp needs the %s header", f.header)
		case len(ts) > 1 || !isUnixSeconds(ts[0]):
			return nil, newError(ErrMalformed, "send the signing time as unix seconds in one %s header", f.header)
		}
		return append(dst, ts[0]...), nil
	}
	values := r.Header(f.header) // header:NAME
	if len(values) == 0 {
		return nil, newError(ErrMissingHeader, "the signed field %s needs the %s header", f.name, f.header)
	}
	for i, v := range values {
		if i > 0 {
			dst = append(dst, ", "...)
		}
		dst = append(dst, trimOWS(v)...) // as HTTP/1 sends it; HTTP/2 keeps the spaces
	}
	return dst, nil
}
