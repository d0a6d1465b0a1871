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
	assert.Equal(t, `signed:  200 OK Ada's /files/report.pdf`, lines[0])
	assert.Equal(t, `edited:  401 Unauthorized {"error":"invalid_signature","message":"the signature does not match the request"}`, lines[1])
}
