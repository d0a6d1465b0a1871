package signet

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// signedURLPair locates one signed pair of a query q: q[start:end] is the
// pair, q[start:name] its raw name (the bytes before the first '='). key
// holds the name's first 8 bytes, big-endian, zero-padded: a smaller key
// means a smaller name, an equal key means comparing the names.
type signedURLPair struct {
	key              uint64
	start, name, end uint16 // a query is at most signedURLMaxTarget bytes
}

// signedURLMergeMin is the number of pairs from which sortSignedURLPairs
// sorts two halves and merges them rather than sorting by insertion, and
// signedURLMergeMax the number up to which it does.
const (
	signedURLMergeMin = 9
	signedURLMergeMax = 24
)

// sortSignedURLPairs sorts the pairs of q by name, stably: by insertion
// for a few pairs; up to signedURLMergeMax, by insertion in two halves
// merged (fewer moves than insertion alone); beyond, with the standard
// library (only hostile URLs have that many).
func sortSignedURLPairs(q string, pairs []signedURLPair) {
	switch n := len(pairs); {
	case n < signedURLMergeMin:
		insertSignedURLPairs(q, pairs)
	case n <= signedURLMergeMax:
		mid := n / 2
		insertSignedURLPairs(q, pairs[:mid])
		insertSignedURLPairs(q, pairs[mid:])
		if signedURLPairLess(q, &pairs[mid], &pairs[mid-1]) { // else in order already
			var left [signedURLMergeMax / 2]signedURLPair
			mergeSignedURLPairs(q, pairs, left[:copy(left[:], pairs[:mid])])
		}
	default:
		slices.SortStableFunc(pairs, func(a, b signedURLPair) int {
			switch {
			case signedURLPairLess(q, &a, &b):
				return -1
			case signedURLPairLess(q, &b, &a):
				return 1
			}
			return 0
		})
	}
}

// insertSignedURLPairs sorts the pairs of q by name, stably, by insertion.
func insertSignedURLPairs(q string, pairs []signedURLPair) {
	for i := 1; i < len(pairs); i++ {
		if !signedURLPairLess(q, &pairs[i], &pairs[i-1]) {
			continue // in order already: the common case
		}
		x := pairs[i]
		j := i
		for ; j > 0 && signedURLPairLess(q, &x, &pairs[j-1]); j-- {
			pairs[j] = pairs[j-1]
		}
		pairs[j] = x
	}
}

// mergeSignedURLPairs merges two sorted runs into pairs, stably: left, a
// copy of the first len(left) pairs, and the pairs after them.
func mergeSignedURLPairs(q string, pairs, left []signedURLPair) {
	i, j, k := 0, len(left), 0
	for i < len(left) && j < len(pairs) {
		if signedURLPairLess(q, &pairs[j], &left[i]) {
			pairs[k] = pairs[j]
			j++
		} else {
			pairs[k] = left[i]
			i++
		}
		k++
	}
	copy(pairs[k:], left[i:]) // what is left of the right run is in place
}

// signedURLPairLess reports whether the name of a sorts before the name of b.
func signedURLPairLess(q string, a, b *signedURLPair) bool {
	if a.key != b.key {
		return a.key < b.key
	}
	return q[a.start:a.name] < q[b.start:b.name]
}

// signedURLHasControl reports whether s holds an ASCII control character.
func signedURLHasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] == 0x7f {
			return true
		}
	}
	return false
}

