package signet

import (
	"strings"
)

// cavageParams are the parameters of one Cavage signature. Values alias the
// request unless a quoted value had to be unescaped.
type cavageParams struct {
	keyID, algorithm, headers, signature, created, expires string
	hasHeaders                                             bool
	plan                                                   *headerPlan // what headers asks for (set by the verifier)
}

// Limits on what a client may send, checked before anything else.
const (
	maxCavageHeaderBytes = 8 << 10
	maxCavageParams      = 16
	// maxCavageSignedNames bounds the names of a headers= list (the lines
	// of a signing string), as maxSignwayHeaders bounds Signway's: a
	// list's plan costs about 100 bytes per name, and a fiber view scans
	// the header block once per name, before any key is looked up.
	maxCavageSignedNames = 64
)

// set stores one parameter; name is matched case-insensitively (RFC 7235).
// Unknown parameters are ignored; a known one given twice is an error.
func (p *cavageParams) set(name, value string, overwrite bool) error {
	return assign(p.field(name), name, value, overwrite)
}

// assign stores the value of the parameter name in field (nil for an
// unknown parameter, which is ignored).
func assign(field *string, name, value string, overwrite bool) error {
	if field == nil {
		return nil
	}
	if *field != "" && !overwrite {
		return errTwice(name)
	}
	*field = value
	return nil
}

// field returns where the parameter name goes, or nil for an unknown one.
// The usual spelling is compared first, as it is the cheapest.
func (p *cavageParams) field(name string) *string {
	switch len(name) {
	case 5:
		if name == "keyId" || equalLower(name, "keyid") {
			return &p.keyID
		}
	case 7:
		switch {
		case name == "headers", equalLower(name, "headers"):
			p.hasHeaders = true
			return &p.headers
		case name == "created", equalLower(name, "created"):
			return &p.created
		case name == "expires", equalLower(name, "expires"):
			return &p.expires
		}
	case 9:
		switch {
		case name == "algorithm":
			return &p.algorithm
		case name == "signature":
			return &p.signature
		case equalLower(name, "algorithm"):
			return &p.algorithm
		case equalLower(name, "signature"):
			return &p.signature
		}
	}
	return nil
}

// knownName finds a parameter name written as a known one (5, 7 or 9 bytes)
// right before an '=' at s[i:], without scanning for the '=': a known
// name holds no '=' and no white space, so only the first '=' among those
// places can end one. field is nil when there is none.
func (p *cavageParams) knownName(s string, i int) (eq int, field *string) {
	switch {
	case i+5 < len(s) && s[i+5] == '=':
		eq = i + 5
	case i+7 < len(s) && s[i+7] == '=':
		eq = i + 7
	case i+9 < len(s) && s[i+9] == '=':
		eq = i + 9
	default:
		return 0, nil
	}
	return eq, p.field(s[i:eq])
}

// equalLower reports whether s equals want (lower-case ASCII), ignoring
// ASCII case. Where strings.EqualFold was only asked about strings as long
// as want, it answers the same: the only non-ASCII runes folding to ASCII
// (K, ſ) are longer than the letter they fold to.
func equalLower(s, want string) bool {
	if len(s) != len(want) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] != want[i] && lower(s[i]) != want[i] {
			return false
		}
	}
	return true
}

// parseCavageParams parses the auth-params of draft-cavage leniently, as
// RFC 7235 allows: name=token or name="quoted string", optional white space
// around ',' and '=', names in any case. Duplicates, more than
// maxCavageParams parameters and anything unparseable are malformed. It
// scans s once; values alias s unless a quoted one had escapes.
func parseCavageParams(s string) (cavageParams, error) {
	var p cavageParams
	err := p.parse(s)
	return p, err
}

