//go:build interop && !linux

package interop

import "os/exec"

// dieWithParent does nothing here: only Linux has a parent-death signal,
// so a -timeout panic, which runs no t.Cleanup, leaves the servers running.
func dieWithParent(*exec.Cmd) {}
