#!/usr/bin/env bash
# fuzz.sh runs every fuzz target of the modules given as arguments for
# FUZZTIME (a duration, or a count such as 3000x), one after another.
#
# Minimizing a new input is capped at 10s: Go's minimizer can spend the whole
# 60s default on one (golang/go#48820). A time-based run may also end with
# "context deadline exceeded" and no failing input: a race in Go's fuzzing
# coordinator at the deadline (golang/go#75804, fixed in Go 1.27), not a
# finding.
# Such a run is run again, twice at most; a run that wrote a failing input
# ("Failing input written to testdata/fuzz/…") fails at once.
#
#	FUZZTIME=10m scripts/fuzz.sh core fiber …
set -euo pipefail
fuzztime=${FUZZTIME:-60s}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
targets=0
for module in "$@"; do
	pkgs=$(cd "$module" && go list ./...) # a module go cannot list stops the run
	for pkg in $pkgs; do
		list=$(cd "$module" && go test -list '^Fuzz' "$pkg") # so does a package that does not build
		for target in $(grep '^Fuzz' <<<"$list" || true); do
			targets=$((targets + 1))
			for attempt in 1 2 3; do
				echo "fuzz $pkg $target ($fuzztime)"
				if (cd "$module" && go test -run '^$' -fuzz "^$target\$" -fuzztime "$fuzztime" \
					-fuzzminimizetime 10s "$pkg") 2>&1 | tee "$log"; then
					break
				fi
				if grep -q 'Failing input written to' "$log" || ! grep -q 'context deadline exceeded' "$log" || [ "$attempt" = 3 ]; then
					exit 1
				fi
				echo "fuzz: the run ended with Go's coordinator race and no failing input; running it again"
			done
		done
	done
done
if [ "$targets" = 0 ]; then
	echo "fuzz.sh: no fuzz targets found in $*" >&2
	exit 1
fi