// parse is parseCavageParams into p, which must be zero: the verifier
// parses into its pooled attempt rather than copying the parameters out.
func (p *cavageParams) parse(s string) error {
	escapes := strings.IndexByte(s, '\\') >= 0 // looked for once, not in every value
	i := skipOWS(s, 0)
	for n := 0; i < len(s); n++ {
		if n == maxCavageParams {
			return newError(ErrMalformed, "the signature has more than %d parameters", maxCavageParams)
		}
		// name OWS "=": the name is what precedes the first '=', a token
		start := i
		eq, field := p.knownName(s, i)
		if field == nil {
			if eq = strings.IndexByte(s[i:], '=') + i; eq < i {
				return errNotPairs()
			}
			name := trimOWS(s[i:eq])
			field = p.field(name)
			if field == nil && !isToken(name) { // known names are tokens
				return errNotPairs()
			}
		}
		i = skipOWS(s, eq+1)
		var value string
		if i < len(s) && s[i] == '"' {
			quoted, end := s[i+1:], -1
			if !escapes { // the usual case, aliasing s
				end = strings.IndexByte(quoted, '"')
			}
			if end >= 0 {
				value, i = quoted[:end], i+end+2
			} else {
				var rest string
				var err error
				if value, rest, err = cutQuoted(s[i:], escapes); err != nil {
					return err
				}
				i = len(s) - len(rest)
			}
		} else {
			start := i
			for i < len(s) && (tokenBytes[s[i]] || s[i] == '/' || s[i] == '=') { // token68
				i++
			}
			value = s[start:i]
		}
		if field != nil {
			if *field != "" {
				return errTwice(trimOWS(s[start:eq]))
			}
			*field = value
		}
		if i = skipOWS(s, i); i < len(s) {
			if s[i] != ',' {
				return newError(ErrMalformed, "signature parameters must be separated by commas")
			}
			i = skipOWS(s, i+1)
		}
	}
	return nil
}

func errTwice(name string) error {
	return newError(ErrMalformed, "the signature parameter %s is given twice", name)
}

func errNotPairs() error {
	return newError(ErrMalformed, "the signature parameters are not name=value pairs")
}

// skipOWS returns the index of the first byte of s from i on that is not a
// space or a tab.
func skipOWS(s string, i int) int {
	for i < len(s) && s[i] <= ' ' && (s[i] == ' ' || s[i] == '\t') { // one compare for most bytes
		i++
	}
	return i
}

// cutQuoted splits a leading quoted-string off s, unescaping \-pairs;
// escapes says whether s may hold any.
func cutQuoted(s string, escapes bool) (value, rest string, err error) {
	if !escapes {
		if end := strings.IndexByte(s[1:], '"') + 1; end > 0 {
			return s[1:end], s[end+1:], nil // the usual case, aliasing s
		}
	}
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return unescapeQuoted(s[1:i]), s[i+1:], nil
		}
	}
	return "", "", newError(ErrMalformed, "a quoted signature parameter is not closed")
}

func unescapeQuoted(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// parseAPISignatureParams parses parameters exactly as npm api-signature
// 0.2.11 does: split on every ',', cut each part at its first `="`, the name
// untrimmed and case-insensitive, the value without its last character; a
// later duplicate wins and a part without `="` is dropped.
func parseAPISignatureParams(s string) (cavageParams, error) {
	var p cavageParams
	for n := 0; s != ""; n++ {
		if n == maxCavageParams {
			return p, newError(ErrMalformed, "the signature has more than %d parameters", maxCavageParams)
		}
		part, rest, _ := strings.Cut(s, ",")
		s = rest
		i := strings.Index(part, `="`)
		if i < 0 {
			continue
		}
		start, end := i+2, len(part)-1
		if end < start { // JavaScript's substring swaps its bounds
			start, end = end, start
		}
		p.set(part[:i], part[start:end], true) // cannot fail when overwriting
	}
	p.created, p.expires = "", "" // api-signature knows no such parameters
	return p, nil
}

// appendCavageParams appends p in the strict form both npm peers accept:
// keyId, algorithm, created, expires, headers, signature; no spaces;
// created and expires bare when they are unix seconds. Quotes and backslashes in values are escaped.
func appendCavageParams(dst []byte, p cavageParams) []byte {
	first := true
	add := func(name, value string, quote bool) {
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(append(dst, name...), '=')
		if !quote {
			dst = append(dst, value...)
			return
		}
		dst = append(dst, '"')
		for i := 0; i < len(value); i++ {
			if value[i] == '"' || value[i] == '\\' {
				dst = append(dst, '\\')
			}
			dst = append(dst, value[i])
		}
		dst = append(dst, '"')
	}
	add("keyId", p.keyID, true)
	if p.algorithm != "" {
		add("algorithm", p.algorithm, true)
	}
	if p.created != "" {
		add("created", p.created, !isUnixSeconds(p.created))
	}
	if p.expires != "" {
		add("expires", p.expires, !isUnixSeconds(p.expires))
	}
	if p.hasHeaders {
		add("headers", p.headers, true)
	}
	add("signature", p.signature, true)
	return dst
}

// trimOWS trims spaces and tabs.
func trimOWS(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}
