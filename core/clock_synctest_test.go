//go:build go1.25

package signet_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	signet "github.com/signet-go/signet/core"
)

// TestDefaultClockFollowsSynctest: the default clock of verifiers, signers
// and MemoryNonceStore is time.Now, so a test of an application's expiry
// runs on testing/synctest's fake clock. (A default clock reading the wall
// clock itself, gettimeofday through the vDSO, was tried: in a bubble, an
// expired link verified.)
func TestDefaultClockFollowsSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		key := signet.NewHMACKey([]byte(strings.Repeat("s", 64)))
		keys, err := signet.NewStaticKeys(signet.Secret{ID: "k", Key: key})
		if err != nil {
			t.Fatal(err)
		}
		signer, err := signet.NewSignedURLSigner("k", key)
		if err != nil {
			t.Fatal(err)
		}
		v, err := signet.NewSignedURL(keys, signet.WithNonceStore(signet.NewMemoryNonceStore()))
		if err != nil {
			t.Fatal(err)
		}
		verify := func(link string) error {
			_, err := v.Verify(context.Background(), signet.FromHTTP(httptest.NewRequest("GET", link, nil)))
			return err
		}

		link, err := signer.SignURL("GET", "/report.pdf", time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		if err := verify(link); err != nil {
			t.Fatalf("a fresh link: %v", err)
		}
		if err := verify(link); !errors.Is(err, signet.ErrReplayed) {
			t.Fatalf("the same link again: %v, want replayed", err)
		}
		time.Sleep(2 * time.Minute) // on the bubble's clock
		if err := verify(link); !errors.Is(err, signet.ErrExpired) {
			t.Errorf("after its minute has passed: %v, want expired", err)
		}
	})
}
