#!/usr/bin/env bash
# `aidcsim sweep merge` on damaged or planted shard files: each is refused with the file and what
# is wrong, exit 2, and nothing is written (no runs.csv, no series.csv, no temporary); a link
# planted under a shard file's name is never followed. Then the series stored compressed are
# merged to the same bytes as a shard of plain series (as older versions wrote), resumed or not.
# Usage: hostile_merge.sh AIDCSIM SOURCE_DIR WORK_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../expect.sh"
aidcsim=$(realpath "$1") source=$(realpath "$2") work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
spec=$source/tests/sweep/small.yaml
cp "$source/tests/sweep/small.yaml" "$source/tests/sweep/fixed_fleet.yaml" .

"$aidcsim" sweep small.yaml -o ref -j 2 > /dev/null
[ -f ref/shard-0-of-1.series.gz ] || fail "the series are not stored as shard-0-of-1.series.gz"
[ ! -e ref/shard-0-of-1.series ] || fail "a plain series file was written beside the compressed one"
grep -q '^series_gz_bytes [1-9]' ref/shard-0-of-1.manifest || fail "the manifest does not count the compressed series"
"$aidcsim" sweep merge ref > /dev/null
# zcat reads the members as one file: every run's lines, each run's together.
[ "$(zcat ref/shard-0-of-1.series.gz | sort)" = "$(tail -n +2 ref/series.csv | sort)" ] || fail "zcat does not give the series"

echo "victim: must never change" > victim
victim_sum=$(sha256sum < victim)
nothing_written() {  # DIR WHAT
  for f in "$1"/runs.csv "$1"/series.csv "$1"/*.tmp.*; do
    [ ! -e "$f" ] || fail "$2: $f was written"
  done
  [ "$(sha256sum < victim)" = "$victim_sum" ] || fail "$2: the victim changed"
  echo "  $2: refused, nothing written"
}
damaged() {  # NAME: a copy of the reference without its merged files
  rm -rf "$1" && cp -r ref "$1" && rm -f "$1"/runs.csv "$1"/series.csv
}

echo "damaged shards:"
damaged cut && truncate -s 100 cut/shard-0-of-1.results
expect_exit 2 "cut/shard-0-of-1.manifest:2:15: results_bytes" "$aidcsim" sweep merge cut
nothing_written cut "a results file cut short"
damaged cutgz && truncate -s -10 cutgz/shard-0-of-1.series.gz
expect_exit 2 "series_gz_bytes" "$aidcsim" sweep merge cutgz
nothing_written cutgz "a series file cut short"
damaged garbled && printf 'XXXXXXXX' | dd of=garbled/shard-0-of-1.series.gz bs=1 seek=400 conv=notrunc 2> /dev/null
expect_exit 2 "garbled/shard-0-of-1.series.gz: byte " "$aidcsim" sweep merge garbled
grep -q "expected the gzip members aidcsim sweep writes" err.txt || fail "the garbled member is not explained: $(cat err.txt)"
nothing_written garbled "a garbled gzip member"
damaged line && sed -i '3s/\tok\t/\tokay\t/' line/shard-0-of-1.results
expect_exit 2 "line/shard-0-of-1.results:3: malformed result line" "$aidcsim" sweep merge line
nothing_written line "a garbled result line"
damaged twice && sed -n 1p twice/shard-0-of-1.results > first && cat first >> twice/shard-0-of-1.results &&
  sed -i "s/^results_bytes .*/results_bytes $(stat -c %s twice/shard-0-of-1.results)/" twice/shard-0-of-1.manifest
expect_exit 2 "is recorded twice" "$aidcsim" sweep merge twice
nothing_written twice "a run recorded twice"
damaged plaingz && cp ref/shard-0-of-1.series.gz plaingz/x && zcat plaingz/x > plaingz/shard-0-of-1.series.gz && rm plaingz/x &&
  sed -i "s/^series_gz_bytes .*/series_gz_bytes $(stat -c %s plaingz/shard-0-of-1.series.gz)/" plaingz/shard-0-of-1.manifest
expect_exit 2 "plaingz/shard-0-of-1.series.gz: byte 0: damaged gzip data" "$aidcsim" sweep merge plaingz
nothing_written plaingz "plain text under the compressed name"

echo "links planted under a shard file's name:"
for f in shard-0-of-1.results shard-0-of-1.series.gz; do
  damaged linked && cp "linked/$f" victim-copy && rm "linked/$f" && ln -s "$work/victim-copy" "linked/$f"
  expect_exit 2 "linked/$f: a symbolic link; expected a regular file written by aidcsim sweep" "$aidcsim" sweep merge linked
  nothing_written linked "$f -> a copy of itself"
done

echo "a shard of plain series, as older versions wrote, merges to the same bytes:"
damaged plain && zcat ref/shard-0-of-1.series.gz > plain/shard-0-of-1.series && rm plain/shard-0-of-1.series.gz
sed -i "s/^series_gz_bytes .*/series_bytes $(stat -c %s plain/shard-0-of-1.series)/" plain/shard-0-of-1.manifest
"$aidcsim" sweep merge plain > /dev/null
cmp ref/runs.csv plain/runs.csv || fail "runs.csv of plain series differs"
cmp ref/series.csv plain/series.csv || fail "series.csv of plain series differs"
# Resumed, such a shard keeps writing plain series (never two formats in one shard).
damaged plain2 && zcat ref/shard-0-of-1.series.gz > plain2/shard-0-of-1.series && rm plain2/shard-0-of-1.series.gz
sed -i "s/^series_gz_bytes .*/series_bytes $(stat -c %s plain2/shard-0-of-1.series)/" plain2/shard-0-of-1.manifest
"$aidcsim" sweep small.yaml -o plain2 --resume > /dev/null
[ ! -e plain2/shard-0-of-1.series.gz ] || fail "a resumed plain shard began a compressed file"
"$aidcsim" sweep merge plain2 > /dev/null && cmp ref/series.csv plain2/series.csv || fail "resumed plain shard"
echo "  same runs.csv and series.csv"
echo ok
