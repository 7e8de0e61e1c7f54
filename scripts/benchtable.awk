# Turns `go test -bench` output into one table: benchmark, figure, unit.
# Every custom metric (b.ReportMetric) is a row; ns/op, B/op and allocs/op are shown only for
# benchmarks that report no figure of their own.
BEGIN { printf "%-52s %14s  %s\n", "benchmark", "figure", "unit"; line() }
function line() { printf "%-52s %14s  %s\n", "----------------------------------------------------", "--------------", "----------------" }
/^pkg: / { pkg = $2; sub(/.*\//, "", pkg) }
/^Benchmark/ {
  name = $1; sub(/^Benchmark/, "", name); sub(/-[0-9]+$/, "", name)
  custom = 0
  for (i = 3; i < NF; i += 2) if ($(i+1) !~ /^(ns\/op|B\/op|allocs\/op)$/) custom = 1
  for (i = 3; i < NF; i += 2) {
    unit = $(i+1)
    if (custom && unit ~ /^(ns\/op|B\/op|allocs\/op)$/) continue
    printf "%-52s %14s  %s\n", pkg "." name, $i, unit
  }
}
/^(FAIL|panic:|--- FAIL)/ { failed = 1; print > "/dev/stderr" }
END { if (failed) exit 1 }
