# ratios.awk turns `go test -bench` output into ratios: every measurement
# named .../<case>/<name> is divided by the baselines of the same case
# (floor-fresh, floor-reused, plain), e.g.
#   Verify/sasigning/path-method  signet  514 ns  1 allocs  0.97x floor-fresh  3.26x floor-reused
/^Benchmark/ {
	name = $1; sub(/^Benchmark/, "", name); sub(/-[0-9]+$/, "", name)
	n = split(name, part, "/"); leaf = part[n]
	group = substr(name, 1, length(name) - length(leaf) - 1)
	for (i = 2; i <= NF; i++) {
		if ($(i) == "ns/op") ns[group, leaf] = $(i - 1)
		if ($(i) == "allocs/op") allocs[group, leaf] = $(i - 1)
	}
	if (!((group, leaf) in seen)) { seen[group, leaf] = 1; order[++count] = group SUBSEP leaf }
}
END {
	for (k = 1; k <= count; k++) {
		split(order[k], gl, SUBSEP); g = gl[1]; l = gl[2]
		if (l ~ /^(floor-fresh|floor-reused|plain)$/) continue
		line = sprintf("%-45s %-12s %9.0f ns %3d allocs", g, l, ns[g, l], allocs[g, l])
		split("floor-fresh floor-reused plain", base, " ")
		for (b = 1; b <= 3; b++)
			if ((g, base[b]) in ns && ns[g, base[b]] > 0)
				line = line sprintf("  %5.2fx %s", ns[g, l] / ns[g, base[b]], base[b])
		print line
	}
}
