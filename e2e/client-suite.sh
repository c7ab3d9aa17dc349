# Shared by the standalone-server suites (nvim/run.sh, emacs/run.sh), sourced after ROOT, RESULT and
# SUITE (the suite's name: nvim, emacs) are set: a temp dir with HOME and a workspace of sample copies, a process group for the editor and
# the server killed at the end whatever happens, and the suite's `N passed, N failed` line read back.
TMP=$(mktemp -d "/tmp/smtptls-e2e-${SUITE}-XXXXXX")
pgid=
cleanup() {
  if [ -n "$pgid" ]; then kill -TERM -- "-$pgid" 2>/dev/null; sleep 0.2; kill -KILL -- "-$pgid" 2>/dev/null; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP
mkdir -p "$TMP/home" "$TMP/ws"
cp "$ROOT"/samples/*.transcript "$TMP/ws/" 2>/dev/null || true

# run_grouped SECONDS OUT CMD...: CMD under setsid (it leads a new process group, the server is its
# child) and timeout, stdout and stderr to OUT and OUT.err; sets `status`.
run_grouped() {
  local secs=$1 out=$2; shift 2
  setsid timeout -k 5 "$secs" "$@" > "$out" 2> "$out.err" < /dev/null &
  pgid=$!
  wait "$pgid"
  status=$?
}

# report OUT DETAIL: counts from OUT's last `N passed, N failed` line (a crash or timeout after a
# green count is a failure), the summary line, RESULT written; returns non-zero on any failure.
report() {
  local out=$1 detail=$2 counts
  counts=$(sed -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' "$out" | grep -Eo '^[0-9]+ passed, [0-9]+ failed' | tail -1)
  passed=0 failed=1
  if [ -n "$counts" ]; then
    passed=${counts%% passed*}
    failed=${counts#*, }; failed=${failed%% failed*}
  fi
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  echo "[e2e $SUITE] $passed passed, $failed failed ($detail)"
  [ -n "$RESULT" ] && printf '{"passed":%s,"failed":%s}\n' "$passed" "$failed" > "$RESULT"
  [ "$failed" -eq 0 ]
}
