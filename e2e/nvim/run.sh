#!/usr/bin/env bash
# Runs e2e/nvim/lsp-test.lua in headless Debian neovim against bin/smtptls-language-server --stdio.
# HOME and XDG_* point into a temp dir; samples are copied into a temp workspace; nvim and the server
# run in their own process group, which is killed at the end whatever happens.
# Usage: bash e2e/nvim/run.sh [RESULT_JSON]   (writes {"passed":N,"failed":N})
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RESULT=${1:-}
TMP=$(mktemp -d /tmp/smtptls-e2e-nvim-XXXXXX)
pgid=
cleanup() {
  if [ -n "$pgid" ]; then kill -TERM -- "-$pgid" 2>/dev/null; sleep 0.2; kill -KILL -- "-$pgid" 2>/dev/null; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP

mkdir -p "$TMP/home" "$TMP/config" "$TMP/data" "$TMP/state" "$TMP/cache" "$TMP/ws"
cp "$ROOT"/samples/*.transcript "$TMP/ws/" 2>/dev/null || true
cp "$ROOT/server/test/fixtures/corpus/sessions/raw-sslv2-hello-v3.1-p25/transcript-CS.txt" \
   "$TMP/ws/corpus-raw-sslv2-hello-v3.1-p25.transcript"

# setsid: nvim leads a new process group (its pid is the group id); the server is its child
HOME=$TMP/home XDG_CONFIG_HOME=$TMP/config XDG_DATA_HOME=$TMP/data XDG_STATE_HOME=$TMP/state \
XDG_CACHE_HOME=$TMP/cache LSP_CMD="$ROOT/bin/smtptls-language-server --stdio" LSP_WS="$TMP/ws" \
  setsid timeout -k 5 90 nvim --headless -u NONE -i NONE -n -c "luafile $ROOT/e2e/nvim/lsp-test.lua" \
  > "$TMP/out.txt" 2>&1 < /dev/null &
pgid=$!
wait "$pgid"
status=$?
# nvim's output may carry terminal control sequences: keep printable text only
sed -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' -e 's/\r//g' "$TMP/out.txt" | grep -v '^\s*$' | sed 's/^/  nvim: /'

counts=$(sed -e 's/\x1b\[[0-9;?]*[a-zA-Z]//g' "$TMP/out.txt" | grep -Eo '^[0-9]+ passed, [0-9]+ failed' | tail -1)
passed=0 failed=1
if [ -n "$counts" ]; then
  passed=${counts%% passed*}
  failed=${counts#*, }; failed=${failed%% failed*}
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi  # crashed or timed out after a green count
echo "[e2e nvim] $passed passed, $failed failed (nvim exit $status)"
[ -n "$RESULT" ] && printf '{"passed":%s,"failed":%s}\n' "$passed" "$failed" > "$RESULT"
[ "$failed" -eq 0 ]
