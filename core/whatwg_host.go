package signet

import (
	"math"
	"strings"
	"unicode/utf8"
)

// appendURLHost appends the WHATWG serialisation of the host of a special
// URL (url crate 2.3.1, Host::parse): a bracketed IPv6 address compressed,
// an IPv4 address in dotted decimal, or a domain percent-decoded,
// IDNA-mapped (lower-cased), and free of forbidden code points.
func appendURLHost(dst []byte, host string) ([]byte, error) {
	if host[0] == '[' {
		if len(host) < 2 || host[len(host)-1] != ']' {
			return dst, errURLIPv6
		}
		pieces, ok := parseIPv6(host[1 : len(host)-1])
		if !ok {
			return dst, errURLIPv6
		}
		dst = append(dst, '[')
		dst = appendIPv6(dst, pieces)
		return append(dst, ']'), nil
	}

	var buf [128]byte
	decoded := appendPercentDecoded(buf[:0], host)
	if !utf8.Valid(decoded) {
		return dst, errURLIDNA // a U+FFFD replacement is not a valid host code point
	}
	start := len(dst)
	var err error
	if dst, err = appendIDNA(dst, decoded); err != nil {
		return dst[:start], err
	}
	domain := stringOf(dst[start:])
	switch {
	case domain == "":
		return dst[:start], errURLEmptyHost
	case hasForbiddenDomainByte(domain):
		return dst[:start], errURLHostChar
	case endsInANumber(domain):
		addr, ok := parseIPv4(domain)
		if !ok {
			return dst[:start], errURLIPv4
		}
		dst = dst[:start]
		for i := 3; i >= 0; i-- {
			dst = appendUint(dst, uint64(addr>>(8*i)&0xff))
			if i > 0 {
				dst = append(dst, '.')
			}
		}
	}
	return dst, nil
}

// appendPercentDecoded appends s with every %XX decoded ('+' stays '+').
func appendPercentDecoded(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			dst = append(dst, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		} else {
			dst = append(dst, c)
		}
	}
	return dst
}

// forbiddenDomainBytes marks the WHATWG forbidden domain code points, as the
// url crate lists them (the domain is ASCII once IDNA-encoded).
var forbiddenDomainBytes = func() (set [256]bool) {
	for c := range set {
		set[c] = c <= 0x20 || c == 0x7f || strings.IndexByte("#%/:<>?@[\\]^|", byte(c)) >= 0
	}
	return set
}()

func hasForbiddenDomainByte(domain string) bool {
	for i := 0; i < len(domain); i++ {
		if forbiddenDomainBytes[domain[i]] {
			return true
		}
	}
	return false
}

// appendIDNA appends the UTS #46 ToASCII of the domain d (the url crate's
// idna 0.3 with its defaults: non-transitional, no STD3 rules, no hyphen or
// DNS length checks), for the inputs signet supports: ASCII is lower-cased
// and its xn-- labels must be valid Punycode; a label with non-ASCII
// characters is lower-cased and Punycode-encoded when every one of them is
// a Latin-1 letter. Any other non-ASCII label is rejected rather than
// guessed: UTS #46 maps it through Unicode tables that the standard library
// does not carry.
func appendIDNA(dst []byte, d []byte) ([]byte, error) {
	for len(d) > 0 {
		label := d
		if i := strings.IndexByte(stringOf(d), '.'); i >= 0 {
			label, d = d[:i], d[i:]
		} else {
			d = nil
		}
		var err error
		if dst, err = appendIDNALabel(dst, label); err != nil {
			return dst, err
		}
		if len(d) > 0 { // the dot
			dst = append(dst, '.')
			d = d[1:]
		}
	}
	return dst, nil
}

func appendIDNALabel(dst []byte, label []byte) ([]byte, error) {
	ascii := true
	for _, c := range label {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		start := len(dst)
		for _, c := range label {
			dst = append(dst, lower(c))
		}
		if l := stringOf(dst[start:]); strings.HasPrefix(l, "xn--") && !punycodeValid(l[4:]) {
			return dst, errURLIDNA
		}
		return dst, nil
	}
	var buf [64]rune
	runes := buf[:0]
	for _, r := range string(label) {
		switch {
		case r < utf8.RuneSelf:
			r = rune(lower(byte(r)))
		case 0xC0 <= r && r <= 0xDE && r != 0xD7: // À–Þ but ×: their lower case
			r += 0x20
		case 0xE0 <= r && r <= 0xFF && r != 0xF7: // à–ÿ but ÷
		default:
			return dst, errURLIDNAScope
		}
		runes = append(runes, r)
	}
	if len(runes) >= 4 && string(runes[:4]) == "xn--" {
		return dst, errURLIDNA // an xn-- label must be Punycode, which is ASCII
	}
	dst = append(dst, "xn--"...)
	return appendPunycode(dst, runes), nil
}

