# Recipes run in bash with pipefail, so that a failure left of a pipe (make bench's tee) fails them.
SHELL       := bash
.SHELLFLAGS := -o pipefail -c
# Every target runs over the modules listed in go.work; none found would make every loop pass.
MODULES  := $(shell go work edit -json | sed -n 's/.*"DiskPath": "\(.*\)".*/\1/p')
$(if $(strip $(MODULES)),,$(error no modules found: make needs go on PATH and go.work))
SHARED   ?= ../shared/vectors
VECTORS  := core/internal/vectors/testdata/vectors
CONTRACT := examples/conformance/CONFORMANCE.md
SUMS     := core/internal/vectors/testdata/SHA256SUMS
FUZZTIME ?= 60s
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
# The newest Go release, which every module is tested with too (go.work asks for 1.26.8).
GO_NEWEST := go1.27.3
# The newest fasthttp served, which the adapters on fasthttp are tested with too (fiber v2 asks for
# v1.51.0, fiber v3 for v1.69.0; the workspace selects the newer). Alone (gowork-off), each of them
# is tested with -race on the version its go.mod asks for.
FASTHTTP_NEWEST := v1.78.0
FASTHTTP_MODULES := fasthttp fiber fiberv3

.PHONY: help test lint vet race go-oldest go-newest fasthttp-newest gowork-off bench-smoke fuzz tidy-check vectors vectors-check bench ratios-check interop

## test: everything CI checks: lint, tidy modules, vectors, race tests, each module alone (on Go 1.26
## and on the oldest Go it allows), the newest Go and fasthttp, every benchmark once, a short fuzz
test: lint tidy-check vectors-check race go-oldest go-newest fasthttp-newest gowork-off bench-smoke ratios-check
	$(MAKE) fuzz FUZZTIME=3000x

## lint: gofmt, go vet and staticcheck (STATICCHECK, run at its pinned version)
lint:
	@unformatted=$$(gofmt -l $(MODULES)); if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	@for m in $(MODULES); do (cd $$m && go vet ./... && go run $(STATICCHECK) ./...) || exit 1; done

vet: lint

## race: go test -race in the workspace
race:
	@for m in $(MODULES); do (cd $$m && go test -race -count=1 ./...) || exit 1; done

## go-oldest: each module's tests, alone, on the oldest Go its go.mod allows (its go line; the go
## command fetches it)
go-oldest:
	@for m in $(MODULES); do v=$$(sed -n 's/^go \([0-9.]*\)$$/\1/p' $$m/go.mod); \
		case $$v in *.*.*) ;; *) v=$$v.0 ;; esac; echo "$$m on go$$v"; \
		(cd $$m && GOWORK=off GOTOOLCHAIN=go$$v go test -count=1 ./...) || exit 1; done

## go-newest: go vet and the tests of every module on GO_NEWEST (the go command fetches it)
go-newest:
	@for m in $(MODULES); do (cd $$m && GOTOOLCHAIN=$(GO_NEWEST) go vet ./... && \
		GOTOOLCHAIN=$(GO_NEWEST) go test -count=1 ./...) || exit 1; done

## fasthttp-newest: the adapters on fasthttp tested (with -race) on FASTHTTP_NEWEST, as an app that
## upgrades fasthttp runs them: go.mod and go.sum stay as they are (a copy, go test -modfile)
fasthttp-newest:
	@for m in $(FASTHTTP_MODULES); do tmp=$$(mktemp -d) || exit 1; cp $$m/go.mod $$m/go.sum "$$tmp"/ && \
	(cd $$m && GOWORK=off go get -modfile="$$tmp"/go.mod github.com/valyala/fasthttp@$(FASTHTTP_NEWEST) && \
	GOWORK=off go test -race -count=1 -modfile="$$tmp"/go.mod ./...); rc=$$?; rm -rf "$$tmp"; [ $$rc = 0 ] || exit $$rc; done

