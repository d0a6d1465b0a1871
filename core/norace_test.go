//go:build !race

package signet_test

const raceEnabled = false
