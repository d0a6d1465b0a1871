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
// the verifier says until when, on its own clock. When the store has
// doubled since it last looked, it forgets the records whose time has
// passed and keeps the others in a map of their size, so the memory held
// follows the requests accepted within WithMaxAge (and a minute), not time. One lock
// guards it, which suits thousands of accepted requests a second. The zero
// value is an empty store on the system clock, ready to use; it must not be
// copied after first use.
type MemoryNonceStore struct {
	// Now is the store's clock, nil for time.Now. A verifier given
	// WithClock must share its clock: on a clock behind the store's, its
	// records would look passed at once, and replays would be accepted. Set
	// it before the first Record.
	Now func() time.Time

	mu      sync.Mutex
	until   map[string]time.Time
	sweepAt int // the number of records from which Record forgets the passed ones
}

// memoryNonceSweep is the fewest records from which a MemoryNonceStore
// looks for records to forget.
const memoryNonceSweep = 1024

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
	if t, ok := s.until[key]; ok && !at.After(t) {
		return false, nil
	}
	if s.until == nil {
		s.until = make(map[string]time.Time)
	}
	s.until[key] = until
	if len(s.until) >= max(s.sweepAt, memoryNonceSweep) {
		live := make(map[string]time.Time, len(s.until)/2)
		for k, t := range s.until {
			if !at.After(t) {
				live[k] = t
			}
		}
		s.until, s.sweepAt = live, 2*len(live)
	}
	return true, nil
}

// Len returns the number of records held, those whose time has passed but
// that are not forgotten yet included.
func (s *MemoryNonceStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.until)
}
