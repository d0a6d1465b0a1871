package signet

import (
	"context"
	"sync"
	"time"
)

// MemoryNonceStore is a NonceStore in this process's memory: replay
// protection for a service that runs as one instance (several instances
// need a store they share, such as Redis). A record is kept until its time
// has passed on the store's clock, which must be the verifiers' (see Now):
// the verifier says until when, on its own clock.
//
// No Record does work that grows with the records held: each also examines
// a few of the oldest records and forgets those whose time has passed, so
// that at most a quarter of those held have passed, and the memory held
// follows the requests accepted within WithMaxAge, not time (the store
// moves its records into a smaller map when they fall to a quarter of the
// most it has held). One lock guards it, which suits thousands of accepted
// requests a second. The zero value is an empty store on the system clock,
// ready to use; it must not be copied after first use.
type MemoryNonceStore struct {
	// Now is the store's clock, nil for time.Now. A verifier given
	// WithClock must share its clock: on a clock behind the store's, its
	// records would look passed at once, and replays would be accepted. Set
	// it before the first Record.
	Now func() time.Time

	mu    sync.Mutex
	until map[string]time.Time // each record's time, but for those still in old
	old   map[string]time.Time // while the store shrinks, the records not yet moved out of its previous map
	peak  int                  // the most records until has held, which its memory follows: Go maps never shrink
	queue nonceQueue           // the records, in the order the sweep examines them (see nonceEntry)
	work  int                  // the records the last Record examined, its own included, for tests
}

const (
	// memoryNonceSweep is how many queued entries each Record examines, k
	// below. Take the q entries queued at some moment: the next ⌈q/k⌉
	// Records that record a key examine all of them and drop those whose
	// time has passed, while at most ⌈q/k⌉ join the queue. The queue then
	// holds at most L + ⌈q/k⌉ entries, and the store as many records, L
	// being those of the q still in time when examined: on a clock that does
	// not go back, the records in time at that moment (a stale entry, see
	// nonceEntry, had passed already). Over successive passes q settles at
	// most at k/(k−1)·L: with k = 4, the records whose time has passed are
	// at most a quarter of those held. Nothing assumes that records pass in
	// the order they came (verifiers with different windows share a store)
	// or that the clock moves smoothly: after a jump forward, each pass
	// drops all but a k-th of the entries. A Record thus examines 1+k
	// entries and makes at most a few map operations for each; Go's maps
	// (1.24 and later) grow, split and prune one table of at most 1024
	// slots at a time, and at most double the directory of their tables.
	memoryNonceSweep = 4
	// memoryNonceShrink is the fewest records from which the store replaces
	// a map that holds a quarter of the most it has held. It moves the
	// records into the new map as the sweep reaches them, so the old map is
	// empty and dropped within one pass: ⌈q/k⌉ Records that record a key.
	memoryNonceShrink = 1024
)

// NewMemoryNonceStore returns an empty MemoryNonceStore on the system clock.
func NewMemoryNonceStore() *MemoryNonceStore { return &MemoryNonceStore{} }

// Record records key until the given time and reports whether it was new:
// false when key is recorded and its time has not passed.
func (s *MemoryNonceStore) Record(_ context.Context, key string, until time.Time) (bool, error) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	at := now()
	s.mu.Lock()
	defer s.mu.Unlock()
	t, held := s.until[key]
	inOld := false
	if !held && s.old != nil {
		t, inOld = s.old[key]
		held = inOld
	}
	if held && !at.After(t) {
		return false, nil
	}
	if inOld {
		delete(s.old, key)
	}
	if s.until == nil {
		s.until = make(map[string]time.Time)
	}
	s.until[key] = until
	s.peak = max(s.peak, len(s.until))
	s.queue.push(nonceEntry{key, until}) // the entry of a record that had passed is stale now
	s.work = 1 + s.sweep(at)
	return true, nil
}

// sweep examines the memoryNonceSweep entries at the head of the queue as
// the clock reads at: it forgets the records whose time has passed and
// puts the others back at the tail, in the current map. It returns how
// many entries it examined.
func (s *MemoryNonceStore) sweep(at time.Time) int {
	n := min(memoryNonceSweep, s.queue.len())
	for range n {
		e := s.queue.pop()
		if s.old == nil && !at.After(e.until) {
			s.queue.push(e) // in time, in until if it is the key's record
			continue
		}
		t, inUntil := s.until[e.key]
		inOld := false
		if !inUntil {
			t, inOld = s.old[e.key]
		}
		switch {
		case !inUntil && !inOld || !t.Equal(e.until):
			// Stale: the key was recorded anew once this entry's time had
			// passed (and may have been forgotten since).
		case at.After(t) && inUntil:
			delete(s.until, e.key)
		case at.After(t):
			delete(s.old, e.key)
		default:
			if inOld {
				delete(s.old, e.key)
				s.until[e.key] = t
				s.peak = max(s.peak, len(s.until))
			}
			s.queue.push(e)
		}
	}
	if s.old != nil && len(s.old) == 0 {
		s.old = nil
	}
	if s.old == nil && s.peak >= memoryNonceShrink && len(s.until) <= s.peak/4 {
		s.old, s.until, s.peak = s.until, make(map[string]time.Time), 0
	}
	return n
}

// Len returns the number of records held, those whose time has passed but
// that are not forgotten yet included.
func (s *MemoryNonceStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.until) + len(s.old)
}

// nonceEntry is a record in a MemoryNonceStore's queue. Every record has
// one whose until is its time; the others for its key are stale, left
// when it was recorded anew after their time had passed, and dropped when
// the sweep finds them passed. The sweep tells a record in time from its
// entry alone.
type nonceEntry struct {
	key   string
	until time.Time
}

// nonceQueue is a queue of entries held in chunks of a fixed size, so that
// neither a push nor a pop ever copies the entries queued, and the memory
// it holds follows their number. The zero value is an empty queue.
type nonceQueue struct {
	head, tail *nonceChunk
	first      int         // the index of the first entry in head
	n          int         // the entries queued
	spare      *nonceChunk // a chunk emptied, kept for the next one needed
}

// nonceChunk holds entries of a nonceQueue.
type nonceChunk struct {
	entries [64]nonceEntry
	n       int // the entries written
	next    *nonceChunk
}

// len returns the number of entries queued.
func (q *nonceQueue) len() int { return q.n }

// push adds e at the tail.
func (q *nonceQueue) push(e nonceEntry) {
	if q.tail == nil || q.tail.n == len(q.tail.entries) {
		c := q.spare
		if c == nil {
			c = new(nonceChunk)
		}
		q.spare = nil
		if q.tail == nil {
			q.head, q.first = c, 0
		} else {
			q.tail.next = c
		}
		q.tail = c
	}
	q.tail.entries[q.tail.n] = e
	q.tail.n++
	q.n++
}

// pop removes the entry at the head and returns it; the queue must not be
// empty.
func (q *nonceQueue) pop() nonceEntry {
	c := q.head
	e := c.entries[q.first]
	c.entries[q.first] = nonceEntry{} // for the garbage collector
	q.first++
	q.n--
	if q.first == c.n {
		if c == q.tail {
			q.head, q.tail = nil, nil
		} else {
			q.head = c.next
		}
		q.first, c.n, c.next = 0, 0, nil
		q.spare = c
	}
	return e
}
