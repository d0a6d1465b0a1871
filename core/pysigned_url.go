package signet

import (
	"errors"
	"net/netip"
	"slices"
	"strings"
	"unicode/utf8"
)

// pyURL is a URL split the way Python 3.11's urllib.parse.urlparse splits
// one: a lower-cased scheme, the netloc and path verbatim, the ;params of the
// last path segment, the raw query and the fragment.
type pyURL struct {
	scheme, netloc, path, params, query, fragment string
}

// errPyURL is what urlparse raises ValueError for.
var errPyURL = errors.New("signet: invalid IPv6 address in the URL's authority")

// parsePyURL splits s as Python 3.11's urlparse does. It fails where
// urlparse raises ValueError for an unbalanced or invalid bracketed host
// (not for its NFKC check of non-ASCII host names), and for text that is
// not UTF-8, which a Python str cannot hold.
func parsePyURL(s string) (pyURL, error) {
	if !utf8.ValidString(s) {
		return pyURL{}, errors.New("signet: the URL is not valid UTF-8")
	}
	// urlsplit strips leading C0 controls and spaces, and removes every
	// tab, CR and LF.
	s = strings.TrimLeftFunc(s, func(r rune) bool { return r <= ' ' })
	if strings.ContainsAny(s, "\t\r\n") {
		s = strings.NewReplacer("\t", "", "\r", "", "\n", "").Replace(s)
	}
	var u pyURL
	rest := s
	if i := strings.IndexByte(rest, ':'); i > 0 && isURIScheme(rest[:i]) {
		u.scheme, rest = lowerASCII(rest[:i]), rest[i+1:]
	}
	if strings.HasPrefix(rest, "//") {
		end := len(rest)
		if i := strings.IndexAny(rest[2:], "/?#"); i >= 0 {
			end = i + 2
		}
		u.netloc, rest = rest[2:end], rest[end:]
		if err := checkPyNetloc(u.netloc); err != nil {
			return pyURL{}, err
		}
	}
	rest, u.fragment, _ = strings.Cut(rest, "#")
	u.path, u.params, u.query = splitPyRest(rest, u.scheme)
	return u, nil
}

// splitPyRest splits what follows the netloc and precedes the fragment: the
// query at the first ?, then, for the schemes urlparse splits params off,
// the ;params of the last path segment.
func splitPyRest(rest, scheme string) (path, params, query string) {
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		rest, query = rest[:i], rest[i+1:]
	}
	path = rest
	if strings.IndexByte(path, ';') < 0 || !slices.Contains(pyUsesParams, scheme) {
		return path, "", query
	}
	start := max(strings.LastIndexByte(path, '/'), 0) // _splitparams: from the last /
	i := strings.IndexByte(path[start:], ';')
	if i < 0 {
		return path, "", query
	}
	return path[:start+i], path[start+i+1:], query
}

// pyUsesParams are the schemes whose last path segment urlparse splits
// ;params off (urllib.parse.uses_params).
var pyUsesParams = []string{"", "ftp", "hdl", "prospero", "http", "imap", "https", "shttp", "rtsp",
	"rtspu", "sip", "sips", "mms", "sftp", "tel"}

// pyUsesNetloc are the schemes urlunsplit writes // for even without a
// netloc (urllib.parse.uses_netloc in Python 3.11).
var pyUsesNetloc = []string{"", "ftp", "http", "gopher", "nntp", "telnet", "imap", "wais", "file",
	"mms", "https", "shttp", "snews", "prospero", "rtsp", "rtspu", "rsync", "svn", "svn+ssh", "sftp",
	"nfs", "git", "git+ssh", "ws", "wss"}

// String joins u back as Python 3.11's urlunparse (ParseResult.geturl)
// does: empty params, query and fragment are left out.
func (u pyURL) String() string {
	var b strings.Builder
	url := u.path
	if u.params != "" {
		url += ";" + u.params
	}
	if u.netloc != "" || (u.scheme != "" && slices.Contains(pyUsesNetloc, u.scheme) && !strings.HasPrefix(url, "//")) {
		if url != "" && url[0] != '/' {
			url = "/" + url
		}
		url = "//" + u.netloc + url
	}
	if u.scheme != "" {
		b.WriteString(u.scheme)
		b.WriteByte(':')
	}
	b.WriteString(url)
	if u.query != "" {
		b.WriteByte('?')
		b.WriteString(u.query)
	}
	if u.fragment != "" {
		b.WriteByte('#')
		b.WriteString(u.fragment)
	}
	return b.String()
}

// lowerASCII lower-cases the ASCII letters of s, without allocating when
// there are none.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				b[j] = lower(b[j])
			}
			return string(b)
		}
	}
	return s
}

// checkPyNetloc rejects what urlsplit raises ValueError for: brackets
// without their partner, and a bracketed host that is neither an IPv6
// address nor an IPvFuture literal (Python 3.11.4 and later).
func checkPyNetloc(netloc string) error {
	open, closing := strings.IndexByte(netloc, '[') >= 0, strings.IndexByte(netloc, ']') >= 0
	if open != closing {
		return errPyURL
	}
	if !open {
		return nil
	}
	_, host, _ := strings.Cut(netloc, "[")
	host, _, _ = strings.Cut(host, "]")
	if strings.HasPrefix(host, "v") { // \Av[a-fA-F0-9]+\..+\Z
		version, rest, ok := strings.Cut(host[1:], ".")
		if !ok || version == "" || rest == "" || strings.TrimLeftFunc(version, isHexRune) != "" {
			return errPyURL
		}
		return nil
	}
	if addr, zone, ok := strings.Cut(host, "%"); ok && (zone == "" || strings.Contains(zone, "%") || addr == "") {
		return errPyURL // ipaddress wants one non-empty scope id
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.Is6() {
		return errPyURL // not an address, or IPv4 in brackets
	}
	return nil
}

func isHexRune(r rune) bool { return r < 0x80 && isHex(byte(r)) }
