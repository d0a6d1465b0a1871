// Package signettest holds what tests of signet and of its adapters share:
// the upstream test vectors of every scheme, decoded into Go types.
//
//	import "github.com/signet-go/signet/core/signettest"
package signettest
