package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRun runs the example and checks what it printed.
func TestRun(t *testing.T) {
	var out strings.Builder
	require.NoError(t, run(&out))
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	require.Len(t, lines, 2, out.String())
	assert.Equal(t, `signed:   200 OK hello Ada, you sent "amount=10"`, lines[0])
	assert.Equal(t, `tampered: 400 Bad Request {"error":"digest_mismatch","message":"the body does not match the Digest header"}`, lines[1])
}
