package vectors

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCavageTestKeys: cavage-testkeys.json holds the key table that
// cavage.json embeds, which CavageVectors returns and every Cavage vector
// test verifies with. No test reads cavage-testkeys.json otherwise, so this
// keeps the claim that the vectors use its keys true, member for member
// (decoded generically, so that a member CavageKey does not decode counts
// too).
func TestCavageTestKeys(t *testing.T) {
	var embedded, separate struct {
		Keys map[string]any `json:"keys"`
	}
	require.NoError(t, loadVectors("cavage.json", &embedded))
	require.NoError(t, loadVectors("cavage-testkeys.json", &separate))
	require.NotEmpty(t, separate.Keys)
	assert.Equal(t, separate.Keys, embedded.Keys)

	_, table, err := CavageVectors()
	require.NoError(t, err)
	assert.Len(t, table, len(separate.Keys), "CavageVectors returns the same key ids")
	for id := range separate.Keys {
		assert.Contains(t, table, id)
	}
}
