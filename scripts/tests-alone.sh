#!/usr/bin/env bash
# Runs each test of the given files alone, but the first of each file (docs/testing.md, "Every test runs
# alone"): one vitest process at a time, `-t` anchored on the test's full name. Prints one line a test:
# ok / FAIL, the file and the name; the output of a failure is kept in $OUT (default: a temporary directory).
#   scripts/tests-alone.sh test/month-close.test.ts test/cli.test.ts
set -u
OUT=${OUT:-$(mktemp -d)}
failed=0
for f in "$@"; do
  npx vitest list "$f" --json 2>/dev/null >"$OUT/list.json" || { echo "LIST FAILED $f"; failed=1; continue; }
  node -e '
    const l = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const esc = (s) => s.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&");
    for (const t of l.slice(1)) console.log(t.name + "\t^" + esc(t.name.split(" > ").join(" ")) + "$");
  ' "$OUT/list.json" >"$OUT/names.tsv"
  n=0
  while IFS=$'\t' read -r name pattern; do
    n=$((n + 1))
    log="$OUT/$(basename "$f" .test.ts).$n.log"
    if npx vitest run "$f" -t "$pattern" >"$log" 2>&1; then
      echo "ok    $f  $name"
    else
      echo "FAIL  $f  $name  ($log)"
      failed=1
    fi
  done <"$OUT/names.tsv"
done
exit $failed
