#!/usr/bin/env bash
# Runs a command next to a throwaway PostgreSQL on 127.0.0.1 (see with-postgres.mjs) and
# returns the command's exit code:  scripts/postgres/with-postgres.sh -- <command> [args...]
set -euo pipefail
exec node "$(dirname "${BASH_SOURCE[0]}")/with-postgres.mjs" "$@"
