package signet

import (
	"context"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nonceRun drives a MemoryNonceStore on a fake clock and checks, after
// every Record, what its doc comment promises: no Record examines more
// than its key and memoryNonceSweep others, each pass over the queue
// leaves at most the records in time at its start and a k-th of those
// queued, and a map replaced by a smaller one is dropped within one pass.
type nonceRun struct {
	t   *testing.T
	s   *MemoryNonceStore
	now time.Time

	// A pass: the Records that examine every entry queued at its start,
	// and whether the clock went back during it.
	passLeft, passQueued, passLive int
	passBack                       bool
	last                           time.Time // the clock at the last Record
	// A shrink: the Records left before the old map must be gone, and
	// the shrinks so far.
	shrinkLeft, shrinks int
}

func newNonceRun(t *testing.T) *nonceRun {
	r := &nonceRun{t: t, now: time.Unix(1_704_067_200, 0)}
	r.s = &MemoryNonceStore{Now: func() time.Time { return r.now }}
	return r
}

// live counts the records in time, from outside the store.
func (r *nonceRun) live() int {
	n := 0
	for _, m := range []map[string]time.Time{r.s.until, r.s.old} {
		for _, t := range m {
			if !r.now.After(t) {
				n++
			}
		}
	}
	return n
}

// record records key until the given time, checks the store's bounds and
// returns what Record answered.
func (r *nonceRun) record(key string, until time.Time, live func() int) bool {
	r.t.Helper()
	s := r.s
	if r.passLeft == 0 { // a new pass
		r.passQueued, r.passLive = s.queue.len(), live()
		r.passLeft = (r.passQueued + memoryNonceSweep - 1) / memoryNonceSweep
		r.passBack = false
	}
	r.passBack = r.passBack || r.now.Before(r.last)
	r.last = r.now
	hadOld := s.old != nil
	s.work = 0
	fresh, err := s.Record(context.Background(), key, until)
	require.NoError(r.t, err)
	if !fresh {
		return false
	}
	require.LessOrEqual(r.t, s.work, 1+memoryNonceSweep, "the entries one Record examined")
	if r.passLeft--; r.passLeft == 0 && !r.passBack { // (records passed may be in time again)
		require.LessOrEqual(r.t, s.Len(), r.passLive+(r.passQueued+memoryNonceSweep-1)/memoryNonceSweep,
			"records held after a pass over %d, %d of them in time", r.passQueued, r.passLive)
	}
	switch {
	case s.old != nil && !hadOld: // a shrink starts: every key is queued
		r.shrinkLeft = (s.queue.len() + memoryNonceSweep - 1) / memoryNonceSweep
		r.shrinks++
	case s.old != nil:
		r.shrinkLeft--
		require.Positive(r.t, r.shrinkLeft, "the old map is still there after a pass")
	default:
		require.Less(r.t, s.peak, max(memoryNonceShrink, 4*len(s.until)), "a map holding a quarter of its peak is kept")
	}
	return true
}

// TestMemoryNonceStoreSteadyWork: at a request a millisecond under three
// windows (verifiers with different WithMaxAge sharing the store), no Record
// examines more than 1+memoryNonceSweep records, and the records whose time
// has passed stay under a quarter of those held. The store it replaces
// copied every record at each sweep: 200 000 and more under the lock.
func TestMemoryNonceStoreSteadyWork(t *testing.T) {
	r := newNonceRun(t)
	windows := []time.Duration{5 * time.Second, 16 * time.Second, 11 * time.Second}
	// Records in time, counted from outside: ends[i] is the number of
	// records whose time passes at the i-th millisecond.
	ends := map[int]int{}
	live := 0
	const n = 150_000
	for i := range n {
		r.now = r.now.Add(time.Millisecond)
		live -= ends[i-1]
		delete(ends, i-1)
		w := windows[i%len(windows)]
		require.True(t, r.record("k"+strconv.Itoa(i), r.now.Add(w), func() int { return live }), "key %d", i)
		ends[i+int(w/time.Millisecond)]++
		live++
		if i > 4*int(16*time.Second/time.Millisecond) { // settled
			require.LessOrEqual(t, 4*(r.s.Len()-live), r.s.Len(), "records passed, of %d held, %d in time", r.s.Len(), live)
		}
	}
	t.Logf("%d records held, %d in time, map peak %d", r.s.Len(), live, r.s.peak)
}

// TestMemoryNonceStoreShrinks: after a burst, and after the clock jumps
// forward past every record, the store forgets the records a pass at a
// time and moves the others into a map of their size, never copying them
// at once.
func TestMemoryNonceStoreShrinks(t *testing.T) {
	r := newNonceRun(t)
	i := 0
	steady := func(n int, window time.Duration) {
		for range n {
			r.now = r.now.Add(time.Millisecond)
			require.True(t, r.record("k"+strconv.Itoa(i), r.now.Add(window), r.live))
			i++
		}
	}
	burst := func(n int, window time.Duration) {
		for range n {
			require.True(t, r.record("k"+strconv.Itoa(i), r.now.Add(window), r.live))
			i++
		}
	}
	burst(50_000, time.Second)
	steady(20_000, 10*time.Second)
	assert.Less(t, r.s.Len(), 20_000, "the burst is forgotten")
	steady(60_000, 10*time.Second)
	assert.Nil(t, r.s.old, "the burst's map is dropped")
	assert.LessOrEqual(t, r.s.Len(), 10_000*4/3+memoryNonceSweep, "records held")
	assert.Less(t, r.s.peak, 4*10_000, "the map follows the records held")

	r.now = r.now.Add(time.Hour) // every record passes at once
	steady(30_000, time.Second)
	assert.Nil(t, r.s.old)
	assert.LessOrEqual(t, r.s.Len(), 1000*4/3+memoryNonceSweep, "records held")
	assert.Less(t, r.s.peak, max(memoryNonceShrink, 4*r.s.Len()), "the map follows the records held")
}

// TestMemoryNonceStoreModel: under random keys, windows and clock moves,
// forward and back, the store answers as one that forgets nothing would,
// but for records it forgot when their time had passed, before the clock
// went back; and its queue holds every key once.
func TestMemoryNonceStoreModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	r := newNonceRun(t)
	model := map[string]time.Time{}
	refused := 0
	high := r.now // the latest the clock has read
	for i := range 150_000 {
		switch x := rng.IntN(1000); {
		case x == 0:
			r.now = r.now.Add(time.Duration(rng.IntN(600)) * time.Second) // a jump forward
		case x == 1:
			r.now = r.now.Add(-time.Duration(rng.IntN(120)) * time.Second) // and back
		default:
			r.now = r.now.Add(time.Duration(rng.IntN(3)) * time.Millisecond)
		}
		key := strconv.Itoa(rng.IntN(20_000))
		until := r.now.Add(time.Duration(rng.IntN(120_000)-1000) * time.Millisecond)
		t0, seen := model[key]
		want := !seen || r.now.After(t0)
		got := r.record(key, until, r.live)
		if want || !high.After(t0) { // the store may have forgotten a record that passed before the clock went back
			require.Equal(t, want, got, "Record %d of %q: now %v, high %v, t0 %v, until %v", i, key, r.now, high, t0, until)
		}
		if got {
			model[key] = until
		}
		if !got {
			refused++
		}
		if r.now.After(high) {
			high = r.now
		}
		if i%10_000 == 0 {
			checkNonceQueue(t, r.s)
		}
	}
	checkNonceQueue(t, r.s)
	assert.Greater(t, refused, 1000, "replays")
	assert.Greater(t, r.shrinks, 10, "maps replaced")
}

