//go:build !race

package signetfasthttp_test

const raceEnabled = false
