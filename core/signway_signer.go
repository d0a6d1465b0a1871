package signet

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// SignwaySigner makes Signway signed URLs, byte for byte as Signway's Rust
// signer and its JS SDK make them: the URL points at a Signway gateway (or
// at a service verifying with NewSignway) and carries the upstream URL in
// X-Sw-Proxy. A trusted backend typically hands such URLs to browsers with
// SignURL; as a signet.Signer (for signethttp.Transport), it routes Go
// requests through the gateway.
type SignwaySigner struct {
	id       string
	key      *Key
	gateway  string // ends in '/'
	targetAt int    // where the request-target starts in gateway
	settings        // the clock
	ttl      time.Duration
	headers  []string // lower-case names Sign signs
	signBody bool
}

// SignwayURL is what SignURL signs.
type SignwayURL struct {
	// Method is the method the URL may be called with, verbatim and
	// case-sensitive ("POST" is not "post"). A method browsers send
	// upper-cased ("post") is refused: the URL could not be used from one.
	Method string
	// Proxy is the upstream URL. It is normalised as a WHATWG URL before it
	// is signed, as the gateway normalises it (https://github.com becomes
	// https://github.com/).
	Proxy string
	// Expiry is how long the URL is valid after the signing time: whole
	// seconds, from 0 (valid during that one second's instant) to
	// 4294967295.
	Expiry time.Duration
	// Headers are the headers the caller must send, with these values, in
	// the order given; names are case-insensitive and may be listed once.
	// Values must be visible ASCII (tabs allowed).
	Headers []SignwayHeader
	// SignBody signs Body (X-Sw-Body=true): the caller must send exactly
	// Body, as UTF-8, with a Content-Length. Without it the body is not
	// covered (X-Sw-Body=false) and Body must be empty.
	SignBody bool
	Body     []byte
	// OmitContentLength does not add content-length to the signed headers
	// of a signed body. By default it is added after Headers, as both
	// Signway SDKs do (with the UTF-8 byte count, which the SDKs get wrong
	// for non-ASCII bodies), unless Headers already has it.
	OmitContentLength bool
}

// SignwaySigned is a signed URL with the strings that produced it, to
// compare with another Signway implementation byte for byte.
type SignwaySigned struct {
	// URL is the signed URL.
	URL string
	// CanonicalRequest is METHOD, "/", the canonical query, the signed
	// header lines and names, and the body, as hashed.
	CanonicalRequest string
	// StringToSign is "SW1-HMAC-SHA256", X-Sw-Date, its day and the
	// hex SHA-256 of CanonicalRequest, one per line.
	StringToSign string
	// Signature is X-Sw-Signature: lower-case hex.
	Signature string
}

// SignwaySignerOption configures NewSignwaySigner. WithClock is one too.
type SignwaySignerOption interface {
	applySignwaySigner(*SignwaySigner) error
}

type signwaySignerOption func(*SignwaySigner) error

func (o signwaySignerOption) applySignwaySigner(s *SignwaySigner) error { return o(s) }

func (o Option) applySignwaySigner(s *SignwaySigner) error {
	return o.applyTo(&s.settings, "signway signer", "WithClock")
}

// DefaultSignwayTTL is the lifetime of the URLs SignwaySigner.Sign makes
// unless SignwayTTL says otherwise.
const DefaultSignwayTTL = 5 * time.Minute

// SignwayTTL sets the lifetime of the URLs Sign makes (default
// DefaultSignwayTTL), whole seconds.
func SignwayTTL(d time.Duration) SignwaySignerOption {
	return signwaySignerOption(func(s *SignwaySigner) error {
		if _, err := signwayExpiry(d); err != nil {
			return err
		}
		s.ttl = d
		return nil
	})
}

// SignwaySignHeaders sets the headers Sign signs, with the values the
// request has; a request lacking one of them cannot be signed. host cannot
// be signed this way: the gateway receives its own host; nor can a
// connection header (connection, upgrade, …), which HTTP/2 never sends.
// content-length is the one net/http sends (from r.ContentLength and the
// body): a request sent without one (a chunked body, a GET without a body)
// cannot be signed.
func SignwaySignHeaders(names ...string) SignwaySignerOption {
	return signwaySignerOption(func(s *SignwaySigner) error {
		s.headers = nil
		for _, n := range names {
			if !isToken(n) || strings.EqualFold(n, "host") {
				return fmt.Errorf("signet: cannot sign header %q", n)
			}
			if err := checkSignable(n); err != nil {
				return err
			}
			s.headers = append(s.headers, strings.ToLower(n))
		}
		return nil
	})
}

// SignwaySignBody makes Sign sign the body of requests that have one, with
// their Content-Length. Requests without a body are signed with
// X-Sw-Body=false.
func SignwaySignBody() SignwaySignerOption {
	return signwaySignerOption(func(s *SignwaySigner) error { s.signBody = true; return nil })
}

