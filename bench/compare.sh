#!/usr/bin/env bash
# Side-by-side timing of plansite, Hugo (and Zola when present) on this machine,
# in one run, on the same RAM disk, with the same hyperfine settings as
# ../shared/bench/run.sh (1 warm-up + 5 runs, full builds).
#
#   apt-get install -y hugo hyperfine time
#   bash bench/zola-npm.sh                # optional: Zola 0.22 at /tmp/zola-npm/zola
#   ZOLA=/tmp/zola-npm/zola bash bench/compare.sh   # SIZES="100 1000 10000" RUNS=5
#
# plansite's sites come from examples/synth.rs at about the same page counts:
# A areas and I indicators give 2 × (A + I + 6) + 3 HTML pages.
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$HERE/../shared/bench}
WORK=${WORK:-/tmp/ssg-bench-ram}
RESULTS=${RESULTS:-/tmp/plansite-bench-results}
RUNS=${RUNS:-5}
SIZES=${SIZES:-"100 1000 10000"}
mkdir -p "$WORK" "$RESULTS"
mountpoint -q "$WORK" || mount -t tmpfs -o size=6g,mode=0755 ssgbench "$WORK"

cargo build --release --quiet --manifest-path "$HERE/Cargo.toml" --bin plansite --example synth
PLANSITE=$HERE/target/release/plansite
SYNTH=$HERE/target/release/examples/synth

# Hugo (and Zola) through the shared harness, on the same tmpfs, results kept.
KEEP=1 TMPFS=1 WORK=$WORK RESULTS=$RESULTS RUNS=$RUNS SIZES="$SIZES" bash "$SHARED/run.sh" > "$RESULTS/harness.log" 2>&1 || { cat "$RESULTS/harness.log"; exit 1; }

for N in $SIZES; do
  case $N in
    100) A=30; I=14 ;;
    1000) A=300; I=194 ;;
    10000) A=3000; I=1994 ;;
    *) A=$((N * 3 / 20)); I=$((N / 10)) ;;
  esac
  SITE=$WORK/plansite-$N
  rm -rf "$SITE"
  "$SYNTH" --areas $A --indicators $I --years 5 "$SITE" 2>/dev/null
  hyperfine -N --style basic --warmup 1 --runs "$RUNS" \
    --prepare "rm -rf $SITE/public" \
    --export-json "$RESULTS/plansite-$N.hyperfine.json" \
    -n "plansite-$N" "$PLANSITE build --root $SITE" > /dev/null
  RSS=()
  for _ in 1 2 3; do
    rm -rf "$SITE/public"
    /usr/bin/time -f '%M' -o "$WORK/rss.txt" "$PLANSITE" build --root "$SITE" 2>/dev/null
    RSS+=("$(tail -1 "$WORK/rss.txt")")
  done
  HTML=$(find "$SITE/public" -name '*.html' | wc -l)
  printf '{"tool": "plansite", "version": "%s", "size": %s, "source_pages": %s, "html_pages": %s, "rss_kb": [%s]}\n' \
    "$("$PLANSITE" --version | awk '{print $2}')" "$N" "$N" "$HTML" "$(IFS=,; echo "${RSS[*]}")" > "$RESULTS/plansite-$N.meta.json"
done
python3 "$SHARED/report.py" "$RESULTS" | tee "$RESULTS/table.md"
