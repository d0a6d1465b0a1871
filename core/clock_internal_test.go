package signet

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestSystemClock checks that SystemClock reads the wall clock time.Now
// reads, from any goroutine, and takes a new anchor once its anchor is a
// second old.
func TestSystemClock(t *testing.T) {
	// Each reading lies between time.Now readings taken around it (with a
	// microsecond for the two readings time.Now makes).
	check := func() {
		before := time.Now().Round(0)
		got := SystemClock().Round(0) // the wall clock
		after := time.Now().Round(0)
		assert.False(t, got.Before(before.Add(-time.Microsecond)), "%v before %v", got, before)
		assert.False(t, got.After(after.Add(time.Microsecond)), "%v after %v", got, after)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 1000 {
				check()
			}
		}()
	}
	wg.Wait()

	old := time.Now().Add(-clockAnchorAge - time.Millisecond) // a second and a bit ago, monotonic reading included
	clockAnchor.Store(&old)
	check()
	assert.NotSame(t, &old, clockAnchor.Load(), "a new anchor")
	assert.Less(t, time.Since(*clockAnchor.Load()), clockAnchorAge)
}

// BenchmarkClock measures SystemClock beside time.Now.
func BenchmarkClock(b *testing.B) {
	var sink time.Time
	b.Run("SystemClock", func(b *testing.B) {
		for b.Loop() {
			sink = SystemClock()
		}
	})
	b.Run("time.Now", func(b *testing.B) {
		for b.Loop() {
			sink = time.Now()
		}
	})
	_ = sink
}
