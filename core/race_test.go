//go:build race

package signet_test

// raceEnabled: the race detector makes sync.Pool drop items, so pooled
// values are allocated again.
const raceEnabled = true
