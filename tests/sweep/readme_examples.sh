#!/usr/bin/env bash
# The README's sweep examples are tests: every ```yaml block of README.md with a top-level
# `design:` is written to a file beside a `scenarios` link to the project's scenarios (so its
# `scenario: ../scenarios/…` resolves as in the source tree), then checked by `aidcsim validate`
# and `aidcsim sweep --dry-run`, which must succeed and write nothing.
# Usage: readme_examples.sh AIDCSIM SOURCE_DIR WORK_DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../expect.sh"
aidcsim=$(realpath "$1") source=$(realpath "$2") work=$3
rm -rf "$work" && mkdir -p "$work/examples" && cd "$work"
ln -s "$source/scenarios" scenarios
awk -v dir=examples '
  /^```yaml/ { inside = 1; n++; file = sprintf("%s/readme-%d.yaml", dir, n); printf "" > file; next }
  /^```/ && inside { inside = 0; close(file); next }
  inside { print >> file }
' "$source/README.md"
count=0
for f in examples/readme-*.yaml; do
  grep -q '^design:' "$f" || { rm "$f"; continue; }
  count=$((count + 1))
  echo "== $f"
  "$aidcsim" validate "$f" || fail "$f: aidcsim validate failed"
  "$aidcsim" sweep "$f" --dry-run -j 2 || fail "$f: aidcsim sweep --dry-run failed"
done
[ "$count" -ge 1 ] || fail "README.md has no sweep example"
echo "ok: $count README sweep example(s) check"
