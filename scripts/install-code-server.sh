#!/usr/bin/env bash
# Installs code-server (a complete VS Code 1.100.3 that runs in a browser) into a git-ignored cache,
# for the real-VS-Code tests (see test/harness/). Offline-safe: only the npm registry is used; nothing
# is downloaded from GitHub (ripgrep comes from Debian, native modules are built locally).
#
#   bash scripts/install-code-server.sh          # install, or do nothing if already installed and working
#   bash scripts/install-code-server.sh --force  # wipe the cache and install again
#
# Layout:   .vscode-test/code-server/node_modules/code-server/out/node/entry.js   (run with `node`)
# Override: CODE_SERVER_DIR=/some/dir (the harness reads the same variable).
# Needs:    Node 20, make/g++/python3, and the Debian packages of scripts/install-system-deps.sh.
set -euo pipefail

VERSION=4.100.3
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${CODE_SERVER_DIR:-$ROOT/.vscode-test/code-server}"
PKG="$DIR/node_modules/code-server"
MARKER="$DIR/.installed-$VERSION"

t0=$(date +%s)
elapsed() { echo "$(( $(date +%s) - t0 ))s"; }
log() { echo "[code-server] $* (+$(elapsed))"; }

# Succeeds when the cached install is complete and starts.
working() {
  [ -f "$MARKER" ] && [ -x "$PKG/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] &&
    node "$PKG/out/node/entry.js" --version 2>/dev/null | grep -q "^$VERSION "
}

if [ "${1:-}" = "--force" ]; then
  rm -rf "$DIR"
elif working; then
  log "already installed and working: $PKG"
  exit 0
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" != 20 ]; then
  echo "[code-server] code-server $VERSION needs Node 20, found $(node -v)" >&2
  exit 1
fi
if ! command -v rg >/dev/null; then
  echo "[code-server] ripgrep (rg) missing: run scripts/install-system-deps.sh first" >&2
  exit 1
fi

# Root may run package scripts (npm rebuild) and npx never prompts.
export npm_config_unsafe_perm=true npm_config_yes=true
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
# node-gyp must find Node's headers locally instead of downloading them.
if [ -z "${npm_config_nodedir:-}" ] && [ -z "$(npm config get nodedir 2>/dev/null | grep -v '^undefined$' || true)" ]; then
  nodedir="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  [ -f "$nodedir/include/node/node.h" ] && export npm_config_nodedir="$nodedir"
fi

rm -f "$MARKER"
mkdir -p "$DIR"
# Own package.json so that npm never walks up to the project's.
[ -f "$DIR/package.json" ] || echo '{ "name": "code-server-cache", "private": true }' > "$DIR/package.json"

log "npm install code-server@$VERSION --ignore-scripts"
npm install --prefix "$DIR" --no-save --ignore-scripts --omit=dev --no-package-lock "code-server@$VERSION"

# What code-server's postinstall.sh does, with scripts off (the ripgrep one would download from GitHub).
# argon2 (code-server's own native dependency) is hoisted to $DIR/node_modules.
cd "$DIR"
log "npm rebuild argon2"
npm rebuild argon2

cd "$PKG/lib/vscode"
log "npm install in lib/vscode (--ignore-scripts)"
npm install --omit=dev --ignore-scripts

log "ripgrep from $(command -v rg)"
mkdir -p node_modules/@vscode/ripgrep/bin
cp -f "$(readlink -f "$(command -v rg)")" node_modules/@vscode/ripgrep/bin/rg
chmod +x node_modules/@vscode/ripgrep/bin/rg

log "npm rebuild native modules"
npm rebuild @parcel/watcher @vscode/spdlog kerberos native-watchdog node-pty @vscode/deviceid

rm -rf node_modules.asar
ln -s node_modules node_modules.asar
(cd bin/remote-cli && rm -f code-server && ln -s code-linux.sh code-server)
(cd bin/helpers && rm -f browser.sh && ln -s browser-linux.sh browser.sh)

cd extensions
log "npm install in lib/vscode/extensions (--ignore-scripts)"
npm install --omit=dev --ignore-scripts

touch "$MARKER"
if ! working; then
  echo "[code-server] installed, but '$PKG/out/node/entry.js --version' does not report $VERSION" >&2
  exit 1
fi
log "installed $(node "$PKG/out/node/entry.js" --version | head -1) in $(du -sh "$DIR" | cut -f1)"
