#!/usr/bin/env bash
# release.sh sets every module's requirements on the repository's other
# modules to VERSION, the version all of them are about to be tagged with
# (docs/releasing.md). The replace directives stay: consumers ignore them,
# and they keep the checkout building without the workspace.
#
#	scripts/release.sh v0.1.0
set -euo pipefail
version=${1:?usage: scripts/release.sh vX.Y.Z}
[[ $version =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || { echo "release.sh: $version is not a semantic version" >&2; exit 1; }
cd "$(dirname "$0")/.."
for mod in */go.mod; do
	# the requirement lines on this repository's modules (not the replace lines)
	for dep in $(grep -v '=>' "$mod" | grep -oE 'github\.com/signet-go/signet/[^ ]+ v' | awk '{print $1}'); do
		go mod edit -require="$dep@$version" "$mod"
	done
done
echo "release.sh: the modules now require each other at $version (git diff shows where)"