// Punycode (RFC 3492) parameters.
const (
	punyBase        = 36
	punyTMin        = 1
	punyTMax        = 26
	punySkew        = 38
	punyDamp        = 700
	punyInitialBias = 72
	punyInitialN    = 128
)

// appendPunycode appends the Punycode encoding of runes (short labels: no
// overflow is possible for the Latin-1 runes appendIDNALabel passes).
func appendPunycode(dst []byte, runes []rune) []byte {
	basic := 0
	for _, r := range runes {
		if r < punyInitialN {
			dst = append(dst, byte(r))
			basic++
		}
	}
	if basic > 0 {
		dst = append(dst, '-')
	}
	n, delta, bias := rune(punyInitialN), 0, punyInitialBias
	for h := basic; h < len(runes); {
		m := rune(math.MaxInt32)
		for _, r := range runes {
			if r >= n && r < m {
				m = r
			}
		}
		delta += int(m-n) * (h + 1)
		n = m
		for _, r := range runes {
			if r < n {
				delta++
			}
			if r != n {
				continue
			}
			q := delta
			for k := punyBase; ; k += punyBase {
				t := min(max(k-bias, punyTMin), punyTMax)
				if q < t {
					break
				}
				dst = append(dst, punyDigit(t+(q-t)%(punyBase-t)))
				q = (q - t) / (punyBase - t)
			}
			dst = append(dst, punyDigit(q))
			bias = punyAdapt(delta, h+1, h == basic)
			delta = 0
			h++
		}
		delta++
		n++
	}
	return dst
}

// punycodeValid reports whether s decodes as Punycode (what the idna crate
// checks of an xn-- label before accepting it).
func punycodeValid(s string) bool {
	out := 0 // runes decoded so far
	if i := strings.LastIndexByte(s, '-'); i > 0 {
		out, s = i, s[i+1:]
	}
	n, i, bias := punyInitialN, 0, punyInitialBias
	for len(s) > 0 {
		oldI, w := i, 1
		for k := punyBase; ; k += punyBase {
			if len(s) == 0 {
				return false
			}
			digit := punyValue(s[0])
			s = s[1:]
			if digit < 0 || digit > (math.MaxInt32-i)/w {
				return false
			}
			i += digit * w
			t := min(max(k-bias, punyTMin), punyTMax)
			if digit < t {
				break
			}
			if w > math.MaxInt32/(punyBase-t) {
				return false
			}
			w *= punyBase - t
		}
		out++
		bias = punyAdapt(i-oldI, out, oldI == 0)
		if i/out > math.MaxInt32-n {
			return false
		}
		n += i / out
		i %= out
		if n > utf8.MaxRune || 0xD800 <= n && n <= 0xDFFF {
			return false
		}
		i++
	}
	return true
}

func punyAdapt(delta, points int, first bool) int {
	if first {
		delta /= punyDamp
	} else {
		delta /= 2
	}
	delta += delta / points
	k := 0
	for delta > (punyBase-punyTMin)*punyTMax/2 {
		delta /= punyBase - punyTMin
		k += punyBase
	}
	return k + (punyBase-punyTMin+1)*delta/(delta+punySkew)
}

func punyDigit(d int) byte {
	if d < 26 {
		return byte('a' + d)
	}
	return byte('0' + d - 26)
}

func punyValue(c byte) int {
	switch {
	case 'a' <= c && c <= 'z':
		return int(c - 'a')
	case 'A' <= c && c <= 'Z':
		return int(c - 'A')
	case '0' <= c && c <= '9':
		return int(c-'0') + 26
	}
	return -1
}

// endsInANumber is the WHATWG ends-in-a-number checker: the last label
// (ignoring one trailing dot) is decimal digits or parses as an IPv4 number.
func endsInANumber(domain string) bool {
	last := domain
	if i := strings.LastIndexByte(domain, '.'); i >= 0 {
		last = domain[i+1:]
		if last == "" {
			if i == 0 {
				return false
			}
			last = domain[:i]
			if j := strings.LastIndexByte(last, '.'); j >= 0 {
				last = last[j+1:]
			}
		}
	}
	digitsOnly := last != ""
	for i := 0; i < len(last) && digitsOnly; i++ {
		digitsOnly = isDigit(last[i])
	}
	if digitsOnly {
		return true
	}
	_, ok := parseIPv4Number(last)
	return ok
}

