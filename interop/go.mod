module github.com/signet-go/signet/interop

go 1.25.0

require (
	github.com/signet-go/signet/core v0.0.0
	github.com/signet-go/signet/nethttp v0.0.0
	github.com/stretchr/testify v1.12.1
)

require go.yaml.in/yaml/v3 v3.0.5 // indirect

// The interop tests build against the workspace's sources; the replaces
// keep GOWORK=off builds (make gowork-off) on the same sources.
replace (
	github.com/signet-go/signet/core => ../core
	github.com/signet-go/signet/nethttp => ../nethttp
)
