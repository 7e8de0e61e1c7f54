#!/usr/bin/env bash
# Runs every fuzz target in the module for a short time each (FUZZTIME, default 10s).
#
# Go 1.26's fuzzing engine can report "context deadline exceeded" as the time runs out, with
# no failing input (go.dev/issue/75804, fixed in Go 1.27). A target that ends so is run once
# more; a real failure always writes its input under testdata/fuzz and fails at once.
set -euo pipefail
fuzztime="${FUZZTIME:-10s}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

mapfile -t files < <(grep -rl --include='*_test.go' '^func Fuzz' . | sort)
for file in "${files[@]}"; do
  pkg="./$(dirname "${file#./}")"
  mapfile -t targets < <(grep -o '^func Fuzz[A-Za-z0-9_]*' "$file" | sed 's/^func //')
  for target in "${targets[@]}"; do
    echo "fuzz: $pkg $target ($fuzztime)"
    for attempt in 1 2; do
      if go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" > "$log" 2>&1; then
        break
      fi
      if [ "$attempt" = 1 ] && grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written' "$log"; then
        echo "fuzz: $pkg $target: the engine's end-of-run deadline race, no failing input; running it again"
        continue
      fi
      cat "$log"
      exit 1
    done
  done
done
