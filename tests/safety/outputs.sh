#!/usr/bin/env bash
# Outputs cannot be turned against their user: someone who controls the output directory plants
# symbolic links and files under the names aidcsim writes (a shard's results, a temporary
# NAME.tmp.<pid>, a staging directory .tmp.<pid>/), and the user names a device as an output.
# In every case the victim (a file in this test's own directory, never a system file) stays
# byte for byte as it was, and /dev/null stays a character device.
# Usage: outputs.sh AIDCSIM SOURCE_DIR WORK_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../expect.sh"
aidcsim=$(realpath "$1") source=$(realpath "$2") work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
scenario=$source/scenarios/compact.yaml
spec=$source/tests/sweep/lhs.yaml

echo "victim: must never change" > victim
victim_sum=$(sha256sum < victim)
intact() {  # WHAT: the victim is unchanged, /dev/null still a character device
  [ "$(sha256sum < victim)" = "$victim_sum" ] || fail "$1: the victim file changed: $(head -c 200 victim)"
  [ -L victim ] && fail "$1: the victim was replaced by a link"
  [ -c /dev/null ] || fail "$1: /dev/null is no longer a character device"
  echo "  $1: victim intact"
}
expect_ok() {  # COMMAND…: exits 0
  set +e; "$@" > out.txt 2> err.txt; local got=$?; set -e
  [ "$got" = 0 ] || { cat out.txt err.txt; fail "$* exited $got, expected 0"; }
}
"$aidcsim" run "$scenario" -o run --log-level warn > /dev/null

echo "a sweep's shard files planted as links:"
mkdir sweep1 && ln -s "$work/victim" sweep1/shard-0-of-1.results
expect_exit 1 "sweep1/shard-0-of-1.results: it is a symbolic link; expected a regular file" "$aidcsim" sweep "$spec" -o sweep1 -j 1
intact "shard-0-of-1.results -> victim"
mkdir sweep2 && ln -s "$work/victim" sweep2/shard-0-of-1.series.gz
expect_exit 1 "sweep2/shard-0-of-1.series.gz: it is a symbolic link" "$aidcsim" sweep "$spec" -o sweep2 -j 1
intact "shard-0-of-1.series.gz -> victim"
mkdir sweep3 && mkfifo sweep3/shard-0-of-1.results
expect_exit 1 "sweep3/shard-0-of-1.results: not a regular file" timeout 20 "$aidcsim" sweep "$spec" -o sweep3 -j 1
echo "  shard-0-of-1.results as a named pipe: refused without blocking"
# A finished sweep whose manifest is then replaced by a link: --resume, status and merge refuse it.
"$aidcsim" sweep "$spec" -o sweep4 -j 2 > /dev/null 2>&1
rm sweep4/shard-0-of-1.manifest && ln -s "$work/victim" sweep4/shard-0-of-1.manifest
expect_exit 2 "shard-0-of-1.manifest: a symbolic link; expected a regular file" "$aidcsim" sweep status sweep4
expect_exit 2 "shard-0-of-1.manifest: a symbolic link" "$aidcsim" sweep merge sweep4
set +e; "$aidcsim" sweep "$spec" -o sweep4 -j 1 --resume > out.txt 2> err.txt; code=$?; set -e
[ "$code" != 0 ] || fail "a sweep resumed through a manifest that is a link"
intact "shard-0-of-1.manifest -> victim (status, merge, --resume)"

# Temporaries at the names aidcsim would use: the process's own pid is known in advance when
# the shell that plants them becomes aidcsim (exec keeps the pid).
echo "temporaries planted under the names of the next process:"
expect_ok bash -c 'ln -s "$1/victim" "run/report.html.tmp.$$"; exec "$2" report run' _ "$work" "$aidcsim"
intact "report.html.tmp.<pid> -> victim"
[ -L run/report.html.tmp.* ] || fail "the planted link was removed or replaced"
grep -q '</html>' run/report.html || fail "report.html was not written"
rm run/report.html.tmp.*
expect_ok bash -c 'echo planted > "run/report.html.tmp.$$"; exec "$2" report run' _ "$work" "$aidcsim"
[ "$(cat run/report.html.tmp.*)" = planted ] || fail "a planted temporary file was overwritten"
rm run/report.html.tmp.*
echo "  report.html.tmp.<pid> as a file: left alone, another name used"
expect_ok bash -c 'ln -s "$1/victim" "$1/compare.html.tmp.$$"; exec "$2" compare run run -o "$1/compare.html"' _ "$work" "$aidcsim"
intact "compare.html.tmp.<pid> -> victim"
rm compare.html.tmp.*
"$aidcsim" sweep "$spec" -o sweep5 -j 2 > /dev/null 2>&1
expect_ok bash -c 'ln -s "$1/victim" "sweep5/runs.csv.tmp.$$"; exec "$2" sweep merge sweep5' _ "$work" "$aidcsim"
intact "runs.csv.tmp.<pid> -> victim (sweep merge)"
mkdir sweep6
expect_ok bash -c 'ln -s "$1/victim" "sweep6/shard-0-of-1.manifest.tmp.$$"; exec "$2" sweep "$3" -o sweep6 -j 1' _ "$work" "$aidcsim" "$spec"
intact "shard-0-of-1.manifest.tmp.<pid> -> victim (sweep)"

