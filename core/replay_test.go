package signet_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	signet "github.com/signet-go/signet/core"
)

// slowBody is a request whose body takes d (on clock) to arrive: a client
// dribbling it.
type slowBody struct {
	signet.Request
	clock *movingClock
	d     time.Duration
}

func (s slowBody) Body(limit int64) ([]byte, error) {
	s.clock.Advance(s.d)
	return s.Request.Body(limit)
}

// slowKeys is a key store whose lookups take d (on clock).
type slowKeys struct {
	signet.KeyStore
	clock *movingClock
	d     time.Duration
}

func (s slowKeys) Lookup(ctx context.Context, id string) ([]signet.Secret, error) {
	s.clock.Advance(s.d)
	return s.KeyStore.Lookup(ctx, id)
}

// TestReplayAfterSlowRead: a copy of an accepted request whose time checks
// pass but whose body (or key lookup) then takes it past the end of its
// window is refused, not recorded afresh once the first record is gone:
// every copy sent at the window's end with a slow body was accepted.
func TestReplayAfterSlowRead(t *testing.T) {
	start := time.Unix(1_764_480_000, 0)
	clock := &movingClock{t: start}
	key := signet.NewHMACKey([]byte("secret-1"))
	keys := staticKeys(t, signet.Secret{ID: "k", Key: key})

	for _, tc := range []struct {
		name string
		opts []signet.CavageOption
	}{
		// Dated by the Date header: acceptable until the earlier of Date +
		// max age and Date + clock skew.
		{"cavage, a slow body, the max age first", []signet.CavageOption{signet.WithMaxAge(time.Minute)}},
		{"cavage, a slow body, the clock skew first", []signet.CavageOption{signet.WithClockSkew(time.Minute), signet.WithMaxAge(10 * time.Minute)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock.Set(start)
			store := &signet.MemoryNonceStore{Now: clock.Now}
			opts := append([]signet.CavageOption{signet.WithClock(clock.Now), signet.WithNonceStore(store)}, tc.opts...)
			v, err := signet.NewCavage(keys, opts...)
			require.NoError(t, err)
			signer, err := signet.NewCavageSigner("k", key, signet.WithClock(clock.Now))
			require.NoError(t, err)
			const body = `{"transfer":100}`
			out, err := http.NewRequest("POST", "http://api.example/pay", strings.NewReader(body))
			require.NoError(t, err)
			require.NoError(t, signer.Sign(out))
			captured := func() signet.Request {
				r := httptest.NewRequest("POST", "/pay", strings.NewReader(body))
				r.Host, r.Header = "api.example", out.Header.Clone()
				return signet.FromHTTP(r)
			}
			_, err = v.Verify(context.Background(), captured())
			require.NoError(t, err)
			for range 3 {
				clock.Set(start.Add(59 * time.Second)) // within the minute
				_, err := v.Verify(context.Background(), slowBody{captured(), clock, 2 * time.Second})
				assert.ErrorIs(t, err, signet.ErrExpired)
			}
		})
	}
	t.Run("signed URL, a slow key lookup", func(t *testing.T) {
		clock.Set(start)
		store := &signet.MemoryNonceStore{Now: clock.Now}
		v, err := signet.NewSignedURL(slowKeys{keys, clock, 0}, signet.WithClock(clock.Now), signet.WithNonceStore(store))
		require.NoError(t, err)
		signer, err := signet.NewSignedURLSigner("k", key, signet.WithClock(clock.Now))
		require.NoError(t, err)
		signed, err := signer.SignURL("GET", "https://files.example/report.pdf", 10*time.Second)
		require.NoError(t, err)
		request := func() signet.Request {
			return signet.FromHTTP(httptest.NewRequest("GET", strings.TrimPrefix(signed, "https://files.example"), nil))
		}
		_, err = v.Verify(context.Background(), request())
		require.NoError(t, err)
		slow, err := signet.NewSignedURL(slowKeys{keys, clock, 2 * time.Second}, signet.WithClock(clock.Now), signet.WithNonceStore(store))
		require.NoError(t, err)
		for range 3 {
			clock.Set(start.Add(9 * time.Second))
			_, err := slow.Verify(context.Background(), request())
			assert.ErrorIs(t, err, signet.ErrExpired)
		}
	})
}
