#!/usr/bin/env bash
# A really full disk: a 1 MiB tmpfs with 64 KiB free, mounted in a private mount namespace (as
# root, or as a user in a user namespace) so it vanishes with the test. A run that does not fit exits 1 with "No
# space left on device", changes no file and frees all it took; a sweep that fills it resumes,
# once there is room, to the same results as one that never failed.
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
umount disk
echo ok
