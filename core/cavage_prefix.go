package signet

import (
	"fmt"
	"strings"
)

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
// The prefix is written as clients send it on the wire and kept raw: it
// starts with '/', and holds no '?', '#', whitespace, control or non-ASCII
// byte, no byte that clients percent-encode (give its %XX form, as the
// error says), and no "." or ".." segment (escaped or not), which clients
// and proxies resolve before matching a prefix. Trailing '/' are dropped, so
// "" and "/" mean no prefix. Behind a prefix, a request-target that is not a
// path ("*", or in the draft dialect an absolute URL, whose path the
// api-signature dialect reads) is malformed_signature, as no public path
// can be rebuilt from it.
//
// In-process routing, such as http.StripPrefix, needs no prefix: signet
// reads the raw request-target (http.Request.RequestURI), which it leaves
// as received. Nor does the CavageSigner take one: it signs the URL the
// client sends, the public one.
func CavagePathPrefix(prefix string) CavageOption {
	return cavageOption(func(c *cavageConfig) error {
		p, err := cavagePathPrefix(prefix)
		if err != nil {
			return err
		}
		c.pathPrefix = p
		return nil
	})
}

// cavagePathPrefix checks a CavagePathPrefix and returns it without its
// trailing '/'.
func cavagePathPrefix(prefix string) (string, error) {
	trimmed := strings.TrimRight(prefix, "/")
	switch {
	case trimmed == "":
		return "", nil
	case trimmed[0] != '/':
		return "", fmt.Errorf("signet: path prefix %q must start with '/'", prefix)
	case strings.ContainsAny(trimmed, "?#"):
		return "", fmt.Errorf("signet: path prefix %q has a query or fragment: give the path only", prefix)
	}
	for i := 0; i < len(trimmed); i++ {
		if !cavagePrefixByte(trimmed, i) {
			return "", fmt.Errorf("signet: path prefix %q has %q, which clients send percent-encoded: give %q",
				prefix, trimmed[i:i+1], appendPrefixEscaped(nil, trimmed))
		}
	}
	for seg := range strings.SplitSeq(trimmed, "/") {
		if isSingleDotSegment([]byte(seg)) || isDoubleDotSegment([]byte(seg)) {
			return "", fmt.Errorf("signet: path prefix %q has a dot segment, which clients and proxies resolve before matching a prefix: give the resolved path", prefix)
		}
	}
	return trimmed, nil
}

// cavagePrefixByte reports whether the byte at i of a path is sent as
// written: a '/', an RFC 3986 pchar, or the '%' of a valid escape.
func cavagePrefixByte(path string, i int) bool {
	switch c := path[i]; {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	case c == '%':
		return i+2 < len(path) && isHex(path[i+1]) && isHex(path[i+2])
	}
	return strings.IndexByte("/-._~!$&'()*+,;=:@", path[i]) >= 0
}

// appendPrefixEscaped appends path with every byte that cavagePrefixByte
// refuses written as %XX (upper-case hex), as clients send it.
func appendPrefixEscaped(dst []byte, path string) []byte {
	for i := 0; i < len(path); i++ {
		if c := path[i]; cavagePrefixByte(path, i) {
			dst = append(dst, c)
		} else {
			dst = append(dst, '%', upperHex[c>>4], upperHex[c&15])
		}
	}
	return dst
}