## bench-smoke: every benchmark runs once, so that none is broken (make bench measures)
bench-smoke:
	@for m in $(MODULES); do (cd $$m && go test -run '^$$' -bench . -benchtime 1x ./... > /dev/null) || \
		{ echo "a benchmark fails in $$m: go test -run '^$$' -bench . -benchtime 1x ./..."; exit 1; }; done

## gowork-off: each module builds and tests on its own (with -race on fasthttp, which the workspace
## would give them newer)
gowork-off:
	@for m in $(MODULES); do race=; case " $(FASTHTTP_MODULES) " in *" $${m#./} "*) race=-race ;; esac; \
		(cd $$m && GOWORK=off go test $$race -count=1 ./...) || exit 1; done

## fuzz: every fuzz target for FUZZTIME (make fuzz FUZZTIME=10m), one after another; a run that
## ends with Go's coordinator race and no failing input is run again (see scripts/fuzz.sh)
fuzz:
	FUZZTIME=$(FUZZTIME) scripts/fuzz.sh $(MODULES)

## tidy-check: go.mod and go.sum of every module are tidy
tidy-check:
	@for m in $(MODULES); do (cd $$m && go mod tidy -diff) || { echo "run go mod tidy in $$m"; exit 1; }; done

## vectors: refresh the copies of the shared vectors and conformance contract, and their checksums
vectors:
	rm -f $(VECTORS)/*
	cp $(SHARED)/* $(VECTORS)/
	cp $(SHARED)/../CONFORMANCE.md $(CONTRACT)
	(cd $(dir $(CONTRACT)) && sha256sum CONFORMANCE.md && cd $(CURDIR)/$(VECTORS)/.. && sha256sum vectors/*) > $(SUMS)

## vectors-check: the copies are the shared files recorded in SHA256SUMS (checked on any machine)
## and, when the shared directory is beside the repo, still equal to it
vectors-check:
	@sed -e 's| CONFORMANCE.md$$| $(CONTRACT)|' -e 's| vectors/| $(VECTORS)/|' $(SUMS) | sha256sum --quiet -c - || \
	{ echo "a copy of the shared vectors or contract was edited: run make vectors"; exit 1; }
	@if [ -d $(SHARED) ]; then diff -r $(SHARED) $(VECTORS) && diff $(SHARED)/../CONFORMANCE.md $(CONTRACT) || \
	{ echo "vectors or contract drifted: run make vectors"; exit 1; }; \
	else echo "vectors-check: $(SHARED) not found: checked against SHA256SUMS only"; fi

## bench: every benchmark in ROUNDS interleaved rounds (scripts/bench.sh), then the ratios
## against their baselines
ROUNDS    ?= 6
BENCHTIME ?= 0.5s
bench:
	@ROUNDS=$(ROUNDS) BENCHTIME=$(BENCHTIME) scripts/bench.sh $(MODULES) | tee bench.out
	@awk -f scripts/ratios.awk bench.out

## ratios-check: scripts/ratios.awk still prints the ratios worked out by hand in
## scripts/testdata/ratios.want for the runs of scripts/testdata/bench.txt
ratios-check:
	@awk -f scripts/ratios.awk scripts/testdata/bench.txt | diff scripts/testdata/ratios.want - || \
	{ echo "scripts/ratios.awk no longer prints scripts/testdata/ratios.want"; exit 1; }

## interop: the interoperability suite against the real npm peers (needs Node and npm);
## rewrites the matrix in docs/compatibility.md. Node must satisfy interop/package.json's
## engines (check-node.js, and npm ci --engine-strict for the packages too)
interop:
	cd interop && node check-node.js
	cd interop && npm ci --engine-strict --no-audit --no-fund
	cd interop && go vet -tags interop ./... && go run $(STATICCHECK) -tags interop ./...
	cd interop && go test -tags interop -count=1 -timeout 10m ./...
	@echo "interop: passed; the matrix it observed is in docs/compatibility.md"

## help: what each target does (these lines)
help:
	@sed -n 's/^## //p' $(firstword $(MAKEFILE_LIST))
