// Package signettest holds what tests of signet and of its adapters share:
// the upstream test vectors of every scheme, decoded into Go types, and the
// conformance suite every adapter runs (Run, with a Harness that serves a
// verifier behind the adapter's middleware).
//
//	import "github.com/signet-go/signet/core/signettest"
package signettest
