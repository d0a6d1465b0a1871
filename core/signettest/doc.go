// Package signettest holds what tests of signet and of its adapters share:
// the upstream test vectors of every scheme, decoded into Go types, and the
// conformance suite every adapter runs (Run, with a Harness that builds the
// adapter's middleware and serves a verifier behind it).
//
//	import "github.com/signet-go/signet/core/signettest"
package signettest
