#!/usr/bin/env bash
# Runs e2e/emacs/lsp-test.el in batch Emacs (Debian's emacs-nox with elpa-eglot, installed by
# e2e/setup.sh) against bin/smtptls-language-server --stdio, configured with the README's elisp block.
# Usage: bash e2e/emacs/run.sh [RESULT_JSON]   (writes {"passed":N,"failed":N})
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RESULT=${1:-}
SUITE=emacs
. "$ROOT/e2e/client-suite.sh"

# Debian's elpa-eglot keeps its source here; Emacs loads it from there (see lsp-test.el).
EGLOT_DIR=$(ls -d /usr/share/emacs/site-lisp/elpa-src/eglot-* 2>/dev/null | sort -V | tail -1)
# The configuration the README gives Emacs users: its elisp block, with the repository's path.
awk '/^  ```elisp$/ {on=1; next} on && /^  ```$/ {exit} on {sub(/^  /, ""); print}' "$ROOT/README.md" \
  | sed "s|/path/to/repo|$ROOT|g" > "$TMP/readme-config.el"
if ! grep -q 'smtptls-language-server' "$TMP/readme-config.el"; then echo "  emacs: no elisp block with the server in README.md"; fi

HOME=$TMP/home README_CONFIG="$TMP/readme-config.el" LSP_WS="$TMP/ws" EGLOT_DIR="$EGLOT_DIR" \
  run_grouped 90 "$TMP/out.txt" emacs --batch -Q -l "$ROOT/e2e/emacs/lsp-test.el"
sed 's/^/  emacs: /' "$TMP/out.txt"
if [ "$status" -ne 0 ]; then grep -v '^\s*$' "$TMP/out.txt.err" | tail -15 | sed 's/^/  emacs stderr: /'; fi
report "$TMP/out.txt" "emacs exit $status, $(emacs --version 2>/dev/null | head -1), eglot ${EGLOT_DIR##*-}"