// NewSignwaySigner returns a signer of URLs for the gateway at base URL
// gateway (http or https, no query; a path is allowed and the URL is
// gateway + "/?X-Sw-…"), signed as id with key, an HMAC secret. Sign makes
// URLs valid for DefaultSignwayTTL unless SignwayTTL says otherwise.
func NewSignwaySigner(id string, key *Key, gateway string, opts ...SignwaySignerOption) (*SignwaySigner, error) {
	if id == "" || strings.Contains(id, "/") || !utf8.ValidString(id) {
		return nil, fmt.Errorf("signet: Signway key id %q must be non-empty UTF-8 without '/'", id)
	}
	if !key.IsHMAC() {
		return nil, errors.New("signet: Signway signs with an HMAC key")
	}
	if key.emptySecret() {
		return nil, errEmptySecret
	}
	u, err := url.Parse(gateway)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return nil, fmt.Errorf("signet: the gateway %q must be an http or https URL without query or fragment", gateway)
	}
	if !strings.HasSuffix(gateway, "/") {
		gateway += "/"
	}
	authority := strings.Index(gateway, "://") + len("://")
	s := &SignwaySigner{id: id, key: key, gateway: gateway, targetAt: authority + strings.IndexByte(gateway[authority:], '/'),
		settings: defaultSettings(), ttl: DefaultSignwayTTL}
	if err := applyOptions(opts, "SignwaySignerOption", SignwaySignerOption.applySignwaySigner, s); err != nil {
		return nil, err
	}
	return s, nil
}

// SignURL returns the signed URL for u.
func (s *SignwaySigner) SignURL(u SignwayURL) (string, error) {
	signed, err := s.Presign(u)
	if err != nil {
		return "", err
	}
	return signed.URL, nil
}

// Presign signs u like SignURL and also returns the canonical request and
// string to sign.
func (s *SignwaySigner) Presign(u SignwayURL) (*SignwaySigned, error) {
	if !isToken(u.Method) {
		return nil, fmt.Errorf("signet: invalid method %q", u.Method)
	}
	if upper := strings.ToUpper(u.Method); isFetchMethod(upper) && u.Method != upper {
		return nil, fmt.Errorf("signet: browsers send the method %q as %s, which the URL would not sign: sign %s", u.Method, upper, upper)
	}
	expires, err := signwayExpiry(u.Expiry)
	if err != nil {
		return nil, err
	}
	if !utf8.ValidString(u.Proxy) {
		return nil, errors.New("signet: the proxy URL is not UTF-8")
	}
	proxy, err := appendWHATWGURL(nil, u.Proxy)
	if err != nil {
		return nil, fmt.Errorf("signet: proxy URL %q: %w", u.Proxy, err)
	}
	headers, err := signwaySignedHeaders(u)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	if y := now.Year(); y < 0 || y > 9999 {
		return nil, fmt.Errorf("signet: Signway cannot sign at %v", now)
	}
	names := make([]string, len(headers))
	for i, h := range headers {
		names[i] = h.Name
	}
	list := strings.Join(names, ";") // lower-case names, each once: the plan's names are these
	f := signwayFields{
		id:      s.id,
		date:    now.Format("20060102T150405Z"),
		expires: expires,
		proxy:   string(proxy),
		plan:    newSignwayPlan(list, list),
		headers: headers,
		body:    u.SignBody,
	}
	cr := f.appendCanonicalRequest(nil, u.Method, u.Body)
	sts := f.appendStringToSign(make([]byte, 0, signwayStringToSignLen), cr)
	day := f.date[:8]
	dk := s.key.signwayCached(signwayDayBits(day))
	if dk == nil {
		dk = s.key.signwayDerive(day, true)
	}
	signature := hex.EncodeToString(dk.appendSum(nil, sts))

	link := append([]byte(s.gateway), "?X-Sw-Algorithm="+signwayAlgorithm+"&X-Sw-Credential="...)
	link = appendSignwayEnc(link, f.id)
	link = append(link, "%2F"+day+"&X-Sw-Date="+f.date+"&X-Sw-Expires="...)
	link = appendUint(link, uint64(expires))
	link = append(link, "&X-Sw-Proxy="...)
	link = appendSignwayEnc(link, f.proxy)
	link = append(link, "&X-Sw-SignedHeaders="...)
	start := len(link)
	for i, h := range headers {
		if i > 0 {
			link = append(link, "%3B"...)
		}
		link = appendSignwayEnc(link, h.Name)
	}
	if n := len(link) - start; n > maxSignwayHeadersList {
		return nil, fmt.Errorf("signet: X-Sw-SignedHeaders would be %d bytes long, and verifiers read at most %d", n, maxSignwayHeadersList)
	}
	link = append(link, "&X-Sw-Body="...)
	if u.SignBody {
		link = append(link, "true"...)
	} else {
		link = append(link, "false"...)
	}
	link = append(link, "&X-Sw-Signature="+signature...)
	if n := len(link) - s.targetAt; n > maxSignwayTarget {
		return nil, fmt.Errorf("signet: the signed URL's request-target would be %d bytes long, and verifiers read at most %d", n, maxSignwayTarget)
	}
	return &SignwaySigned{URL: string(link), CanonicalRequest: string(cr), StringToSign: string(sts), Signature: signature}, nil
}

