package signet

import (
	"slices"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// Bounds of the exp values signet compares with the clock. pysigned's exp
// is a Python int of any size: a larger one is still signed byte for byte
// (its decimal text is in the message), and compares as these bounds do.
const (
	maxPyExp = 253402300799 // 9999-12-31T23:59:59Z
	minPyExp = -62135596800 // 0001-01-01T00:00:00Z
)

// maxPyIntDigits is Python's limit on the digits int() converts
// (sys.int_info.default_max_str_digits): longer text raises ValueError.
const maxPyIntDigits = 4300

// pyInt is an integer parsed as Python's int(text): its decimal text as
// str() prints it, and its value clamped to [minPyExp, maxPyExp].
type pyInt struct {
	text  string
	value int64
	zero  bool
}

// parsePyInt parses s as Python 3.11's int(s): surrounding whitespace
// (Unicode's included), one optional sign, decimal digits (any Unicode
// decimal digit) with single underscores between them, leading zeros
// allowed, at most 4300 digits. When the normalised text differs from s it
// is written to the end of *scratch.
func parsePyInt(scratch *[]byte, s string) (pyInt, bool) {
	if n, ok := plainDecimal(s); ok { // the usual exp: 1 to 18 ASCII digits, no leading zero
		return pyInt{text: s, value: clampPyExp(n, false)}, true
	}
	// Trim whitespace: ASCII as Py_ISSPACE has it (so not \x1c-\x1f), and
	// any non-ASCII Unicode whitespace, which int() turns into spaces first.
	i, j := 0, len(s)
	for i < j {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isPySpace(r) {
			break
		}
		i += n
	}
	for j > i {
		r, n := utf8.DecodeLastRuneInString(s[i:j])
		if !isPySpace(r) {
			break
		}
		j -= n
	}
	s = s[i:j]
	negative := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		negative, s = s[0] == '-', s[1:]
	}
	// Digits with single underscores between them, written without their
	// leading zeros.
	buf := *scratch
	start := len(buf)
	if negative {
		buf = append(buf, '-')
	}
	digits, significant, prevUnderscore := 0, 0, true
	var value int64
	for _, r := range s {
		if r == '_' {
			if prevUnderscore {
				return pyInt{}, false // leading or doubled underscore
			}
			prevUnderscore = true
			continue
		}
		d, ok := pyDecimal(r)
		if !ok {
			return pyInt{}, false
		}
		prevUnderscore = false
		if digits++; digits > maxPyIntDigits {
			return pyInt{}, false
		}
		if significant == 0 && d == 0 {
			continue
		}
		if significant++; significant <= 18 {
			value = value*10 + int64(d)
		} else {
			value = maxPyExp + 1 // beyond the clamp
		}
		buf = append(buf, byte('0'+d))
	}
	if digits == 0 || prevUnderscore {
		return pyInt{}, false // no digit, or a trailing underscore
	}
	if significant == 0 { // zero, whatever its sign
		*scratch = buf[:start]
		return pyInt{text: "0", zero: true}, true
	}
	*scratch = buf
	text := unsafe.String(unsafe.SliceData(buf[start:]), len(buf)-start)
	return pyInt{text: text, value: clampPyExp(value, negative)}, true
}

// isPySpace reports whether int() skips r around a number.
func isPySpace(r rune) bool {
	if r < utf8.RuneSelf {
		return isPyASCIISpace(byte(r))
	}
	return unicode.IsSpace(r)
}

// plainDecimal parses 1 to 18 ASCII digits without a leading zero.
func plainDecimal(s string) (int64, bool) {
	if s == "" || len(s) > 18 || s[0] == '0' {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	return n, true
}

func clampPyExp(n int64, negative bool) int64 {
	if negative {
		n = -n
	}
	return min(max(n, minPyExp), maxPyExp)
}

// pyDecimal returns the value of a decimal digit as Python 3.11's int()
// sees it: an ASCII digit, or a non-ASCII decimal digit of Unicode 14.0,
// the version Python 3.11 ships (not Go's unicode tables, which follow the
// toolchain: Go 1.27 has Unicode 17.0 and its new digits).
func pyDecimal(r rune) (int, bool) {
	if '0' <= r && r <= '9' {
		return int(r - '0'), true
	}
	i, found := slices.BinarySearch(pyDigitZeros[:], r)
	if !found {
		if i == 0 || r-pyDigitZeros[i-1] >= 10 {
			return 0, false
		}
		i--
	}
	return int(r - pyDigitZeros[i]), true
}

// pyDigitZeros are the zeros of the runs of ten non-ASCII decimal digits
// (category Nd) of Unicode 14.0, in order: the code points that Python
// 3.11's unicodedata.decimal gives 0, read from it.
var pyDigitZeros = [...]rune{
	0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6,
	0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50,
	0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
	0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
	0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50,
	0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
}
