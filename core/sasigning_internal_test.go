package signet

import "testing"

// TestOverlapsItself: a delimiter with a border can overlap itself.
func TestOverlapsItself(t *testing.T) {
	for d, want := range map[string]bool{"": false, "\n": false, "$": false, "ab": false, "<::>": false,
		"::": true, "aa": true, "aba": true, "abcab": true, "abcabd": false} {
		if got := overlapsItself(d); got != want {
			t.Errorf("overlapsItself(%q) = %v, want %v", d, got, want)
		}
	}
}
