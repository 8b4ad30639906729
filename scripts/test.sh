#!/usr/bin/env bash
# Command 2: every check, from a fresh clone. Immutable install, type check, lint, format,
# control-plane binaries, unit and integration tests, the frontend bundle, smoke tests of the
# real backend, and a Chromium test of the entity cards against the sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
step() { printf '\n== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }
started=$SECONDS

step "install (immutable)"
yarn install --immutable

step "type check"
yarn tsc

step "API reports (an API change must show in plugins/*/report*.api.md)"
yarn build:api-reports --ci

step "lint"
yarn backstage-cli repo lint

step "format"
yarn prettier --check 'plugins/**/*.{ts,tsx}' 'packages/*/src/**/*.{ts,tsx}' 'scripts/**/*.mjs'

step "system packages (Prometheus, Chromium, PostgreSQL)"
bash scripts/ensure-system-packages.sh

step "control-plane binaries (built once per version, cached outside the clone)"
bash packages/sandbox/scripts/build-binaries.sh --all

step "fresh-machine build (one binary with empty Go module, Go build and sandbox caches)"
bash scripts/check-cold-build.sh

step "unit and integration tests (jest; *.integration.test.ts use a real kube-apiserver + etcd, store tests also a real PostgreSQL)"
jest_status=0
CI=true scripts/postgres/with-postgres.sh -- packages/sandbox/bin/mlops-sandbox exec -- \
  yarn backstage-cli repo test --json --outputFile="$results/jest.json" || jest_status=$?

step "frontend bundle"
yarn workspace app build

step "smoke tests of the real backend, browser e2e tests, the stock-app install test, RHDH dynamic plugins and reliability tests (node --test)"
node_status=0
node --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$results/smoke.tap" \
  scripts/smoke/*.test.mjs scripts/e2e/*.e2e.test.mjs scripts/stock-app/*.test.mjs \
  scripts/dynamic-plugins/*.test.mjs \
  scripts/reliability/*.reliability.test.mjs || node_status=$?

passed=$(node -e '
  const fs = require("fs");
  const jest = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  const tap = fs.readFileSync(process.argv[2], "utf8");
  const count = key => Number((tap.match(new RegExp("^# " + key + " (\\d+)$", "m")) || [0, 0])[1]);
  const pass = jest.numPassedTests + count("pass");
  const fail = jest.numFailedTests + count("fail") + (jest.numRuntimeErrorTestSuites || 0);
  console.log(`${pass} ${fail}`);
' "$results/jest.json" "$results/smoke.tap" 2>/dev/null || echo "0 1")
read -r pass fail <<<"$passed"
node scripts/slowest-tests.mjs "$results/jest.json" "$results/smoke.tap" || true
printf '\nall checks took %ss\n' "$((SECONDS - started))"
echo "tests: $pass passed, $fail failed"
if [ "$jest_status" -ne 0 ] || [ "$node_status" -ne 0 ] || [ "$fail" -ne 0 ]; then
  exit 1
fi
