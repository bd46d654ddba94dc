#!/usr/bin/env bash
# Outputs that cannot be written, without privileges: exit 1, one message naming the file and the
# system's reason, no file changed under its final name and no temporary left.
#  - a read-only directory (as root, run without the capability to override permissions);
#  - a full disk, imitated by the file size limit (ulimit -f with SIGXFSZ ignored: a write past
#    it fails with "File too large" as one on a full disk fails with "No space left on device";
#    tests/safety/full_disk.sh fills a real, small file system).
# A sweep stopped that way resumes to the same results as one that never failed.
# Usage: disk_errors.sh AIDCSIM SOURCE_DIR WORK_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../expect.sh"
aidcsim=$(realpath "$1") source=$(realpath "$2") work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
scenario=$source/scenarios/compact.yaml
spec=$source/tests/sweep/lhs.yaml

fingerprint() { (cd "$1" && find . -type f -exec sha256sum {} + | sort -k 2); }

# Read-only directories. Root writes anywhere; without CAP_DAC_OVERRIDE it is held to the modes.
as_user() {
  if [ "$(id -u)" = 0 ]; then setpriv --bounding-set=-dac_override,-dac_read_search -- "$@"; else "$@"; fi
}
mkdir ro && chmod 555 ro
if as_user sh -c 'echo x > ro/probe' 2> /dev/null; then
  echo "SKIP (read-only directory cases): this user can write into a mode 555 directory"
else
  echo "read-only directory:"
  expect_failure '^aidcsim: cannot write ro/timeseries\.csv: Permission denied$' as_user "$aidcsim" run "$scenario" -o ro --log-level warn
  expect_failure '^aidcsim: cannot create output directory ro/run: Permission denied$' as_user "$aidcsim" run "$scenario" -o ro/run --log-level warn
  expect_failure '^aidcsim sweep: cannot create output directory ro/sweep: Permission denied$' as_user "$aidcsim" sweep "$spec" -o ro/sweep
  "$aidcsim" run "$scenario" -o run-for-report --log-level warn > /dev/null
  expect_failure '^aidcsim: cannot write ro/report\.html: Permission denied$' as_user "$aidcsim" report run-for-report -o ro/report.html
  [ -z "$(ls -A ro)" ] || fail "files left in the read-only directory: $(ls -A ro)"
fi

# A full disk. The limit applies to the command only (a subshell), SIGXFSZ ignored in it.
limited() {  # KIBIBYTES COMMAND…
  local kib=$1
  shift
  (trap '' XFSZ; ulimit -f "$kib"; exec "$@")
}
echo "full disk (file size limit):"
"$aidcsim" run "$scenario" -o run --report --log-level warn > /dev/null
before=$(fingerprint run)
expect_failure '^aidcsim: cannot write run/[a-z]+\.(csv|jsonl|json|html): File too large$' limited 64 "$aidcsim" run "$scenario" --seed 9 -o run --report --log-level warn
[ "$(fingerprint run)" = "$before" ] || fail "a run that could not write changed the files of the earlier run"
[ -z "$(find run -name '*.tmp.*')" ] || fail "temporaries left: $(find run -name '*.tmp.*')"

# A sweep that fills the disk half-way: the runs recorded before stay, --resume completes it.
"$aidcsim" sweep "$spec" -o reference -j 2 > /dev/null 2>&1
"$aidcsim" sweep merge reference > /dev/null
expect_failure '^aidcsim sweep: cannot write sweep/shard-0-of-1\.(results|series\.gz): File too large$' \
  limited 24 "$aidcsim" sweep "$spec" -o sweep -j 2 --batch-runs 2
[ -z "$(find sweep -name '*.tmp.*')" ] || fail "temporaries left: $(find sweep -name '*.tmp.*')"
"$aidcsim" sweep status sweep > status.txt
grep -E '[1-9][0-9]* pending' status.txt > /dev/null || fail "the sweep has no pending runs"
echo "  $(grep -E '[0-9]+ done' status.txt)"
"$aidcsim" sweep "$spec" -o sweep -j 2 --resume > /dev/null 2>&1
"$aidcsim" sweep merge sweep > /dev/null
for f in runs.csv series.csv; do
  cmp reference/$f sweep/$f || fail "$f of the sweep resumed after a full disk differs from the reference"
done
echo ok
