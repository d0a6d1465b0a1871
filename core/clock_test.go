package signet_test

import (
	"math"
	"sync"
	"time"

	signet "github.com/signet-go/signet/core"
)

// The tests' clocks: verifiers and signers at a fixed instant, or at one
// a test moves.

// fixedClock is a clock that always reads t.
func fixedClock(t time.Time) signet.Option {
	return signet.WithClock(func() time.Time { return t })
}

// benchClock is a benchmark verifier's clock: it reads t, after reading
// the system clock as the default clock does, so that a benchmark pays what
// a server pays for each verification that checks a time.
func benchClock(t time.Time) signet.Option {
	return signet.WithClock(func() time.Time {
		//lint:ignore SA4017 the read a server pays for, its result unused
		time.Now()
		return t
	})
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

// movingClock is a clock tests move, shared by a verifier and its store.
type movingClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *movingClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *movingClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

func (c *movingClock) Advance(d time.Duration) { c.Set(c.Now().Add(d)) }