// scanQuery splits the raw query q on '&' and sorts its segments out:
// empty segments carry nothing and are skipped; the sn- parameters go to p;
// ignored parameters are skipped; every other pair is appended to pairs,
// in order, and p counts the segments (on from p.segments, the segments
// already read elsewhere). More than signedURLMaxPairs segments is an
// error.
func (c *signedURLConfig) scanQuery(q string, pairs []signedURLPair, p *signedURLParams) ([]signedURLPair, error) {
	if len(q) > signedURLMaxTarget { // offsets fit in uint16
		return pairs, newError(ErrMalformed, "the URL is longer than the %d bytes this server verifies", signedURLMaxTarget)
	}
	segments := p.segments
	for start := 0; start < len(q); {
		seg := q[start:]
		if end := strings.IndexByte(seg, '&'); end >= 0 {
			seg = seg[:end]
		}
		if len(seg) > 0 {
			if segments++; segments > signedURLMaxPairs {
				return pairs, newError(ErrMalformed, "the URL has more than %d query parameters", signedURLMaxPairs)
			}
			name := len(seg)                // the name's length: the bytes before the first '='
			for i := 0; i < len(seg); i++ { // names are short: no call
				if seg[i] == '=' {
					name = i
					break
				}
			}
			switch {
			case name >= 3 && seg[0] == 's' && seg[1] == 'n' && seg[2] == '-':
				value := ""
				if name < len(seg) {
					value = seg[name+1:]
				}
				p.set(seg[:name], value)
			case c.ignoring && c.ignored(seg[:name]):
			default:
				pairs = append(pairs, signedURLPair{prefixKeyAt(q, start, start+name), uint16(start), uint16(start + name), uint16(start + len(seg))})
			}
		}
		start += len(seg) + 1
	}
	p.segments = segments
	return pairs, nil
}

