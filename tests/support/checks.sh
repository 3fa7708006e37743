# The shell tests' checks, sourced: `check <description> <command...>` runs the command, says ok or
# FAILED, counts it and returns its status; `finish_checks` prints the tally and fails if any failed.
passes=0
failures=0
check() {
  local what=$1; shift
  if "$@"; then echo "ok: $what"; passes=$((passes + 1)); return 0; fi
  echo "FAILED: $what"
  failures=$((failures + 1))
  return 1
}
finish_checks() {
  echo "$passes passed, $failures failed"
  [ "$failures" -eq 0 ]
}
