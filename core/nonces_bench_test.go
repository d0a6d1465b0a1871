package signet_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	signet "github.com/signet-go/signet/core"
)

// BenchmarkNonceStore records fresh keys in steady state: a request every
// millisecond on the store's clock, each kept for live milliseconds, so
// that about live records are in time at once, as a service accepting
// 1 000 requests a second under a window of live/1000 seconds holds.
func BenchmarkNonceStore(b *testing.B) {
	for _, live := range []int{1_000, 200_000} {
		b.Run(fmt.Sprintf("live=%d", live), func(b *testing.B) {
			// Keys come back once their records have passed, so every
			// Record is fresh and the keys cost nothing in the loop.
			keys := make([]string, 2*live)
			for i := range keys {
				keys[i] = fmt.Sprintf("cavage %064x", i)
			}
			now := time.Unix(1_704_067_200, 0)
			s := &signet.MemoryNonceStore{Now: func() time.Time { return now }}
			window := time.Duration(live) * time.Millisecond
			ctx := context.Background()
			record := func(i int) {
				now = now.Add(time.Millisecond)
				if fresh, _ := s.Record(ctx, keys[i%len(keys)], now.Add(window)); !fresh {
					b.Fatalf("key %d refused", i%len(keys))
				}
			}
			for i := range 4 * len(keys) { // to the steady state
				record(i)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				record(i)
			}
		})
	}
}