echo "staging directories planted under the name of the next run's:"
mkdir victim-dir && echo "keep" > victim-dir/timeseries.csv
expect_ok bash -c 'ln -s "$1/victim-dir" "run/.tmp.$$"; exec "$2" run "$3" -o run --log-level warn' _ "$work" "$aidcsim" "$scenario"
[ "$(cat victim-dir/timeseries.csv)" = keep ] && [ "$(ls victim-dir)" = timeseries.csv ] ||
  fail "a run wrote through a planted .tmp.<pid> link: $(ls victim-dir)"
[ -L run/.tmp.* ] || fail "the planted staging link was removed"
rm run/.tmp.*
echo "  .tmp.<pid> -> a directory: not written into"
expect_ok bash -c 'mkdir "run/.tmp.$$" && ln -s "$1/victim" "run/.tmp.$$/timeseries.csv"; exec "$2" run "$3" -o run --log-level warn' \
  _ "$work" "$aidcsim" "$scenario"
intact ".tmp.<pid>/ made beforehand, with timeseries.csv -> victim"
[ -L run/.tmp.*/timeseries.csv ] || fail "the planted staging directory was emptied"
rm -r run/.tmp.*
head -1 run/timeseries.csv | grep -q '^quarter,' || fail "the run did not write its files"

echo "-o naming a special file (exit 2, nothing written):"
ln -s /dev/null null-link
for target in /dev/null null-link; do
  expect_exit 2 "cannot write $target: it is" "$aidcsim" report run -o "$target"
  expect_exit 2 "cannot write $target: it is" "$aidcsim" compare run run -o "$target"
  expect_exit 2 "cannot write $target: it is" "$aidcsim" calibrate "$source/tests/calibrate/fixed_fleet.yaml" \
    --targets no-such-targets.csv --params "demand[us].base=1e5:3e5" -o "$target"
  expect_exit 2 "cannot write $target: it is" "$aidcsim" calibrate "$source/tests/calibrate/fixed_fleet.yaml" \
    --targets no-such-targets.csv --params "demand[us].base=1e5:3e5" -o fit.yaml --report "$target"
  echo "  $(cat err.txt | head -1)"
done
[ "$(readlink null-link)" = /dev/null ] || fail "the link to /dev/null was replaced"
expect_exit 2 "cannot write run: it is a directory" "$aidcsim" report run -o run
mkfifo pipe
expect_exit 2 "cannot write pipe: it is a named pipe" timeout 20 "$aidcsim" report run -o pipe
[ -p pipe ] || fail "the named pipe was replaced"
intact "devices, links to them, directories and pipes as -o"
# Links planted in a sweep directory under the names merge writes: never written through.
rm sweep5/series.csv && ln -s /dev/null sweep5/series.csv
expect_exit 1 "sweep5/series.csv: it is a symbolic link to a character device" "$aidcsim" sweep merge sweep5
intact "series.csv -> /dev/null (sweep merge)"

echo "names made of markup in report.html and compare.html:"
"$aidcsim" run "$source/tests/browser/hostile-names.yaml" -o hostile --report --log-level warn > /dev/null
"$aidcsim" compare run hostile -o hostile-compare.html > /dev/null
for page in hostile/report.html hostile-compare.html; do
  python3 - "$page" << 'EOF'
import sys
page = open(sys.argv[1], encoding="utf-8").read()
start = page.index("window.AIDC_REPORT = ")
end = page.index(";\n</script>", start)
assert "<" not in page[start:end] and ">" not in page[start:end], "markup left in the embedded data"
assert page.count("<script") == page.count("</script>") == 4, "the page's script elements are not whole"
assert "<!--" not in page, "a comment opener in the page"
EOF
  echo "  $page: the data holds no markup, its four script elements are whole"
done
echo ok
