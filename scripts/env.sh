# Sourced by every project script: puts Node 22+ and the project's yarn on PATH.
# Idempotent; installs nothing globally. Node comes from the npm registry package
# node-linux-<arch> into .tools/ (git-ignored) only when the machine's node is older than 22.

MLOPS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MLOPS_NODE_VERSION="22.23.3"
# Must match "packageManager" in package.json.
MLOPS_YARN_VERSION="$(sed -n 's/.*"packageManager": *"yarn@\([^"]*\)".*/\1/p' "$MLOPS_ROOT/package.json")"
MLOPS_TOOLS="$MLOPS_ROOT/.tools"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  local arch pkg dir
  if command -v node >/dev/null 2>&1 && [ "$(node_major)" -ge 22 ]; then
    return 0
  fi
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "env.sh: unsupported CPU $(uname -m); install Node 22 yourself" >&2; return 1 ;;
  esac
  pkg="node-linux-$arch"
  dir="$MLOPS_TOOLS/node/node_modules/$pkg"
  if [ ! -x "$dir/bin/node" ] || [ "$("$dir/bin/node" --version)" != "v$MLOPS_NODE_VERSION" ]; then
    command -v npm >/dev/null 2>&1 || { echo "env.sh: need npm to fetch Node $MLOPS_NODE_VERSION" >&2; return 1; }
    echo "env.sh: fetching Node $MLOPS_NODE_VERSION ($pkg) into .tools/node" >&2
    mkdir -p "$MLOPS_TOOLS/node"
    npm install --silent --no-audit --no-fund --prefix "$MLOPS_TOOLS/node" "$pkg@$MLOPS_NODE_VERSION" >&2
  fi
  export PATH="$dir/bin:$PATH"
  # Native modules (better-sqlite3) compile against these headers instead of downloading them.
  export npm_config_nodedir="$dir"
}

ensure_yarn() {
  local dir="$MLOPS_TOOLS/yarn" release
  release="$dir/node_modules/@yarnpkg/cli-dist/bin/yarn.js"
  # The registry comes from the machine's npm configuration, never from a committed file.
  if [ -z "${YARN_NPM_REGISTRY_SERVER:-}" ] && command -v npm >/dev/null 2>&1; then
    YARN_NPM_REGISTRY_SERVER="$(npm config get registry 2>/dev/null | sed 's#/$##')"
    export YARN_NPM_REGISTRY_SERVER
  fi
  export YARN_ENABLE_TELEMETRY=0
  # The yarn bundle names registry hosts, so it is fetched here (git-ignored) instead of committed.
  if [ ! -f "$release" ] || [ "$(node -p 'require(process.argv[1]).version' "$dir/node_modules/@yarnpkg/cli-dist/package.json" 2>/dev/null)" != "$MLOPS_YARN_VERSION" ]; then
    command -v npm >/dev/null 2>&1 || { echo "env.sh: need npm to fetch yarn $MLOPS_YARN_VERSION" >&2; return 1; }
    echo "env.sh: fetching yarn $MLOPS_YARN_VERSION (@yarnpkg/cli-dist) into .tools/yarn" >&2
    mkdir -p "$dir"
    npm install --silent --no-audit --no-fund --prefix "$dir" "@yarnpkg/cli-dist@$MLOPS_YARN_VERSION" >&2
  fi
  mkdir -p "$MLOPS_TOOLS/bin"
  printf '#!/bin/sh\nexec node "%s" "$@"\n' "$release" >"$MLOPS_TOOLS/bin/yarn"
  chmod +x "$MLOPS_TOOLS/bin/yarn"
  export PATH="$MLOPS_TOOLS/bin:$PATH"
}

ensure_node && ensure_yarn
if [ -z "${npm_config_nodedir:-}" ]; then
  # Node from elsewhere (Debian, nvm): its headers live next to its prefix.
  npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")"
  export npm_config_nodedir
fi
