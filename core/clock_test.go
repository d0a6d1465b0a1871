package signet_test

import (
	"math"
	"time"

	signet "github.com/signet-go/signet/core"
)

// The tests' clocks: verifiers and signers at a fixed instant.

// fixedClock is a clock that always reads t.
func fixedClock(t time.Time) signet.Option {
	return signet.WithClock(func() time.Time { return t })
}

// clockAt is a clock at unix seconds.
func clockAt(unix int64) signet.Option { return fixedClock(time.Unix(unix, 0)) }

// clockAtUnix is a clock at s unix seconds, fractions kept.
func clockAtUnix(s float64) signet.Option { return fixedClock(unixTime(s)) }

// unixTime is the instant of s unix seconds, fractions kept.
func unixTime(s float64) time.Time {
	whole := math.Floor(s)
	return time.Unix(int64(whole), int64(math.Round((s-whole)*1e9)))
}
