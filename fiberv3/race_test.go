//go:build race

package signetfiber_test

// raceEnabled: the race detector makes sync.Pool drop items, so pooled
// values are allocated again.
const raceEnabled = true
