package signet

import (
	"testing"
	"time"
)

// TestSince: since agrees with time.Time.Sub, near and far.
func TestSince(t *testing.T) {
	now := time.Now()
	for _, d := range []time.Duration{0, time.Nanosecond, -time.Second, 299 * time.Second, -1 << 62, 1 << 62} {
		for _, u := range []time.Time{now.Add(-d), time.Unix(1_704_067_200, 5).Add(d), {}, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)} {
			if got, want := since(now, u), now.Sub(u); got != want {
				t.Errorf("since(%v, %v) = %v, want %v", now, u, got, want)
			}
		}
	}
}
