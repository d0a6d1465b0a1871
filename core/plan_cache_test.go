package signet

import (
	"strconv"
	"sync"
	"testing"
)

// TestPlanCache: plans are found by their list, the first plan of a list
// stays, and the cache stops growing at maxPlans.
func TestPlanCache(t *testing.T) {
	var c planCache[string]
	plan := func(s string) *string { return &s }
	if c.get("a") != nil {
		t.Fatal("an empty cache found a plan")
	}
	first := plan("a")
	c.add("a", first)
	c.add("a", plan("a, again"))
	if got := c.get("a"); got != first {
		t.Fatalf("get(a) = %v, want the first plan", got)
	}
	for i := range 2 * maxPlans {
		list := strconv.Itoa(i)
		c.add(list, plan(list))
	}
	if len(c.plans) != maxPlans {
		t.Fatalf("%d plans cached, want at most %d", len(c.plans), maxPlans)
	}
	if c.get(strconv.Itoa(2*maxPlans-1)) != nil {
		t.Fatal("a plan was cached beyond maxPlans")
	}
	if got := c.get("a"); got != first { // after another list was the last one used
		t.Fatalf("get(a) = %v after other lists, want the first plan", got)
	}
}

// TestPlanCacheConcurrent runs get and add from several goroutines (for
// go test -race).
func TestPlanCacheConcurrent(t *testing.T) {
	var c planCache[int]
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				list := strconv.Itoa((g + i) % 10)
				if c.get(list) == nil {
					n := i
					c.add(list, &n)
				}
			}
		}()
	}
	wg.Wait()
	if len(c.plans) != 10 {
		t.Fatalf("%d plans, want 10", len(c.plans))
	}
}
