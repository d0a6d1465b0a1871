#!/usr/bin/env bash
# bench.sh runs every benchmark of the modules given as arguments in ROUNDS
# rounds: each package's test binary is built once, then every round runs
# every binary once (-test.count 1). So the i-th measurement of signet and
# the i-th of its floors, peers or plain handler come from the same round,
# seconds apart, and scripts/ratios.awk pairs them: drift in the machine's
# speed then moves both sides of a ratio alike (go test -count N would run
# each benchmark N times in a row, minutes away from its baselines).
#
#	ROUNDS=6 BENCHTIME=0.5s scripts/bench.sh core nethttp … > bench.out
set -euo pipefail
rounds=${ROUNDS:-6}
benchtime=${BENCHTIME:-0.5s}
bins=$(mktemp -d)
trap 'rm -rf "$bins"' EXIT
runs=() # "binary directory" pairs
for module in "$@"; do
	dirs=$(cd "$module" && go list -f '{{.Dir}}' ./...) # a module go cannot list stops the run
	for dir in $dirs; do
		list=$(cd "$dir" && go test -list '^Benchmark' .) # so does a package that does not build
		grep -q '^Benchmark' <<<"$list" || continue
		bin="$bins/$(echo "${dir#$PWD/}" | tr / _).test"
		(cd "$dir" && go test -c -o "$bin" .)
		runs+=("$bin $dir")
	done
done
if [ ${#runs[@]} = 0 ]; then
	echo "bench.sh: no benchmarks found in $*" >&2
	exit 1
fi
for round in $(seq "$rounds"); do
	echo "# round $round of $rounds" >&2
	for run in "${runs[@]}"; do
		read -r bin dir <<<"$run"
		(cd "$dir" && "$bin" -test.run '^$' -test.bench . -test.benchmem -test.benchtime "$benchtime")
	done
done
