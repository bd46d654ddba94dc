#!/usr/bin/env bash
# A really full disk: a 1 MiB tmpfs with 64 KiB free, mounted in a private mount namespace (as
# root, or as a user in a user namespace) so it vanishes with the test. A run that does not fit exits 1 with "No
# space left on device", changes no file and frees all it took; a sweep that fills it resumes,
# once there is room, to the same results as one that never failed; `sweep status` and `merge`
# whose run index does not fit exit 1 saying so, leaving nothing.
# Skipped (77) where mounting is not allowed (a container without the privilege, no user
# namespaces). tests/safety/disk_errors.sh covers full disks without privileges.
# Usage: full_disk.sh AIDCSIM SOURCE_DIR WORK_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../expect.sh"
if [ -z "${AIDC_FULL_DISK_NAMESPACE:-}" ]; then
  for how in "--mount" "--mount --map-root-user"; do
    # shellcheck disable=SC2086
    if unshare $how sh -c 'd=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs "$d" && umount "$d" && rmdir "$d"' 2> /dev/null; then
      # shellcheck disable=SC2086
      AIDC_FULL_DISK_NAMESPACE=1 exec unshare $how --propagation private bash "$0" "$@"
    fi
  done
  echo "SKIP: mounting a tmpfs is not allowed here (neither in a private mount namespace nor in a user"
  echo "      namespace); tests/safety/disk_errors.sh covers full disks without privileges"
  exit 77
fi
aidcsim=$(realpath "$1") source=$(realpath "$2") work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work"
mkdir disk && mount -t tmpfs -o size=1m tmpfs disk
# All but 64 KiB taken by a ballast file, removed later to make room.
dd if=/dev/zero of=disk/ballast bs=64k count=15 status=none
used_kib() { df --output=used -k disk | tail -n 1 | tr -d ' '; }

echo "run on a full disk ($(df -k --output=avail disk | tail -n 1 | tr -d ' ') KiB free):"
mkdir disk/run && echo "an earlier file" > disk/run/run.json
empty=$(used_kib)
expect_failure '^aidcsim: cannot write disk/run/timeseries\.csv: No space left on device$' \
  "$aidcsim" run "$source/scenarios/compact.yaml" -o disk/run --report --log-level warn
[ "$(cat disk/run/run.json)" = "an earlier file" ] || fail "the earlier run.json changed"
[ "$(ls -A disk/run)" = run.json ] || fail "files left: $(ls -A disk/run)"
[ "$(used_kib)" = "$empty" ] || fail "the failed run left $(($(used_kib) - empty)) KiB used"

echo "sweep on a full disk:"
spec=$source/tests/sweep/lhs.yaml
"$aidcsim" sweep "$spec" -o reference -j 2 > /dev/null 2>&1
"$aidcsim" sweep merge reference > /dev/null
expect_failure '^aidcsim sweep: cannot write disk/sweep/shard-0-of-1\.(results|series\.gz|manifest): No space left on device$' \
  "$aidcsim" sweep "$spec" -o disk/sweep -j 2 --batch-runs 1
[ -z "$(find disk -name '*.tmp.*')" ] || fail "temporaries left: $(find disk -name '*.tmp.*')"
rm disk/ballast
echo "  $("$aidcsim" sweep status disk/sweep | grep -E '[0-9]+ done')"
"$aidcsim" sweep "$spec" -o disk/sweep -j 2 --resume > /dev/null 2>&1
"$aidcsim" sweep merge disk/sweep > /dev/null
for f in runs.csv series.csv; do
  cmp reference/$f disk/sweep/$f || fail "$f of the sweep resumed after a full disk differs from the reference"
done
echo "sweep status and merge whose run index does not fit (20,000 runs: 625 KiB, 64 KiB free):"
mkdir disk/big
printf 'design: monte_carlo\nsamples: 20000\nparameters:\n  - {path: "demand[us].elasticity", distribution: uniform, min: 0.5, max: 1.5}\n' > disk/big/sweep.yaml
awk 'BEGIN { for (i = 0; i < 20000; ++i) printf "%d\tok\tx=%d\n", i, i % 7 }' > disk/big/shard-0-of-1.results
printf 'aidcsim sweep manifest 1\nresults_bytes %d\nseries_gz_bytes 0\ndone 0-19999\nfailed \n' \
  "$(stat -c %s disk/big/shard-0-of-1.results)" > disk/big/shard-0-of-1.manifest
listing=$(ls -A disk/big)
dd if=/dev/zero of=disk/ballast bs=4k count=$((($(df -k --output=avail disk | tail -n 1 | tr -d ' ') - 64) / 4)) status=none
empty=$(used_kib)
for command in status merge; do
  expect_failure '^aidcsim sweep: cannot write the index of the runs \(a temporary file in disk/big\): No space left on device$' \
    "$aidcsim" sweep "$command" disk/big
  [ "$(ls -A disk/big)" = "$listing" ] || fail "sweep $command left: $(ls -A disk/big)"
  [ "$(used_kib)" = "$empty" ] || fail "sweep $command left $(($(used_kib) - empty)) KiB used"
done
rm disk/ballast
"$aidcsim" sweep status disk/big | grep -q '^20000 runs (monte_carlo design, 20000 points × 1 replications): 20000 done, 0 failed, 0 pending$' ||
  fail "sweep status with room: $("$aidcsim" sweep status disk/big)"
umount disk
echo ok
