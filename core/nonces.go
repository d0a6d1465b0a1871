package signet

import (
	"context"
	"sync"
	"time"
)

// MemoryNonceStore is a NonceStore in this process's memory: replay
// protection for a service that runs as one instance (several instances
// need a store they share, such as Redis). A record is kept until its time
// has passed on the system clock, so the memory held grows with the
// requests accepted within WithMaxAge, not with time: when the store has
// doubled since it last looked, it forgets the records whose time has
// passed. One lock guards it, which suits thousands of accepted requests a
// second. The zero value is an empty store, ready to use; it must not be
// copied after first use.
type MemoryNonceStore struct {
	mu      sync.Mutex
	until   map[string]time.Time
	sweepAt int // the number of records from which Record forgets the passed ones
}

// memoryNonceSweep is the fewest records from which a MemoryNonceStore
// looks for records to forget.
const memoryNonceSweep = 1024

// NewMemoryNonceStore returns an empty MemoryNonceStore.
func NewMemoryNonceStore() *MemoryNonceStore { return &MemoryNonceStore{} }

// Record records key until the given time and reports whether it was new:
// false when key is recorded and its time has not passed.
func (s *MemoryNonceStore) Record(_ context.Context, key string, until time.Time) (bool, error) {
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.until[key]; ok && !now.After(t) {
		return false, nil
	}
	if s.until == nil {
		s.until = make(map[string]time.Time)
	}
	s.until[key] = until
	if len(s.until) >= max(s.sweepAt, memoryNonceSweep) {
		for k, t := range s.until {
			if now.After(t) {
				delete(s.until, k)
			}
		}
		s.sweepAt = 2 * len(s.until)
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