// parseIPv4Number parses decimal, 0x hexadecimal or 0-prefixed octal; ok
// is false for a malformed number, and n > math.MaxUint32 reports overflow.
func parseIPv4Number(s string) (n uint64, ok bool) {
	if s == "" {
		return 0, false
	}
	radix := uint64(10)
	switch {
	case len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'):
		s, radix = s[2:], 16
	case len(s) >= 2 && s[0] == '0':
		s, radix = s[1:], 8
	}
	for i := 0; i < len(s); i++ {
		var d uint64
		switch c := s[i]; {
		case isDigit(c):
			d = uint64(c - '0')
		case radix == 16 && isHex(c):
			d = uint64(unhex(c))
		default:
			return 0, false
		}
		if d >= radix {
			return 0, false
		}
		if n = n*radix + d; n > math.MaxUint32 {
			n = math.MaxUint32 + 1 // keep counting digits, but stay out of overflow
		}
	}
	return n, true
}

// parseIPv4 is the WHATWG IPv4 parser: up to four numbers, the last one
// filling the remaining bytes.
func parseIPv4(s string) (uint32, bool) {
	s = strings.TrimSuffix(s, ".")
	var parts [4]uint64
	count := 0
	for {
		part, rest, more := strings.Cut(s, ".")
		if count == 4 {
			return 0, false
		}
		n, ok := parseIPv4Number(part)
		if !ok || n > math.MaxUint32 {
			return 0, false
		}
		parts[count] = n
		count++
		if !more {
			break
		}
		s = rest
	}
	last := parts[count-1]
	if last >= 1<<(8*(5-count)) {
		return 0, false
	}
	addr := uint32(last)
	for i := 0; i < count-1; i++ {
		if parts[i] > 255 {
			return 0, false
		}
		addr += uint32(parts[i]) << (8 * (3 - i))
	}
	return addr, true
}

// parseIPv6 is the WHATWG IPv6 parser (as the url crate implements it),
// IPv4-in-IPv6 included.
func parseIPv6(s string) (pieces [8]uint16, ok bool) {
	n := len(s)
	if n < 2 {
		return pieces, false
	}
	i, p, compress := 0, 0, -1
	if s[0] == ':' {
		if s[1] != ':' {
			return pieces, false
		}
		i, p, compress = 2, 1, 1
	}
	ipv4 := false
	for i < n {
		if p == 8 {
			return pieces, false
		}
		if s[i] == ':' {
			if compress >= 0 {
				return pieces, false
			}
			i++
			p++
			compress = p
			continue
		}
		start, value := i, uint16(0)
		for i < n && i < start+4 && isHex(s[i]) {
			value = value<<4 | uint16(unhex(s[i]))
			i++
		}
		if i < n {
			switch s[i] {
			case '.':
				if i == start || p > 6 {
					return pieces, false
				}
				i = start
				ipv4 = true
			case ':':
				if i++; i == n {
					return pieces, false
				}
			default:
				return pieces, false
			}
		}
		if ipv4 {
			break
		}
		pieces[p] = value
		p++
	}
	if ipv4 {
		seen := 0
		for i < n {
			if seen > 0 {
				if seen >= 4 || s[i] != '.' {
					return pieces, false
				}
				i++
			}
			value := -1
			for i < n && isDigit(s[i]) {
				switch {
				case value == -1:
					value = int(s[i] - '0')
				case value == 0:
					return pieces, false // no leading zero
				default:
					if value = value*10 + int(s[i]-'0'); value > 255 {
						return pieces, false
					}
				}
				i++
			}
			if value < 0 {
				return pieces, false
			}
			pieces[p] = pieces[p]<<8 | uint16(value)
			if seen++; seen == 2 || seen == 4 {
				p++
			}
		}
		if seen != 4 {
			return pieces, false
		}
	}
	if i < n {
		return pieces, false
	}
	if compress >= 0 {
		for swaps, q := p-compress, 7; swaps > 0; swaps, q = swaps-1, q-1 {
			pieces[q], pieces[compress+swaps-1] = pieces[compress+swaps-1], pieces[q]
		}
	} else if p != 8 {
		return pieces, false
	}
	return pieces, true
}

// appendIPv6 appends the WHATWG serialisation of an IPv6 address: lower-case
// hex, the first longest run of two or more zero pieces compressed to "::".
func appendIPv6(dst []byte, pieces [8]uint16) []byte {
	best, bestLen := -1, 1
	for i := 0; i < 8; {
		if pieces[i] != 0 {
			i++
			continue
		}
		j := i
		for j < 8 && pieces[j] == 0 {
			j++
		}
		if j-i > bestLen {
			best, bestLen = i, j-i
		}
		i = j
	}
	for i := 0; i < 8; i++ {
		if i == best {
			if i == 0 {
				dst = append(dst, ':')
			}
			dst = append(dst, ':')
			i += bestLen - 1
			continue
		}
		const hex = "0123456789abcdef"
		v, started := pieces[i], false
		for shift := 12; shift >= 0; shift -= 4 {
			if d := v >> shift & 15; d != 0 || started || shift == 0 {
				dst = append(dst, hex[d])
				started = true
			}
		}
		if i < 7 {
			dst = append(dst, ':')
		}
	}
	return dst
}
