//go:build !race

package signetfiber_test

const raceEnabled = false
