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

// A cavageParam is one of the known parameters, a bit in the set of those
// a header gave (so that one given twice is found, even if empty at first).
type cavageParam uint8

const (
	paramKeyID cavageParam = 1 << iota
	paramAlgorithm
	paramHeaders
	paramSignature
	paramCreated
	paramExpires
)

// field returns where the parameter name goes and which it is, or nil for
// an unknown one. The usual spelling is compared first, as it is the
// cheapest.
func (p *cavageParams) field(name string) (*string, cavageParam) {
	switch len(name) {
	case 5:
		if name == "keyId" || equalLower(name, "keyid") {
			return &p.keyID, paramKeyID
		}
	case 7:
		switch {
		case name == "headers", equalLower(name, "headers"):
			p.hasHeaders = true
			return &p.headers, paramHeaders
		case name == "created", equalLower(name, "created"):
			return &p.created, paramCreated
		case name == "expires", equalLower(name, "expires"):
			return &p.expires, paramExpires
		}
	case 9:
		switch {
		case name == "algorithm":
			return &p.algorithm, paramAlgorithm
		case name == "signature":
			return &p.signature, paramSignature
		case equalLower(name, "algorithm"):
			return &p.algorithm, paramAlgorithm
		case equalLower(name, "signature"):
			return &p.signature, paramSignature
		}
	}
	return nil, 0
}

// knownName finds a parameter name written as a known one (5, 7 or 9 bytes)
// right before an '=' at s[i:], without scanning for the '=': a known
// name holds no '=' and no white space, so only the first '=' among those
// places can end one. field is nil when there is none.
func (p *cavageParams) knownName(s string, i int) (eq int, field *string, param cavageParam) {
	switch {
	case i+5 < len(s) && s[i+5] == '=':
		eq = i + 5
	case i+7 < len(s) && s[i+7] == '=':
		eq = i + 7
	case i+9 < len(s) && s[i+9] == '=':
		eq = i + 9
	default:
		return 0, nil, 0
	}
	field, param = p.field(s[i:eq])
	return eq, field, param
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

// parse parses the auth-params of draft-cavage into p, which must be zero
// (the verifier parses into its pooled attempt), leniently, as RFC 7235
// allows: name=token or name="quoted string", optional white space around
// ',' and '=', names in any case. A known parameter given twice (even empty
// the first time), more than maxCavageParams parameters and anything
// unparseable are malformed. It scans s once; values alias s unless a
// quoted one had escapes.
func (p *cavageParams) parse(s string) error {
	escapes := strings.IndexByte(s, '\\') >= 0 // looked for once, not in every value
	var given cavageParam
	i := skipOWS(s, 0)
	for n := 0; i < len(s); n++ {
		if n == maxCavageParams {
			return newError(ErrMalformed, "the signature has more than %d parameters", maxCavageParams)
		}
		// name OWS "=": the name is what precedes the first '=', a token
		start := i
		eq, field, param := p.knownName(s, i)
		if field == nil {
			if eq = strings.IndexByte(s[i:], '=') + i; eq < i {
				return errNotPairs()
			}
			name := trimOWS(s[i:eq])
			field, param = p.field(name)
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
				if value, rest, err = cutQuoted(s[i:]); err != nil {
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
			if given&param != 0 {
				return newError(ErrMalformed, "the signature parameter %s is given twice", trimOWS(s[start:eq]))
			}
			given |= param
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

// cutQuoted splits a leading quoted-string off s, unescaping \-pairs.
func cutQuoted(s string) (value, rest string, err error) {
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
		if field, _ := p.field(part[:i]); field != nil {
			*field = part[start:end]
		}
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
