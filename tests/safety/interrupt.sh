#!/usr/bin/env bash
# SIGINT and SIGTERM stop `aidcsim run` (with --report) and `aidcsim sweep` cleanly: one line on
# stderr, exit 128 + the signal (130, 143), no file changed under its final name and no
# temporary left; an interrupted sweep keeps its finished runs, and the command it prints
# completes it with the same bytes as an uninterrupted sweep.
# Usage: interrupt.sh AIDCSIM SOURCE_DIR WORK_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../expect.sh"
aidcsim=$(realpath "$1") source=$(realpath "$2") work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"

# The files of DIR with their checksums, temporaries included.
fingerprint() { (cd "$1" && find . -type f -exec sha256sum {} + | sort -k 2); }
no_temporaries() { [ -z "$(find "$1" -name '*.tmp.*')" ] || fail "temporaries left in $1: $(find "$1" -name '*.tmp.*')"; }

# Background commands are started with SIGINT at its default: a script's background jobs start
# with it ignored, and aidcsim leaves an ignored signal ignored.
# signal_run SIGNAL AFTER DIR ARGUMENTS…: `aidcsim run ARGUMENTS… -o DIR --report --progress`, sent
# SIGNAL as soon as it reports the progress line matching AFTER (read from a pipe, so the signal
# follows the line at once); sets `code` and `err` (stderr without the progress lines).
signal_run() {
  local signal=$1 after=$2 dir=$3 line
  shift 3
  coproc RUN { exec env --default-signal=INT "$aidcsim" run "$@" -o "$dir" --report --progress --log-level warn 2>&1 > out.txt; }
  local pid=$RUN_PID fd
  exec {fd}<&"${RUN[0]}"  # a copy: bash closes the coprocess's own descriptor when it ends
  while IFS= read -r line <&"$fd"; do
    [[ "$line" =~ $after ]] && break
  done
  kill -s "$signal" "$pid" || true
  err=
  while IFS= read -r line <&"$fd"; do
    [[ "$line" == progress:* ]] || err+=$line
  done
  exec {fd}<&-
  set +e; wait "$pid"; code=$?; set -e
}
long_run=("$source/scenarios/baseline.yaml" --set run.end=2060Q4)

# A run interrupted in a fresh directory: nothing at all is written.
signal_run INT '^progress: 2023Q4 done' fresh "${long_run[@]}" --seed 1
[ "$code" = 130 ] || fail "run after SIGINT exited $code, expected 130; stderr: $err"
[[ "$err" =~ ^aidcsim:\ interrupted\ by\ SIGINT\ while\ simulating\ 20[0-9][0-9]Q[1-4]\ of\ 2023Q1\.\.2060Q4\;\ nothing\ written$ ]] ||
  fail "run after SIGINT: unexpected stderr: $err"
[ ! -e fresh ] || fail "an interrupted run created its output directory: $(ls -A fresh)"
echo "run, SIGINT: $err"

# A run interrupted over an earlier run: the earlier files stay exactly as they were.
"$aidcsim" run "$source/scenarios/compact.yaml" -o earlier --report --log-level warn > /dev/null
before=$(fingerprint earlier)
signal_run TERM '^progress: 2023Q4 done' earlier "${long_run[@]}" --seed 2
[ "$code" = 143 ] || fail "run after SIGTERM exited $code, expected 143; stderr: $err"
[[ "$err" =~ ^aidcsim:\ interrupted\ by\ SIGTERM\ while\ simulating\ .*\;\ nothing\ written$ ]] ||
  fail "run after SIGTERM: unexpected stderr: $err"
[ "$(fingerprint earlier)" = "$before" ] || fail "an interrupted run changed the files of the earlier run"
no_temporaries earlier
echo "run, SIGTERM over an earlier run: $err"

# A run interrupted once its last quarter is simulated, while it writes: its files are staged in
# DIR/.tmp.<pid>/ and renamed into DIR together at the end, so the earlier run's files stay as
# they were and the staging goes.
signal_run TERM ' 0 quarters to go' earlier "$source/scenarios/compact.yaml" --seed 3
[ "$code" = 143 ] || fail "run after SIGTERM while writing exited $code, expected 143; stderr: $err"
[[ "$err" =~ ^aidcsim:\ interrupted\ by\ SIGTERM\ while\ writing\ earlier.*\;\ nothing\ written$ ]] ||
  fail "run after SIGTERM while writing: unexpected stderr: $err"