// ignored reports whether the raw parameter name is one that may be added
// after signing.
func (c *signedURLConfig) ignored(name string) bool {
	for _, exact := range c.ignoreExact {
		if name == exact {
			return true
		}
	}
	for _, prefix := range c.ignorePrefix {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

// appendMessage appends what follows the algorithm marker in the signed
// message: one line each for the key id, the issue time, the expiry, the
// method (empty when unbound), the origin (empty when unbound) and the
// public path (the prefix a proxy strips, then path, as the server
// receives it), then the canonical query: the signed pairs sorted by their raw
// names, stably (the values of a repeated name keep their order), joined
// by '&'. It sorts pairs in place.
func (c *signedURLConfig) appendMessage(dst []byte, p *signedURLParams, method, scheme, host, path, query string, pairs []signedURLPair) ([]byte, error) {
	dst = append(dst, '\n')
	dst = append(dst, p.kid...)
	dst = append(dst, '\n')
	dst = append(dst, p.iat...)
	dst = append(dst, '\n')
	dst = append(dst, p.exp...)
	dst = append(dst, '\n')
	if c.bindMethod {
		if method == "" { // would read as a URL signed without its method
			return nil, newError(ErrMalformed, "the request has no method")
		}
		dst = append(dst, method...)
	}
	dst = append(dst, '\n')
	switch {
	case !c.bindOrigin:
	case c.origin != "":
		dst = append(dst, c.origin...)
	case host == "":
		return nil, newError(ErrMissingHeader, "the origin is signed but the request has no Host header")
	case len(host) > signedURLMaxHost: // an HMAC over it per key: refused before any key is looked up
		return nil, newError(ErrMalformed, "the Host header is longer than the %d bytes this server verifies", signedURLMaxHost)
	default:
		dst = appendSignedURLOrigin(dst, scheme, host)
	}
	dst = append(dst, '\n')
	if c.prefix != "" { // the public path: what a proxy stripped, then what it sent on
		if path[0] != '/' {
			return nil, errNotAPath("SignedURLPathPrefix", path)
		}
		dst = append(dst, c.prefix...)
	}
	dst = append(dst, path...)
	dst = append(dst, '\n')
	sortSignedURLPairs(query, pairs)
	for i := 0; i < len(pairs); {
		if i > 0 {
			dst = append(dst, '&')
		}
		start, end := pairs[i].start, pairs[i].end
		for i++; i < len(pairs) && pairs[i].start == end+1; i++ {
			end = pairs[i].end // the next pair follows this one after its '&': copy both at once
		}
		dst = append(dst, query[start:end]...)
	}
	return dst, nil
}

// appendSignedURLOrigin appends scheme "://" host, both lower-cased (ASCII),
// without the scheme's default port (:80 for http, :443 for https).
func appendSignedURLOrigin(dst []byte, scheme, host string) []byte {
	start := len(dst)
	for i := 0; i < len(scheme); i++ {
		dst = append(dst, lower(scheme[i]))
	}
	lowered := dst[start:]
	http, https := string(lowered) == "http", string(lowered) == "https" // no allocation
	dst = append(dst, "://"...)
	for i := 0; i < len(host); i++ {
		dst = append(dst, lower(host[i]))
	}
	switch {
	case http && bytes.HasSuffix(dst, []byte(":80")):
		dst = dst[:len(dst)-3]
	case https && bytes.HasSuffix(dst, []byte(":443")):
		dst = dst[:len(dst)-4]
	}
	return dst
}

// normalizeSignedURLOrigin checks a configured origin, "scheme://host[:port]"
// with an optional trailing '/', and returns its normal form.
func normalizeSignedURLOrigin(origin string) (string, error) {
	scheme, host, _ := strings.Cut(origin, "://")
	host = strings.TrimSuffix(host, "/")
	if s := strings.ToLower(scheme); s != "http" && s != "https" {
		return "", fmt.Errorf("signet: origin %q must start with http:// or https://", origin)
	}
	if strings.ContainsAny(host, "/?#") {
		return "", fmt.Errorf("signet: origin %q must be scheme://host[:port], without a path, query or fragment", origin)
	}
	if err := checkSignedURLHost(host); err != nil {
		return "", fmt.Errorf("signet: origin %q: %w", origin, err)
	}
	return string(appendSignedURLOrigin(nil, scheme, host)), nil
}

// checkSignedURLHost checks the authority of an origin: an ASCII host with
// an optional port, nothing else.
func checkSignedURLHost(host string) error {
	if host == "" || strings.ContainsAny(host, "/?#@\\") {
		return errors.New("the host must be a host name with an optional port")
	}
	for i := 0; i < len(host); i++ {
		if host[i] <= ' ' || host[i] >= 0x7f {
			return errors.New("the host must be ASCII: write an internationalised name in its punycode form")
		}
	}
	u, err := url.Parse("http://" + host)
	if err != nil || u.Host != host {
		return errors.New("the host must be a host name with an optional port")
	}
	return nil
}

// checkSignedURLOriginHost checks the Host a signer signs as the request's
// origin (SignedURLBindOrigin without SignedURLOrigin): the host of the URL
// it signs, or of the request. Verifiers compare the Host they receive,
// lower-cased and without the default port, so the host must be in the one
// form every client sends: browsers send the WHATWG serialisation of the
// URL's host and port, net/http sends the authority as written. Where they
// differ (an IPv6 address not in its compressed form, an IPv4 address not in
// dotted decimal, a port with a leading zero or no digits) or a client
// cannot send it (a non-ASCII name, which net/http converts to punycode; an
// IPv6 zone, which net/http removes over HTTP/1.1 and keeps over HTTP/2; a
// character outside RFC 3986's reg-name, for which net/http sends no Host;
// a port over 65535), the URL could not verify for every client: the error
// says what to sign instead. A host longer than verifiers read
// (signedURLMaxHost) is refused too.
func checkSignedURLOriginHost(host string) error {
	if len(host) > signedURLMaxHost {
		return fmt.Errorf("the host is %d bytes long, and verifiers read at most %d", len(host), signedURLMaxHost)
	}
	name, port := splitSignedURLHostPort(host)
	if err := checkSignedURLPort(port, true); err != nil {
		return fmt.Errorf("the host %q: %w", host, err)
	}
	if !isASCII(host) {
		if canonical, ok := browserSignedURLHost(name); ok {
			return fmt.Errorf("the host %q is not ASCII, and clients send it in its punycode form: sign %q", host, canonical+port)
		}
		return fmt.Errorf("the host %q is not ASCII, and clients send it in its punycode (xn--) form: sign that form", host)
	}
	if addr, _, ok := strings.Cut(name, "%"); ok && strings.HasPrefix(name, "[") {
		msg := fmt.Sprintf("the host %q has an IPv6 zone, which clients do not send the same way (net/http drops it over HTTP/1.1, not over HTTP/2; browsers refuse it): sign the address without it", host)
		if canonical, ok := browserSignedURLHost(addr + "]"); ok {
			msg += fmt.Sprintf(" (a request can keep the zone in its URL and set its Host to %q)", canonical+port)
		}
		return errors.New(msg)
	}
	if err := checkSignedURLHost(host); err != nil {
		return err
	}
	if name == "" {
		return fmt.Errorf("the host %q has no name", host)
	}
	if name[0] != '[' {
		for i := 0; i < len(name); i++ {
			if c := name[i]; !unreserved[c] && strings.IndexByte("!$&'()*+,;=", c) < 0 {
				return fmt.Errorf("the host %q has a %q, which net/http does not send (it sends no Host instead)", host, c)
			}
		}
	}
	canonical, err := appendURLHost(nil, name)
	if err != nil {
		return fmt.Errorf("browsers refuse the host %q, which %s", host, strings.TrimPrefix(err.Error(), "its host "))
	}
	if string(canonical) != strings.ToLower(name) {
		return fmt.Errorf("browsers send the host %q as %q, and net/http as written: sign %q", host, string(canonical)+port, string(canonical)+port)
	}
	return nil
}

// browserSignedURLHost returns the form browsers send of the host name
// (without its port), if they accept it and net/http can send it too.
func browserSignedURLHost(name string) (string, bool) {
	if name == "" {
		return "", false
	}
	canonical, err := appendURLHost(nil, name)
	if err != nil || checkSignedURLOriginHost(string(canonical)) != nil {
		return "", false
	}
	return string(canonical), true
}

// splitSignedURLHostPort splits an authority into its host name (an IPv6
// address with its brackets) and its port with the ':' before it ("" when
// it has none).
func splitSignedURLHostPort(host string) (name, port string) {
	i := strings.LastIndexByte(host, ':')
	if i < 0 || strings.LastIndexByte(host, ']') > i {
		return host, ""
	}
	return host[:i], host[i:]
}

// checkSignedURLPort checks the port of an authority, ":" and its digits
// ("" when there is none): a number up to 65535 and, when canonical, not
// empty and without a leading zero (a browser drops an empty port and the
// zeros, net/http sends them).
func checkSignedURLPort(port string, canonical bool) error {
	if port == "" {
		return nil
	}
	digits := port[1:]
	n := 0
	for i := 0; i < len(digits); i++ {
		if !isDigit(digits[i]) {
			return fmt.Errorf("the port %q is not a number", digits)
		}
		if n = n*10 + int(digits[i]-'0'); n > 65535 {
			return fmt.Errorf("the port %s is over 65535", digits)
		}
	}
	switch {
	case !canonical:
	case digits == "":
		return errors.New("the port is empty, which some clients send and browsers drop: write the host without ':'")
	case digits[0] == '0' && len(digits) > 1:
		return fmt.Errorf("the port %s has a leading zero, which some clients send and browsers drop: write %d", digits, n)
	}
	return nil
}

// signedURLKeep marks the bytes a signer writes unescaped: in paths
// (bit 1), the RFC 3986 pchar set and '/'; in queries (bit 2), the same
// and '?', but for '\” which browsers escape in http(s) queries.
var signedURLKeep = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		if unreserved[c] || strings.IndexByte("!$&'()*+,;=:@/", byte(c)) >= 0 {
			t[c] = 1 | 2
		}
	}
	t['\''] = 1
	t['?'] = 2
	return t
}()

