package signet_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

func TestMemoryNonceStore(t *testing.T) {
	ctx := context.Background()
	var s signet.MemoryNonceStore // the zero value is ready
	later := time.Now().Add(time.Minute)

	fresh, err := s.Record(ctx, "a", later)
	require.NoError(t, err)
	assert.True(t, fresh)
	fresh, _ = s.Record(ctx, "a", later)
	assert.False(t, fresh, "a replay")
	fresh, _ = s.Record(ctx, "b", later)
	assert.True(t, fresh, "another key")

	fresh, _ = s.Record(ctx, "passed", time.Now().Add(-time.Second))
	assert.True(t, fresh)
	fresh, _ = s.Record(ctx, "passed", later)
	assert.True(t, fresh, "a record whose time has passed is forgotten")
	fresh, _ = s.Record(ctx, "passed", later)
	assert.False(t, fresh, "and recorded afresh")
}

// TestMemoryNonceStoreForgets: memory grows with the records still in
// time, not with the requests ever recorded.
func TestMemoryNonceStoreForgets(t *testing.T) {
	ctx := context.Background()
	s := signet.NewMemoryNonceStore()
	past := time.Now().Add(-time.Second)
	for i := range 10_000 {
		_, _ = s.Record(ctx, fmt.Sprint("old ", i), past)
	}
	assert.LessOrEqual(t, s.Len(), 1024, "passed records are forgotten")

	later := time.Now().Add(time.Hour)
	for i := range 3000 {
		fresh, _ := s.Record(ctx, fmt.Sprint("live ", i), later)
		require.True(t, fresh)
	}
	assert.GreaterOrEqual(t, s.Len(), 3000, "records in time are all kept")
	for i := range 3000 {
		fresh, _ := s.Record(ctx, fmt.Sprint("live ", i), later)
		require.False(t, fresh, "live %d is still recorded", i)
	}
}

// TestMemoryNonceStoreClock: a verifier on its own clock (WithClock) and a
// store on the same clock detect a replay, however far that clock is from
// the system's.
func TestMemoryNonceStoreClock(t *testing.T) {
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { return at }
	opts := []signet.SASigningOption{
		signet.SASigningFields("method", "path", "timestamp"), signet.SASigningDelimiter("\n"), signet.WithClock(clock),
	}
	key := signet.NewHMACKey([]byte("secret-key"))
	v, err := signet.NewSASigning(staticKeys(t, signet.Secret{ID: "k", Key: key}),
		append(opts, signet.WithNonceStore(&signet.MemoryNonceStore{Now: clock}))...)
	require.NoError(t, err)
	signer, err := signet.NewSASigningSigner(key, opts...)
	require.NoError(t, err)
	out, err := http.NewRequest("GET", "https://api.example.com/x", nil)
	require.NoError(t, err)
	require.NoError(t, signer.Sign(out))
	for i, want := range []error{nil, signet.ErrReplayed} {
		r := httptest.NewRequest("GET", "/x", nil)
		r.Header = out.Header.Clone()
		_, err := v.Verify(context.Background(), signet.FromHTTP(r))
		if want == nil {
			assert.NoError(t, err, "request %d", i)
		} else {
			assert.ErrorIs(t, err, want, "request %d", i)
		}
	}
}

// TestMemoryNonceStoreConcurrent: of requests racing with one key, exactly
// one is fresh.
func TestMemoryNonceStoreConcurrent(t *testing.T) {
	s := signet.NewMemoryNonceStore()
	later := time.Now().Add(time.Minute)
	for round := range 50 {
		var fresh atomic.Int32
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if ok, _ := s.Record(context.Background(), fmt.Sprint(round), later); ok {
					fresh.Add(1)
				}
			}()
		}
		wg.Wait()
		assert.Equal(t, int32(1), fresh.Load(), "round %d", round)
	}
}

// A MemoryNonceStore protects a single instance against replays: a signed
// request is accepted once.
func ExampleMemoryNonceStore() {
	opts := []signet.SASigningOption{
		signet.SASigningFields("method", "path", "body", "timestamp"),
		signet.SASigningDelimiter("\n"),
	}
	key := signet.NewHMACKey([]byte("secret-key"))
	keys, _ := signet.NewStaticKeys(signet.Secret{ID: "billing", Key: key})
	verifier, err := signet.NewSASigning(keys, append(opts, signet.WithNonceStore(signet.NewMemoryNonceStore()))...)
	if err != nil {
		panic(err)
	}

	signer, _ := signet.NewSASigningSigner(key, opts...)
	out, _ := http.NewRequest("POST", "https://api.example.com/pay", nil)
	_ = signer.Sign(out)
	for range 2 {
		r := httptest.NewRequest("POST", "/pay", nil)
		r.Header = out.Header.Clone()
		_, err := verifier.Verify(context.Background(), signet.FromHTTP(r))
		if e := signet.AsError(err); e != nil {
			fmt.Println(e.Status(), e.Code())
		} else {
			fmt.Println("accepted")
		}
	}
	// Output:
	// accepted
	// 401 replayed
}
