package signet

import (
	"fmt"
	"net/textproto"
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

// TestCavagePlanLines: each line's prefix and canonical header name, cut
// from strings the plan shares, are those of its name alone, with as many
// allocations for 64 names as for 8.
func TestCavagePlanLines(t *testing.T) {
	c := &cavageConfig{}
	pl := c.plan("(request-target) Date X-Long-Name x-a (created) WWW-authenticate a--b x_y")
	var got []string
	for _, l := range pl.lines {
		got = append(got, l.prefix+"|"+l.canonical)
	}
	want := []string{"(request-target): |", "\ndate: |", "\nx-long-name: |X-Long-Name", "\nx-a: |X-A", "\n(created): |",
		"\nwww-authenticate: |Www-Authenticate", "\na--b: |A--B", "\nx_y: |X_y"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("lines %q, want %q", got, want)
	}
	for _, l := range pl.lines {
		if l.kind == nameHeader && l.canonical != textproto.CanonicalMIMEHeaderKey(l.name) {
			t.Errorf("%s: canonical %q, textproto says %q", l.name, l.canonical, textproto.CanonicalMIMEHeaderKey(l.name))
		}
	}
	list := func(n int) string {
		names := make([]string, n)
		for i := range names {
			names[i] = fmt.Sprintf("X-Name-%d", i)
		}
		return strings.Join(names, " ")
	}
	few, many := list(8), list(64) // 8: fewer share the tiny allocator's blocks
	if a, b := testing.AllocsPerRun(10, func() { c.plan(few) }), testing.AllocsPerRun(10, func() { c.plan(many) }); b > a {
		t.Errorf("%v allocations for 64 names, %v for 8", b, a)
	}
	// Nor do its bytes grow with the spaces between names, past the list's
	// own copy.
	spaced := "(request-target) date" + strings.Repeat(" ", 8000) + "x-a"
	bytes := testing.Benchmark(func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c.plan(spaced)
		}
	}).AllocedBytesPerOp()
	if limit := int64(len(spaced)) + 4<<10; bytes > limit {
		t.Errorf("%d bytes allocated to plan a list of %d bytes, 3 names", bytes, len(spaced))
	}
}
