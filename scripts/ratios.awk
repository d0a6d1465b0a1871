# ratios.awk turns `go test -bench` output into the ratios docs/performance.md
# quotes: every measurement named .../<case>/<name> is divided by the
# baselines of the same case (floor-fresh, floor-reused), run i by run i, e.g.
#   Verify/sasigning/path-method  signet  514 ns  1 allocs  n=6  floor-fresh 0.80 (0.74-1.01)
# printing the median of the paired ratios and their range. A peer is also
# compared with signet ("x signet": how many times slower it is), and a
# middleware's signet gives the adapter's target figure (signet - plain) /
# core. Run with -count N (N runs of each benchmark, interleaved or not: the
# i-th measurement of one name is paired with the i-th of another).
/^Benchmark/ {
	name = $1; sub(/^Benchmark/, "", name); sub(/-[0-9]+$/, "", name)
	n = split(name, part, "/"); leaf = part[n]
	group = substr(name, 1, length(name) - length(leaf) - 1)
	key = group SUBSEP leaf
	for (i = 2; i <= NF; i++) {
		if ($(i) == "ns/op") ns[key, ++runs[key]] = $(i - 1) + 0
		if ($(i) == "allocs/op") allocs[key] = $(i - 1)
	}
	if (!(key in seen)) { seen[key] = 1; order[++count] = key }
}

# median of v[1..m] (insertion sort: a handful of values)
function median(v, m,    i, j, x, s) {
	for (i = 1; i <= m; i++) {
		x = v[i]
		for (j = i - 1; j >= 1 && s[j] > x; j--) s[j + 1] = s[j]
		s[j + 1] = x
	}
	return m % 2 ? s[(m + 1) / 2] : (s[m / 2] + s[m / 2 + 1]) / 2
}

# paired formats the ratios of the runs of key to the runs of base (minus
# the runs of minus, and over the runs of over, when given) as
# "median (min-max)".
function paired(key, base, minus, over,    m, i, r, lo, hi) {
	m = runs[key]
	if (base != "" && runs[base] < m) m = runs[base]
	if (minus != "" && runs[minus] < m) m = runs[minus]
	if (over != "" && runs[over] < m) m = runs[over]
	for (i = 1; i <= m; i++) {
		r[i] = over == "" ? ns[key, i] / ns[base, i] : (ns[key, i] - ns[minus, i]) / ns[over, i]
		if (i == 1 || r[i] < lo) lo = r[i]
		if (i == 1 || r[i] > hi) hi = r[i]
	}
	return sprintf("%.2f (%.2f-%.2f)", median(r, m), lo, hi)
}

END {
	for (k = 1; k <= count; k++) {
		key = order[k]; split(key, gl, SUBSEP); g = gl[1]; l = gl[2]
		if (l ~ /^(floor-fresh|floor-reused|plain)$/) continue
		for (i = 1; i <= runs[key]; i++) v[i] = ns[key, i]
		line = sprintf("%-45s %-13s %9.0f ns %3d allocs  n=%d", g, l, median(v, runs[key]), allocs[key], runs[key])
		split("floor-fresh floor-reused", bases, " ")
		for (b = 1; b <= 2; b++)
			if ((g SUBSEP bases[b]) in seen)
				line = line "  " bases[b] " " paired(key, g SUBSEP bases[b])
		if (l !~ /^(signet|core|core-in-fiber|adapter)$/ && ((g SUBSEP "signet") in seen))
			line = line "  x signet " paired(key, g SUBSEP "signet")
		if (l ~ /^(signet|adapter|core-in-fiber)$/ && ((g SUBSEP "plain") in seen) && ((g SUBSEP "core") in seen))
			line = line "  (" l "-plain)/core " paired(key, "", g SUBSEP "plain", g SUBSEP "core")
		print line
	}
}
