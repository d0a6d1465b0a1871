package signet

import (
	"strings"
	"testing"
)

// TestTooManyNames counts names as plan splits them: words between single
// spaces, empty ones skipped.
func TestTooManyNames(t *testing.T) {
	names := func(n int, sep string) string { return strings.TrimSuffix(strings.Repeat("x"+sep, n), sep) }
	for _, tt := range []struct {
		name, list string
		want       bool
	}{
		{"empty", "", false},
		{"spaces only", strings.Repeat(" ", 4000), false},
		{"64 names", names(64, " "), false},
		{"65 names", names(65, " "), true},
		{"64 names, two spaces apart", names(64, "  "), false},
		{"64 names between spaces", "  " + names(64, "   ") + "  ", false},
		{"65 names, two spaces apart", names(65, "  "), true},
		{"one name with tabs", names(200, "\t"), false}, // one name to the plan, refused by cavageNames
	} {
		if got := tooManyNames(tt.list); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestCavagePlanStopsAtEmptyName: in the api-signature dialect an empty
// name ends the signing string, so a list of thousands of spaces plans one
// line for them, not one each.
func TestCavagePlanStopsAtEmptyName(t *testing.T) {
	c := &cavageConfig{dialect: DialectAPISignature}
	pl := c.plan("(request-target) date" + strings.Repeat(" ", 4000) + "x-a")
	if len(pl.lines) != 3 || pl.lines[2].kind != nameEmpty {
		t.Fatalf("%d lines planned, want (request-target), date and one empty name", len(pl.lines))
	}
	if want := []string{"(request-target)", "date", "x-a"}; strings.Join(pl.covered, " ") != strings.Join(want, " ") {
		t.Errorf("covered %q, want %q", pl.covered, want)
	}
}
