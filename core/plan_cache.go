package signet

import (
	"sync"
	"sync/atomic"
)

// planCache keeps, by the list as sent, what a verifier worked out once
// from a list of signed names (a plan: Cavage's headers=, Signway's
// X-Sw-SignedHeaders), so that the usual request neither re-parses its list
// nor copies the names into its Result. Only verified requests add plans,
// and at most maxPlans: a new plan then evicts an arbitrary one, so that a
// key holder sending maxPlans lists cannot keep every later list out of the
// cache for good. The last plan used is also kept apart: when clients all
// sign the same names, finding it costs a string compare, not a lock and a
// lookup.
type planCache[P any] struct {
	last  atomic.Pointer[cachedPlan[P]]
	mu    sync.RWMutex
	plans map[string]*cachedPlan[P]
}

// cachedPlan is a plan with the list it was worked out from.
type cachedPlan[P any] struct {
	list string
	plan *P
}

const maxPlans = 256

// get returns the cached plan of list, or nil.
func (c *planCache[P]) get(list string) *P {
	if e := c.last.Load(); e != nil && e.list == list {
		return e.plan
	}
	c.mu.RLock()
	e := c.plans[list]
	c.mu.RUnlock()
	if e == nil {
		return nil
	}
	c.last.Store(e)
	return e.plan
}

// add caches plan as the plan of list, unless list has one already. In a
// full cache it takes the place of an arbitrary plan (the first of the
// map's iteration, which Go randomizes).
func (c *planCache[P]) add(list string, plan *P) {
	if e := c.last.Load(); e != nil && e.plan == plan {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.plans == nil {
		c.plans = make(map[string]*cachedPlan[P])
	}
	if c.plans[list] != nil {
		return
	}
	if len(c.plans) >= maxPlans {
		for old := range c.plans {
			delete(c.plans, old)
			break
		}
	}
	e := &cachedPlan[P]{list, plan}
	c.plans[list] = e
	c.last.Store(e)
}
