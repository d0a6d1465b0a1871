//go:build interop

package interop

import (
	"flag"
	"testing"
)

// TestInterop starts the servers once and runs every direction against
// them, one after the other (they share the servers' configuration). A
// full run (no -run) fails on a matrix cell whose checks did not all run
// and pass, and writes the matrix it observed to docs/compatibility.md.
func TestInterop(t *testing.T) {
	s := startServers(t)
	t.Run("self-test", func(t *testing.T) { testSelf(t, s) })
	t.Run("peers-to-signet", func(t *testing.T) { testPeersToSignet(t, s) })
	t.Run("signet-to-peers", func(t *testing.T) { testSignetToPeers(t, s) })
	t.Run("vectors-to-signet", func(t *testing.T) { testVectorsToSignet(t, s) })
	if flag.Lookup("test.run").Value.String() == "" {
		for _, c := range observed.incomplete() {
			t.Errorf("matrix cell %s", c)
		}
		writeMatrix(t)
	}
}
