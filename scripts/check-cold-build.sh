#!/usr/bin/env bash
# Builds one sandbox binary as a brand-new machine would: empty Go module cache, empty Go
# build cache and empty sandbox cache. KWOK is the one to build: besides compiling, the build
# reads its stage configs out of the module, which an empty module cache does not hold until
# the module is downloaded (the step every warm run passed and a cold CI run failed).
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="$(mktemp -d)"
trap 'chmod -R u+w "$scratch" 2>/dev/null || true; rm -rf "$scratch"' EXIT
started=$SECONDS
GOMODCACHE="$scratch/gomod" GOCACHE="$scratch/gobuild" MLOPS_SANDBOX_CACHE="$scratch/sandbox" \
  GOFLAGS=-modcacherw bash packages/sandbox/scripts/build-binaries.sh kwok
kwok_dir="$(MLOPS_SANDBOX_CACHE="$scratch/sandbox" bash packages/sandbox/scripts/build-binaries.sh --print-paths kwok | awk '{print $2}' | xargs dirname)"
test -x "$kwok_dir/kwok" || { echo "cold build: no kwok binary in $kwok_dir" >&2; exit 1; }
stages="$(find "$kwok_dir/stage" -name '*.yaml' | wc -l)"
if [ "$stages" -eq 0 ]; then
  echo "cold build: KWOK's stage configs were not copied out of the module" >&2
  exit 1
fi
echo "cold build of kwok with empty caches: ok in $((SECONDS - started))s ($stages stage files)"
