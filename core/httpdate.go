package signet

import (
	"net/http"
	"time"
)

// HTTP dates and civil days without the time package's parser: Cavage's
// Date header and Signway's X-Sw-Date are read on every request.

// parseIMFFixdate parses the preferred HTTP date form, "Sun, 06 Nov 1994
// 08:49:37 GMT", without time.Parse's generality (it is on every request).
func parseIMFFixdate(s string) (time.Time, bool) {
	if len(s) != len(http.TimeFormat) || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' ||
		s[16] != ' ' || s[19] != ':' || s[22] != ':' || s[25:] != " GMT" {
		return time.Time{}, false
	}
	month := monthOf(s[8], s[9], s[10])
	// A byte less '0' (wrapping) is at most 9 for a digit, so d+6 is at
	// most 15; for any other byte it is 16 to 261. Or-ed, they stay below
	// 16 only when every byte is a digit.
	d := func(i int) uint { return uint(s[i] - '0') }
	bad := (d(5) + 6) | (d(6) + 6) | (d(12) + 6) | (d(13) + 6) | (d(14) + 6) | (d(15) + 6) |
		(d(17) + 6) | (d(18) + 6) | (d(20) + 6) | (d(21) + 6) | (d(23) + 6) | (d(24) + 6)
	day, hour, minute, second := d(5)*10+d(6), d(17)*10+d(18), d(20)*10+d(21), d(23)*10+d(24)
	year := (d(12)*10+d(13))*100 + d(14)*10 + d(15)
	if bad&^15 != 0 || month == 0 || day < 1 || hour > 23 || minute > 59 || second > 59 || year < 1970 {
		return time.Time{}, false
	}
	leap := year%4 == 0 && (year%100 != 0 || year%400 == 0)
	if day > uint(monthDays[month]) && (day != 29 || month != 2 || !leap) {
		return time.Time{}, false // no Feb 30
	}
	y := year - 1 // the leap days before this year, less the 477 before 1970
	days := (year-1970)*365 + y/4 - y/100 + y/400 - 477 + uint(daysBefore[month]) + day - 1
	if leap && month > 2 {
		days++
	}
	// The weekday must agree (1970-01-01 was a Thursday).
	if weekdays[(days+4)%7] != uint32(s[0])|uint32(s[1])<<8|uint32(s[2])<<16 {
		return time.Time{}, false
	}
	return time.Unix(int64(days)*86400+int64(hour*3600+minute*60+second), 0), true
}

// monthDays is the length of each month (February: in a common year), and
// daysBefore the days of a common year before it.
var (
	monthDays  = [13]uint8{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	daysBefore = [13]uint16{0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334}
)

// weekdays are the English abbreviations of the weekdays from Sunday, their
// three bytes little-endian.
var weekdays = func() (w [7]uint32) {
	for i, name := range []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"} {
		w[i] = uint32(name[0]) | uint32(name[1])<<8 | uint32(name[2])<<16
	}
	return w
}()

// monthOf returns the number of a month's English abbreviation, given its
// three letters, or 0.
func monthOf(a, b, c byte) int {
	switch uint32(a)<<16 | uint32(b)<<8 | uint32(c) {
	case 'J'<<16 | 'a'<<8 | 'n':
		return 1
	case 'F'<<16 | 'e'<<8 | 'b':
		return 2
	case 'M'<<16 | 'a'<<8 | 'r':
		return 3
	case 'A'<<16 | 'p'<<8 | 'r':
		return 4
	case 'M'<<16 | 'a'<<8 | 'y':
		return 5
	case 'J'<<16 | 'u'<<8 | 'n':
		return 6
	case 'J'<<16 | 'u'<<8 | 'l':
		return 7
	case 'A'<<16 | 'u'<<8 | 'g':
		return 8
	case 'S'<<16 | 'e'<<8 | 'p':
		return 9
	case 'O'<<16 | 'c'<<8 | 't':
		return 10
	case 'N'<<16 | 'o'<<8 | 'v':
		return 11
	case 'D'<<16 | 'e'<<8 | 'c':
		return 12
	}
	return 0
}

// daysFromCivil counts the days from 1970-01-01 to a Gregorian date
// (Howard Hinnant's algorithm), without time.Date's generality.
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func daysIn(y, m int) int {
	switch {
	case m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0):
		return 29
	case m == 2:
		return 28
	case m == 4 || m == 6 || m == 9 || m == 11:
		return 30
	}
	return 31
}

// digits parses a short run of decimal digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}
