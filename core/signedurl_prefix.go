package signet

import (
	"fmt"
	"strings"
)

// SignedURLPathPrefix is the path prefix a proxy in front of this server
// strips from request paths (nginx's location /files/ { proxy_pass
// http://backend/; }, or a gateway routing /billing/* to a service as /*):
// the signature covers the public path, prefix + the path received. It is
// compared byte for byte, escapes included, so write it as clients send it:
// percent-encoded ("/caf%C3%A9"), without a query, a fragment, or a "." or
// ".." segment (escaped or not). Trailing '/' are dropped: "/files/" is
// "/files", and "/" or "" is no prefix.
//
// A signer given it signs public URLs, whose path must start with prefix
// and "/"; the message is the same (the public path). A handler mounted
// with http.StripPrefix in this server needs no prefix: signet reads the
// raw request-target, which StripPrefix leaves as it came.
func SignedURLPathPrefix(prefix string) SignedURLOption {
	return signedURLOption(func(c *signedURLConfig) error {
		norm, err := normalizePathPrefix("SignedURLPathPrefix", prefix, true, "")
		if err != nil {
			return err
		}
		c.prefix = norm
		return nil
	})
}

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
		switch strings.ToLower(seg) {
		case "%2e", ".%2e", "%2e.", "%2e%2e":
			if !escapedDots {
				continue
			}
			fallthrough
		case ".", "..":
			return "", fmt.Errorf("signet: %s(%.64q): a path prefix has no dot segment, which clients resolve before sending", option, prefix)
		}
	}
	return p, nil
}

// underPathPrefix returns what a proxy that strips prefix sends on for
// the public path: path without prefix, if path is prefix, '/' and more
// (or any path when there is no prefix).
func underPathPrefix(path, prefix string) (rest string, ok bool) {
	rest, ok = strings.CutPrefix(path, prefix)
	return rest, ok && (prefix == "" || strings.HasPrefix(rest, "/"))
}
