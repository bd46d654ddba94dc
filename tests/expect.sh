# Shared by the shell tests (source it): failing with a message, and checking a command's exit
# code and what it prints on stderr. Each check leaves the command's output in out.txt and err.txt.

fail() { echo "FAIL: $*"; exit 1; }

expect_exit() {  # CODE MESSAGE-FRAGMENT COMMAND…: exits CODE and says MESSAGE-FRAGMENT on stderr
  local code=$1 fragment=$2; shift 2
  set +e; "$@" > out.txt 2> err.txt; local got=$?; set -e
  [ "$got" = "$code" ] || { cat out.txt err.txt; fail "$* exited $got, expected $code"; }
  grep -qF -- "$fragment" err.txt || { cat err.txt; fail "$*: stderr lacks '$fragment'"; }
}

expect_failure() {  # MESSAGE-REGEX COMMAND…: exit 1 and one line on stderr (besides progress) matching it
  local regex=$1
  shift
  set +e; "$@" > out.txt 2> all-err.txt; local code=$?; set -e
  grep -v '^progress:' all-err.txt > err.txt || true
  [ "$code" = 1 ] || fail "$*: exited $code, expected 1; stderr: $(cat err.txt)"
  [ "$(wc -l < err.txt)" = 1 ] && [[ "$(cat err.txt)" =~ $regex ]] || fail "$*: expected one line matching '$regex', got: $(cat err.txt)"
  echo "  $(cat err.txt)"
}