// checkNonceQueue checks that every record is in one map and queued with
// its time, and that the queue holds nothing else but stale entries.
func checkNonceQueue(t *testing.T, s *MemoryNonceStore) {
	t.Helper()
	queued := map[nonceEntry]bool{}
	entries := 0
	for c, first := s.queue.head, s.queue.first; c != nil; c, first = c.next, 0 {
		for _, e := range c.entries[first:c.n] {
			queued[nonceEntry{e.key, e.until.UTC()}] = true
			entries++
		}
	}
	require.Equal(t, s.queue.len(), entries)
	for key, until := range s.until {
		require.NotContains(t, s.old, key)
		require.True(t, queued[nonceEntry{key, until.UTC()}], "%q is recorded until %v, not queued so", key, until)
	}
	for key, until := range s.old {
		require.True(t, queued[nonceEntry{key, until.UTC()}], "%q is recorded until %v, not queued so", key, until)
	}
}

// TestNonceQueue: entries come out in the order they went in, across
// chunks, and an emptied queue starts afresh.
func TestNonceQueue(t *testing.T) {
	var q nonceQueue
	next, want := 0, 0
	for _, step := range []struct{ push, pop int }{{1, 1}, {300, 100}, {0, 200}, {64, 0}, {1, 65}, {500, 500}} {
		for range step.push {
			q.push(nonceEntry{key: strconv.Itoa(next)})
			next++
		}
		for range step.pop {
			require.Equal(t, strconv.Itoa(want), q.pop().key)
			want++
		}
		require.Equal(t, next-want, q.len())
	}
	assert.Nil(t, q.head)
	assert.Nil(t, q.tail)
}
