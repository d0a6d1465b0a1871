package signet

import "strings"

// Test hooks of the signedurl scheme, compiled into tests only.

// SignedURLMessage returns the message v builds for r, without its marker
// line (the marker depends on the key), or the error parsing r stops at.
func SignedURLMessage(v *SignedURL, r Request) (string, error) {
	a := &attempt{req: r}
	if err := v.parse(a); err != nil {
		return "", err
	}
	return string(a.msg[signedURLHead+1:]), nil
}

// SignedURLCanonicalQuery returns the canonical query of the raw query q
// under v's ignored parameters, without looking at the sn- parameters'
// values.
func SignedURLCanonicalQuery(v *SignedURL, q string) (string, error) {
	var p signedURLParams
	pairs, err := v.cfg.scanQuery(q, nil, &p)
	if err != nil {
		return "", err
	}
	p = signedURLParams{} // only the query matters
	msg, err := v.cfg.appendMessage(nil, &p, "GET", "http", "x", "", q, pairs)
	if err != nil {
		return "", err
	}
	// Skip the lines before the query: kid, iat, exp, method, origin, path.
	for range 7 {
		i := 0
		for msg[i] != '\n' {
			i++
		}
		msg = msg[i+1:]
	}
	return string(msg), nil
}

// BrowserHost returns the Host a browser sends for the absolute URL rawURL:
// the host and port of its WHATWG serialisation (the default port
// dropped), or the error of a URL browsers refuse.
func BrowserHost(rawURL string) (string, error) {
	u, err := appendWHATWGURL(nil, rawURL)
	if err != nil {
		return "", err
	}
	_, rest, _ := strings.Cut(string(u), "://")
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	return rest, nil
}
