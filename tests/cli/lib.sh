# What the CLI test scripts share: counting checks, running the CLI and the
# usual assertions. Source it after setting `work` (a scratch folder, made
# afresh) and the `cli` array (the command, with its emulator if any).
#
#   m ARGS...            run the CLI: stdout -> $out, stderr -> $err,
#                        status -> $rc
#   expect_rc WANT DESC  the status of the last m
#   contains / lacks FILE REGEX DESC, empty FILE DESC, same A B DESC
#   finish               print "N passed, N failed"; exit 1 on a failure
#   skip WHY             exit 77 (CTest's skip)

pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
finish() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ] || exit 1
  exit 0
}
skip() { echo "skipped: $*"; exit 77; }

rm -rf "$work"
mkdir -p "$work"
out=$work/out err=$work/err

m() {
  "${cli[@]}" "$@" >"$out" 2>"$err"
  rc=$?
}
expect_rc() {
  if [ "$rc" -eq "$1" ]; then ok "$2 (exit $rc)"
  else bad "$2: exit $rc, want $1"; sed 's/^/    stderr: /' "$err" | head -5; fi
}
empty() { # FILE DESCRIPTION
  if [ ! -s "$1" ]; then ok "$2"
  else bad "$2"; sed 's/^/    | /' "$1" | head -5; fi
}
same() { # A B DESCRIPTION
  if cmp -s "$1" "$2"; then ok "$3"
  else bad "$3"; cmp "$1" "$2" | head -3; fi
}
contains() { # FILE REGEX DESCRIPTION
  if grep -Eq -- "$2" "$1"; then ok "$3"
  else bad "$3"; sed 's/^/    | /' "$1" | head -5; fi
}
lacks() { # FILE REGEX DESCRIPTION
  if ! grep -Eq -- "$2" "$1"; then ok "$3"
  else bad "$3"; grep -E -- "$2" "$1" | sed 's/^/    | /' | head -5; fi
}
