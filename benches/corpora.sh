#!/usr/bin/env bash
# Times full builds of generated sites with the release binary, as a user
# runs them: `bash benches/corpora.sh [ARTICLES...]` (default: 1000 10000).
# Corpora and outputs go to $BENCH_DIR (default /dev/shm, i.e. memory, so
# the disk does not decide the result). Prints one Markdown table row per
# size: median wall time of $RUNS runs (default 3), CPU, peak RSS, the
# output's size, and `cp -r` of that output (the I/O floor, also a median
# of $RUNS). Every run replaces the previous run's output, as a rebuild
# does, from the cache in the corpus's .briefing/ (a first build of a new
# corpus fills it, and is shown on a line of its own). BIN=path times another build of briefing (an older commit, say) on
# the same corpora. The corpora are skewed as news is (gen_corpus's default,
# --skew 0.85: the most-covered company in about 30% of the articles, the
# least in about 1%); SKEW=0 builds the uniform corpora of the figures before
# issue 18 (in briefing-corpus-N-uniform), SKEW=S another exponent.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${BENCH_DIR:-/dev/shm}
runs=${RUNS:-3}
skew=${SKEW:-0.85}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)

cargo build --release --quiet
cargo build --release --quiet --example gen_corpus
bin=${BIN:-target/release/briefing}

echo "| articles | wall (median of $runs) | CPU (user+sys) | peak RSS | output | cp -r of output |"
echo "| --- | --- | --- | --- | --- | --- |"
for n in "${sizes[@]}"; do
  case "$skew" in
    0.85) corpus="$dir/briefing-corpus-$n" ;;
    0 | 0.0) corpus="$dir/briefing-corpus-$n-uniform" ;;
    *) corpus="$dir/briefing-corpus-$n-skew$skew" ;;
  esac
  out="$dir/briefing-out-$n"
  # A corpus is reused only if it was made with this skew (corpora made
  # before the skew existed have no stamp, and are made again).
  if [ ! -d "$corpus" ] || [ "$(cat "$corpus.skew" 2>/dev/null)" != "$skew" ]; then
    rm -rf "$corpus"
    target/release/examples/gen_corpus --articles "$n" --skew "$skew" --out "$corpus" >&2
    echo "$skew" >"$corpus.skew"
  fi
  # A first build with an empty cache (.briefing/ of a new corpus) draws
  # every social card: reported on its own line, not in the median.
  if [ ! -d "$corpus/.briefing" ]; then
    /usr/bin/time -f "%e %U %S %M" -o "$dir/briefing-time" "$bin" build --root "$corpus" --output "$out" >/dev/null
    read -r wall user sys rss <"$dir/briefing-time"
    echo "| $n (cold cache, one run) | ${wall} s | $(echo "$user + $sys" | bc) s | $(( rss / 1024 )) MiB | | |"
  fi
  rows=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S %M" -o "$dir/briefing-time" "$bin" build --root "$corpus" --output "$out" >/dev/null
    rows+=("$(cat "$dir/briefing-time")")
  done
  # The run with the median wall time.
  median=$(printf '%s\n' "${rows[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  read -r wall user sys rss <<<"$median"
  size=$(du -sm "$out" | cut -f1)
  # cp -r of the output, median of $runs too: one copy varies as much as a
  # build. COPY=0 skips it (a 100k output with its cards does not fit twice
  # in the benchmark machine's memory).
  copies=()
  [ "${COPY:-1}" = 0 ] || for _ in $(seq "$runs"); do
    rm -rf "$out.copy"
    copies+=("$( { /usr/bin/time -f "%e" cp -r "$out" "$out.copy"; } 2>&1 )")
  done
  rm -rf "$out.copy"
  copy=$(printf '%s\n' "${copies[@]:-}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  cpu=$(echo "$user + $sys" | bc)
  echo "| $n | ${wall} s | ${cpu} s | $(( rss / 1024 )) MiB | ${size} MiB | ${copy} s |"
done
rm -f "$dir/briefing-time"