[ "$(fingerprint earlier)" = "$before" ] || fail "a run interrupted while writing changed the files of the earlier run"
[ -z "$(find earlier -mindepth 1 -type d)" ] || fail "a run interrupted while writing left its staging directory"
echo "run, SIGTERM while writing over an earlier run: $err"

# An ensemble interrupted while its seeds run (each seed's run staged in DIR/.seeds.tmp.<pid>/):
# nothing is written, in a fresh directory or over an earlier run, and no staging is left.
ensemble=("$source/scenarios/compact.yaml" --seeds 40 -j 2 --per-seed)
signal_run INT '^progress: [0-9]+ of 40 seeds done' fresh-ensemble "${ensemble[@]}"
[ "$code" = 130 ] || fail "an ensemble after SIGINT exited $code, expected 130; stderr: $err"
[[ "$err" =~ ^aidcsim:\ interrupted\ by\ SIGINT\ .*\;\ nothing\ written$ ]] || fail "ensemble after SIGINT: unexpected stderr: $err"
[ ! -e fresh-ensemble ] || fail "an interrupted ensemble left its output directory: $(ls -A fresh-ensemble)"
before=$(fingerprint earlier)
signal_run TERM '^progress: [0-9]+ of 40 seeds done' earlier "${ensemble[@]}"
[ "$code" = 143 ] || fail "an ensemble after SIGTERM exited $code, expected 143; stderr: $err"
[ "$(fingerprint earlier)" = "$before" ] || fail "an interrupted ensemble changed the files of the earlier run"
[ -z "$(find earlier -name '.seeds.*')" ] || fail "an interrupted ensemble left $(find earlier -name '.seeds.*')"
no_temporaries earlier
echo "ensemble, SIGINT and SIGTERM: $err"

# A sweep interrupted after a few runs, then resumed with the command it prints.
spec=$source/tests/determinism/sweep.yaml
"$aidcsim" sweep "$spec" -o reference -j 2 > /dev/null 2>&1
"$aidcsim" sweep merge reference > /dev/null
total=$(tail -n +2 reference/runs.csv | wc -l)
done_runs() {  # runs a manifest lists as done ("done 0-3,5" → 5)
  sed -n 's/^done //p' "$1" 2>/dev/null | tr ',' '\n' | awk -F- 'NF==2{n+=$2-$1+1} NF==1&&$1!=""{n+=1} END{print n+0}'
}
for signal_jobs in INT:1 TERM:2; do
  signal=${signal_jobs%:*} jobs=${signal_jobs#*:} dir=sweep-${signal_jobs%:*}
  env --default-signal=INT "$aidcsim" sweep "$spec" -o "$dir" -j "$jobs" --batch-runs 1 > out.txt 2> err.txt &
  pid=$!
  for _ in $(seq 3000); do
    [ "$(done_runs "$dir/shard-0-of-1.manifest")" -ge 2 ] && break
    sleep 0.01
  done
  kill -s "$signal" "$pid" || true
  set +e; wait "$pid"; code=$?; set -e
  err=$(grep -v '^progress:' err.txt || true)
  expected_code=$([ "$signal" = INT ] && echo 130 || echo 143)
  [ "$code" = "$expected_code" ] || fail "sweep after SIG$signal exited $code, expected $expected_code; stderr: $err"
  re="^aidcsim sweep: interrupted by SIG$signal after ([0-9]+) of $total runs; resume with: aidcsim sweep (.*) --resume$"
  [[ "$err" =~ $re ]] || fail "sweep after SIG$signal: unexpected stderr: $err"
  said=${BASH_REMATCH[1]} arguments=${BASH_REMATCH[2]}
  recorded=$(done_runs "$dir/shard-0-of-1.manifest")
  [ "$said" = "$recorded" ] || fail "the message says $said runs done, the manifest $recorded"
  [ "$recorded" -lt "$total" ] || fail "the sweep finished before SIG$signal reached it"
  bytes=$(sed -n 's/^results_bytes //p' "$dir/shard-0-of-1.manifest")
  [ "$(stat -c %s "$dir/shard-0-of-1.results")" = "$bytes" ] || fail "the results file is not what the manifest covers"
  no_temporaries "$dir"
  echo "sweep, SIG$signal: $err"
  eval "\"\$aidcsim\" sweep $arguments --resume" > /dev/null 2>&1
  "$aidcsim" sweep merge "$dir" > /dev/null
  for f in runs.csv series.csv; do
    cmp reference/$f "$dir/$f" || fail "$f of the sweep resumed after SIG$signal differs from the uninterrupted one"
  done
done
echo ok
