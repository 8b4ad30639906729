#!/usr/bin/env bash
# Command 1: installs what is missing and runs the product locally: Backstage with the MLOps
# plugins and the example entities (frontend http://localhost:3000, backend :7007), pointed at
# the local sandbox cluster (packages/sandbox: fake GPU nodes, Prometheus, vLLM simulators,
# operator stand-ins). MLOPS_SANDBOX=0 skips the sandbox. Stop the sandbox with
# `packages/sandbox/bin/mlops-sandbox down`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

# A warm install takes seconds and keeps node_modules in step with yarn.lock.
yarn install

if [ "${MLOPS_SANDBOX:-1}" != 0 ]; then
  # Idempotent: reuses a running sandbox; the first run builds its binaries (~15 min on 2 cores).
  packages/sandbox/bin/mlops-sandbox up
  # backstage-cli loads app-config.local.yaml after app-config.yaml when no --config is given.
  # It is git-ignored and holds the sandbox's tokens; a hand-written one is left alone.
  if [ ! -e app-config.local.yaml ] || head -n 1 app-config.local.yaml | grep -q 'mlops-sandbox app-config'; then
    packages/sandbox/bin/mlops-sandbox app-config --output app-config.local.yaml
  else
    echo "start.sh: app-config.local.yaml was not written by mlops-sandbox; leaving it as it is" >&2
  fi
fi
exec yarn start "$@"