// signwayExpiry checks an expiry: whole seconds that fit a u32.
func signwayExpiry(d time.Duration) (uint32, error) {
	if d < 0 || d%time.Second != 0 || d/time.Second > 1<<32-1 {
		return 0, fmt.Errorf("signet: Signway expiry %v must be whole seconds from 0 to 4294967295", d)
	}
	return uint32(d / time.Second), nil
}

// signwaySignedHeaders returns the headers u signs, names lower-cased,
// content-length added for a signed body.
func signwaySignedHeaders(u SignwayURL) ([]SignwayHeader, error) {
	if !u.SignBody && len(u.Body) > 0 {
		return nil, errors.New("signet: a Body is given but SignBody is not set")
	}
	if u.SignBody && !utf8.Valid(u.Body) {
		return nil, errors.New("signet: Signway signs UTF-8 bodies only")
	}
	if len(u.Headers) >= maxSignwayHeaders {
		return nil, fmt.Errorf("signet: Signway URLs sign fewer than %d headers", maxSignwayHeaders)
	}
	contentLength := fmt.Sprint(len(u.Body))
	headers := make([]SignwayHeader, 0, len(u.Headers)+1)
	hasLength := false
	for _, h := range u.Headers {
		name := strings.ToLower(h.Name)
		if !isToken(name) {
			return nil, fmt.Errorf("signet: invalid header name %q", h.Name)
		}
		for _, seen := range headers {
			if seen.Name == name {
				return nil, fmt.Errorf("signet: header %s is listed twice", name)
			}
		}
		for i := 0; i < len(h.Value); i++ {
			if c := h.Value[i]; (c < ' ' || c >= 0x7f) && c != '\t' {
				return nil, fmt.Errorf("signet: the value of header %s is not visible ASCII", name)
			}
		}
		value := trimOWS(h.Value)
		if name == "content-length" && u.SignBody {
			if value != contentLength {
				return nil, fmt.Errorf("signet: content-length %q is not the body's length %s", value, contentLength)
			}
			hasLength = true
		}
		headers = append(headers, SignwayHeader{Name: name, Value: value})
	}
	if u.SignBody && !u.OmitContentLength && !hasLength {
		headers = append(headers, SignwayHeader{Name: "content-length", Value: contentLength})
	}
	return headers, nil
}

// Sign makes r, an outgoing request for the upstream URL, go through the
// gateway: its URL becomes the signed URL (X-Sw-Proxy = the request's URL)
// for its method, the headers of SignwaySignHeaders and, with
// SignwaySignBody, its body; it is valid for the SignwayTTL. r must be a
// request the caller owns: signethttp.Transport clones before signing. A
// URL with credentials (user:password@), or a Host other than the URL's,
// is refused: the gateway calls the URL as it stands in X-Sw-Proxy.
func (s *SignwaySigner) Sign(r *http.Request) error {
	if r.URL == nil || !r.URL.IsAbs() {
		return errors.New("signet: a Signway signer needs the absolute upstream URL")
	}
	if r.URL.User != nil { // they would travel in X-Sw-Proxy, in the gateway's logs
		return errors.New("signet: the upstream URL holds credentials (user:password@), which X-Sw-Proxy would carry in the query: send them in a header")
	}
	if r.Host != "" && !strings.EqualFold(r.Host, r.URL.Host) { // the gateway calls the URL's host
		return fmt.Errorf("signet: the request's Host %q is not its URL's host %q, which the gateway calls: put the host in the URL", r.Host, r.URL.Host)
	}
	if err := checkSpellings(r.Header, func(c string) bool {
		return slices.ContainsFunc(s.headers, func(h string) bool { return strings.EqualFold(h, c) })
	}); err != nil {
		return err
	}
	out := outgoing(r)
	u := SignwayURL{Method: out.Method(), Proxy: r.URL.String(), Expiry: s.ttl}
	for _, name := range s.headers {
		values := out.Header(http.CanonicalHeaderKey(name)) // Content-Length as net/http sends it
		switch {
		case len(values) == 0:
			return fmt.Errorf("signet: the request has no %s header to sign", name)
		case len(values) > 1: // verifiers refuse a signed header sent twice
			return fmt.Errorf("signet: the request has %d %s headers: a signed header is sent once", len(values), name)
		}
		u.Headers = append(u.Headers, SignwayHeader{Name: name, Value: values[0]})
	}
	if s.signBody {
		body, err := out.Body(0)
		if err != nil {
			return err
		}
		u.SignBody, u.Body = len(body) > 0, body
		if u.SignBody && out.Header("Content-Length") == nil {
			return errors.New("signet: the request's body would be sent chunked, without the Content-Length a signed body needs: send it with a known length")
		}
	}
	signed, err := s.Presign(u)
	if err != nil {
		return err
	}
	link, err := url.Parse(signed.URL)
	if err != nil {
		return err
	}
	r.URL, r.Host = link, ""
	return nil
}
