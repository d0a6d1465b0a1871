# ratios.awk turns `go test -bench` output into ratios: every measurement
# named .../<case>/<name> is divided by the baselines of the same case
# (floor-fresh, floor-reused, plain), e.g.
#   Verify/sasigning/path-method  signet  514 ns  1 allocs  0.97x floor-fresh  3.26x floor-reused
# and, for a middleware's signet, the adapter's target figure
# (signet - plain) / core. With -count N, each figure is the median of its
# N runs (n= says how many).
/^Benchmark/ {
	name = $1; sub(/^Benchmark/, "", name); sub(/-[0-9]+$/, "", name)
	n = split(name, part, "/"); leaf = part[n]
	group = substr(name, 1, length(name) - length(leaf) - 1)
	key = group SUBSEP leaf
	for (i = 2; i <= NF; i++) {
		if ($(i) == "ns/op") runs[key, ++nruns[key]] = $(i - 1) + 0
		if ($(i) == "allocs/op") allocs[key] = $(i - 1)
	}
	if (!(key in seen)) { seen[key] = 1; order[++count] = key }
}

# median of the runs of key (insertion sort: a handful of values)
function median(key,    m, i, j, v, s) {
	m = nruns[key]
	for (i = 1; i <= m; i++) {
		v = runs[key, i]
		for (j = i - 1; j >= 1 && s[j] > v; j--) s[j + 1] = s[j]
		s[j + 1] = v
	}
	return m % 2 ? s[(m + 1) / 2] : (s[m / 2] + s[m / 2 + 1]) / 2
}

END {
	for (k = 1; k <= count; k++) {
		split(order[k], gl, SUBSEP); g = gl[1]; l = gl[2]
		if (l ~ /^(floor-fresh|floor-reused|plain)$/) continue
		ns = median(order[k])
		line = sprintf("%-45s %-13s %9.0f ns %3d allocs  n=%d", g, l, ns, allocs[order[k]], nruns[order[k]])
		split("floor-fresh floor-reused plain", base, " ")
		for (b = 1; b <= 3; b++) {
			bk = g SUBSEP base[b]
			if ((bk in seen) && median(bk) > 0)
				line = line sprintf("  %5.2fx %s", ns / median(bk), base[b])
		}
		if (l == "signet" && ((g SUBSEP "plain") in seen) && ((g SUBSEP "core") in seen))
			line = line sprintf("  %5.2fx (signet-plain)/core", (ns - median(g SUBSEP "plain")) / median(g SUBSEP "core"))
		print line
	}
}