// appendSignedURLEscaped appends s (a path, or with query a query) with
// every byte that some client would escape itself written as %XX
// (upper-case hex): spaces, quotes, non-ASCII bytes, control characters,
// and so on. A URL in this form travels unchanged through browsers and
// HTTP clients, so the server receives the bytes that were signed. Escapes
// already present are kept as written; a '%' that starts no escape is an
// error.
func appendSignedURLEscaped(dst []byte, s string, query bool) ([]byte, error) {
	bit := uint8(1)
	if query {
		bit = 2
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return nil, fmt.Errorf("signet: invalid percent-escape %.3q in the URL", s[i:])
			}
			dst = append(dst, s[i:i+3]...)
			i += 2
		case signedURLKeep[c]&bit != 0:
			dst = append(dst, c)
		default:
			dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
		}
	}
	return dst, nil
}

// checkSignedURLDotSegments refuses a path with a "." or ".." segment (escaped or
// not): browsers resolve them before sending, so the server would receive
// another path than the one signed.
func checkSignedURLDotSegments(path string) error {
	for seg := range strings.SplitSeq(path, "/") {
		if isDotSegment(seg, true) {
			return fmt.Errorf("signet: the path %q has a dot segment, which clients resolve before sending: sign the resolved path", path)
		}
	}
	return nil
}
