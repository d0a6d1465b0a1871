module github.com/signet-go/signet/examples

go 1.24

require (
	github.com/signet-go/signet/core v0.0.0
	github.com/signet-go/signet/nethttp v0.0.0
)

require (
	github.com/stretchr/testify v1.12.1
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)

replace (
	github.com/signet-go/signet/core => ../core
	github.com/signet-go/signet/nethttp => ../nethttp
)
