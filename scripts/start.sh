#!/usr/bin/env bash
# Command 1: installs what is missing and runs the product locally: Backstage with the MLOps
# plugins and the example entities (frontend http://localhost:3000, backend :7007).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

# A warm install takes seconds and keeps node_modules in step with yarn.lock.
yarn install
exec yarn start "$@"
