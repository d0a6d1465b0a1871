// Package benchmarks measures signet beside third-party peers and the raw
// crypto floor, in a module of its own so that core's go.mod stays free of
// the peers. It holds only tests and benchmarks:
//
//	go test -run '^$' -bench . -benchmem ./benchmarks/
package benchmarks
