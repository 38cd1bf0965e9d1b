#!/usr/bin/env bash
# Side-by-side timing of plansite, Hugo (and Zola when present) on this machine,
# in one run, on the same RAM disk, with the same hyperfine settings as
# ../shared/bench/run.sh (1 warm-up + 5 runs, full builds).
#
#   apt-get install -y hugo hyperfine time
#   bash bench/compare.sh        # SIZES="100 1000 10000" RUNS=5 BRACKET=1
#
# Zola is the native build in ../shared/bench/bin when present (run.sh uses
# it; set ZOLA=… for another).
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

# plansite's sites come first, then its timing (see `time_plansite`).
for N in $SIZES; do
  case $N in
    100) A=30; I=14 ;;
    1000) A=300; I=194 ;;
    10000) A=3000; I=1994 ;;
    *) A=$((N * 3 / 20)); I=$((N / 10)) ;;
  esac
  rm -rf "$WORK/plansite-$N"
  "$SYNTH" --areas $A --indicators $I --years 5 "$WORK/plansite-$N" 2>/dev/null
done

# time_plansite TOOL SUFFIX DIR: hyperfine and peak RSS of plansite at every size.
time_plansite() {
  for N in $SIZES; do
    SITE=$WORK/plansite-$N
    hyperfine -N --style basic --warmup 1 --runs "$RUNS" \
      --prepare "rm -rf $SITE/public" \
      --export-json "$3/plansite$2-$N.hyperfine.json" \
      -n "plansite-$N" "$PLANSITE build --root $SITE" > /dev/null
    RSS=()
    for _ in 1 2 3; do
      rm -rf "$SITE/public"
      /usr/bin/time -f '%M' -o "$WORK/rss.txt" "$PLANSITE" build --root "$SITE" 2>/dev/null
      RSS+=("$(tail -1 "$WORK/rss.txt")")
    done
    HTML=$(find "$SITE/public" -name '*.html' | wc -l)
    printf '{"tool": "%s", "version": "%s", "size": %s, "source_pages": %s, "html_pages": %s, "rss_kb": [%s]}\n' \
      "$1" "$("$PLANSITE" --version | awk '{print $2}')" "$N" "$N" "$HTML" "$(IFS=,; echo "${RSS[*]}")" > "$3/plansite$2-$N.meta.json"
  done
}

# BRACKET=1 times plansite before Hugo and Zola as well as after them: the
# machine's speed drifts by up to 20 % within minutes, and a second plansite
# row shows how much it moved during the run.
# (The harness empties RESULTS when it starts, so these wait beside it.)
BEFORE=$WORK/plansite-before
rm -rf "$BEFORE"
mkdir -p "$BEFORE"
if [ "${BRACKET:-0}" = 1 ]; then
  time_plansite "plansite (before)" "-before" "$BEFORE"
fi

# Hugo (and Zola) through the shared harness, on the same tmpfs, results kept.
KEEP=1 TMPFS=1 WORK=$WORK RESULTS=$RESULTS RUNS=$RUNS SIZES="$SIZES" bash "$SHARED/run.sh" > "$RESULTS/harness.log" 2>&1 || { cat "$RESULTS/harness.log"; exit 1; }

time_plansite "plansite" "" "$RESULTS"
cp "$BEFORE"/*.json "$RESULTS"/ 2>/dev/null || true
python3 "$SHARED/report.py" "$RESULTS" | tee "$RESULTS/table.md"
