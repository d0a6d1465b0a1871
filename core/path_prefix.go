package signet

import (
	"fmt"
	"strings"
)

// normalizePathPrefix checks the prefix of a <Scheme>PathPrefix option
// and returns it without its trailing '/' ("" for no prefix). It refuses a
// prefix that does not start with '/', that holds a query, a fragment, a
// byte in refused, or a "." or ".." segment (also escaped when escapedDots,
// as the scheme refuses them in paths), and one not in the form clients
// send (appendSignedURLEscaped's: the form to give is in the error).
func normalizePathPrefix(option, prefix string, escapedDots bool, refused string) (string, error) {
	if prefix != "" && prefix[0] != '/' {
		return "", fmt.Errorf("signet: %s(%.64q): a path prefix starts with /", option, prefix)
	}
	p := strings.TrimRight(prefix, "/")
	switch {
	case p == "":
		return "", nil
	case strings.ContainsAny(p, "?#"):
		return "", fmt.Errorf("signet: %s(%.64q): a path prefix has no query or fragment", option, prefix)
	case strings.ContainsAny(p, refused):
		return "", fmt.Errorf("signet: %s(%.64q): a path prefix of this scheme cannot hold any of %q", option, prefix, refused)
	}
	escaped, err := appendSignedURLEscaped(nil, p, false)
	if err != nil {
		return "", fmt.Errorf("signet: %s(%.64q): a '%%' that starts no escape: write it %%25", option, prefix)
	}
	if string(escaped) != p {
		return "", fmt.Errorf("signet: %s(%.64q): clients send some of its bytes percent-encoded, and the prefix is compared with the path as sent: give %.64q", option, prefix, escaped)
	}
	for seg := range strings.SplitSeq(p, "/") {
		if isDotSegment(seg, escapedDots) {
			return "", fmt.Errorf("signet: %s(%.64q): a path prefix has no dot segment, which clients resolve before sending", option, prefix)
		}
	}
	return p, nil
}

// isDotSegment reports whether the path segment seg is "." or "..", or with
// escaped, one of them with a dot percent-encoded: segments clients resolve
// before sending.
func isDotSegment(seg string, escaped bool) bool {
	switch strings.ToLower(seg) {
	case ".", "..":
		return true
	case "%2e", ".%2e", "%2e.", "%2e%2e":
		return escaped
	}
	return false
}

// underPathPrefix returns what a proxy that strips prefix sends on for
// the public path: path without prefix, if path is prefix, '/' and more
// (or any path when there is no prefix).
func underPathPrefix(path, prefix string) (rest string, ok bool) {
	rest, ok = strings.CutPrefix(path, prefix)
	return rest, ok && (prefix == "" || strings.HasPrefix(rest, "/"))
}

// errOutsidePathPrefix is a signer's refusal of a URL whose path is not
// under the prefix of option, which no request through the proxy has.
func errOutsidePathPrefix(option, path, prefix string) error {
	return fmt.Errorf("signet: the path %.64q is not under %q, the prefix the proxy strips (%s): sign the public URL, under it", path, prefix, option)
}

// errNotAPath answers a request whose path (or request-target) the path
// prefix of option cannot go before, as it does not start with '/': "*",
// or an absolute URL where the scheme does not read its path.
func errNotAPath(option, path string) *Error {
	return newError(ErrMalformed, "the request's path %.64q does not start with /, so the path prefix the proxy strips (%s) cannot be put back before it", path, option)
}
