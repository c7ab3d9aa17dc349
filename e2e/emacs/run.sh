#!/usr/bin/env bash
# Runs e2e/emacs/lsp-test.el in batch Emacs (Debian's emacs-nox with elpa-eglot, installed by
# e2e/setup.sh) against bin/smtptls-language-server --stdio. HOME points into a temp dir; samples are
# copied into a temp workspace; Emacs and the server run in their own process group, which is killed
# at the end whatever happens.
# Usage: bash e2e/emacs/run.sh [RESULT_JSON]   (writes {"passed":N,"failed":N})
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RESULT=${1:-}
TMP=$(mktemp -d /tmp/smtptls-e2e-emacs-XXXXXX)
pgid=
cleanup() {
  if [ -n "$pgid" ]; then kill -TERM -- "-$pgid" 2>/dev/null; sleep 0.2; kill -KILL -- "-$pgid" 2>/dev/null; fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP

# Debian's elpa-eglot keeps its source here; Emacs loads it from there (see lsp-test.el).
EGLOT_DIR=$(ls -d /usr/share/emacs/site-lisp/elpa-src/eglot-* 2>/dev/null | sort -V | tail -1)
mkdir -p "$TMP/home" "$TMP/ws"
# The configuration the README gives Emacs users: its elisp block, with the repository's path.
awk '/^  ```elisp$/ {on=1; next} on && /^  ```$/ {exit} on {sub(/^  /, ""); print}' "$ROOT/README.md" \
  | sed "s|/path/to/repo|$ROOT|g" > "$TMP/readme-config.el"
if ! grep -q 'smtptls-language-server' "$TMP/readme-config.el"; then echo "  emacs: no elisp block with the server in README.md"; fi
cp "$ROOT"/samples/*.transcript "$TMP/ws/" 2>/dev/null || true

# setsid: emacs leads a new process group (its pid is the group id); the server is its child
HOME=$TMP/home README_CONFIG="$TMP/readme-config.el" LSP_WS="$TMP/ws" EGLOT_DIR="$EGLOT_DIR" \
  setsid timeout -k 5 90 emacs --batch -Q -l "$ROOT/e2e/emacs/lsp-test.el" > "$TMP/out.txt" 2> "$TMP/err.txt" < /dev/null &
pgid=$!
wait "$pgid"
status=$?
sed 's/^/  emacs: /' "$TMP/out.txt"
if [ "$status" -ne 0 ]; then grep -v '^\s*$' "$TMP/err.txt" | tail -15 | sed 's/^/  emacs stderr: /'; fi

counts=$(grep -Eo '^[0-9]+ passed, [0-9]+ failed' "$TMP/out.txt" | tail -1)
passed=0 failed=1
if [ -n "$counts" ]; then
  passed=${counts%% passed*}
  failed=${counts#*, }; failed=${failed%% failed*}
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi  # crashed or timed out after a green count
echo "[e2e emacs] $passed passed, $failed failed (emacs exit $status, $(emacs --version 2>/dev/null | head -1), eglot ${EGLOT_DIR##*-})"
[ -n "$RESULT" ] && printf '{"passed":%s,"failed":%s}\n' "$passed" "$failed" > "$RESULT"
[ "$failed" -eq 0 ]
