#!/usr/bin/env bash
# Debian packages the tests and the sandbox run for real: Prometheus (metrics queries),
# Chromium (the browser test of the entity cards) and PostgreSQL (database and replica tests).
# Installs what is missing when running as root with apt-get; otherwise says what to install.
set -euo pipefail
missing=()
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || {
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  }
  # Package installs may start a system-wide daemon; tests start their own on 127.0.0.1.
  if command -v service >/dev/null 2>&1; then
    service prometheus stop >/dev/null 2>&1 || true
    service postgresql stop >/dev/null 2>&1 || true
  fi
else
  echo "missing: ${missing[*]}; install them (Debian: sudo apt-get install -y ${missing[*]})" >&2
  exit 1
fi
