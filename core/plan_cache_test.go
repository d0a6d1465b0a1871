package signet

import (
	"context"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestPlanCache: plans are found by their list, the first plan of a list
// stays, and a full cache makes room for a new plan by evicting another.
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
	c.add("b", plan("b"))
	if got := c.get("a"); got != first { // after another list was the last one used
		t.Fatalf("get(a) = %v after another list, want the first plan", got)
	}
	for i := range 2 * maxPlans {
		list := strconv.Itoa(i)
		c.add(list, plan(list))
		if c.get(list) == nil {
			t.Fatalf("the plan of list %d was not cached", i)
		}
		if len(c.plans) > maxPlans {
			t.Fatalf("%d plans cached, want at most %d", len(c.plans), maxPlans)
		}
	}
	if len(c.plans) != maxPlans {
		t.Fatalf("%d plans cached, want %d", len(c.plans), maxPlans)
	}
	// The plans kept are the ones the map had: each is its list's plan.
	for list, e := range c.plans {
		if e.list != list || *e.plan != list {
			t.Errorf("list %q holds the plan of %q (%q)", list, e.list, *e.plan)
		}
	}
}

// TestPlanCacheFullAdmitsNewLists: once a key holder has filled a Cavage
// verifier's cache with maxPlans lists, another client's list is still
// cached when it verifies, and is then found without being planned again.
func TestPlanCacheFullAdmitsNewLists(t *testing.T) {
	clock := WithClock(func() time.Time { return time.Unix(1_704_067_200, 0) })
	key := NewHMACKey([]byte("plan cache secret"))
	var v *Cavage
	keys, err := NewStaticKeys(Secret{ID: "k", Key: key})
	if err == nil {
		v, err = NewCavage(keys, clock)
	}
	if err != nil {
		t.Fatal(err)
	}
	verify := func(names ...string) string {
		t.Helper()
		signer, err := NewCavageSigner("k", key, CavageSignHeaders(names...), clock)
		if err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest("GET", "http://api.example/x", nil)
		for _, name := range names[1:] { // the signer sets Date
			r.Header.Set(name, "v")
		}
		if err := signer.Sign(r); err != nil {
			t.Fatal(err)
		}
		if _, err := v.Verify(context.Background(), FromHTTP(r)); err != nil {
			t.Fatal(err)
		}
		return strings.Join(names, " ")
	}
	for i := range maxPlans {
		verify("date", "x-fill-"+strconv.Itoa(i))
	}
	mine := verify("date", "x-tenant")
	plan := v.plans.get(mine)
	if plan == nil {
		t.Fatal("a list that verified after the cache filled up was not cached")
	}
	verify("date", "x-tenant")
	if v.plans.get(mine) != plan {
		t.Error("the list was planned again")
	}
	if len(v.plans.plans) != maxPlans {
		t.Errorf("%d plans cached, want %d", len(v.plans.plans), maxPlans)
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
