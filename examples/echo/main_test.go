package main

import (
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	var out strings.Builder
	if err := run(&out); err != nil {
		t.Fatal(err, out.String())
	}
	if !strings.Contains(out.String(), "ACME ordered anvil") {
		t.Fatalf("output %q", out.String())
	}
}
