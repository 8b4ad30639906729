#!/usr/bin/env bash
# Builds the sandbox's control-plane binaries from Go modules (no downloads but the Go
# module proxy) into a cache outside the clone, keyed by version:
#   $CACHE/bin/<kubernetes version>/{kube-apiserver,kubectl,kube-controller-manager,kube-scheduler}
#   $CACHE/bin/etcd-<etcd version>/etcd
#   $CACHE/bin/kwok-<kwok version>/{kwok,stage/}     (tier 2; stage/ = KWOK's kustomize stages)
#   $CACHE/bin/inference-sim-<version>/llm-d-inference-sim   (tier 2; loopback-only main, ../go/inference-sim)
#   $CACHE/bin/kuberay-<version>/kuberay-operator   (tier 2; the real operator, ../go/kuberay)
# CACHE = ${MLOPS_SANDBOX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mlops-sandbox}
# Versions come from ../versions.json and must match the wrapper modules in ../go/*.
# Binaries that exist are not rebuilt; a lock in the cache dir serialises concurrent runs.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: build-binaries.sh [--all] [--print-dir | --print-paths] [BINARY...]
  (no BINARY)   etcd, kube-apiserver, kubectl
  --all         also kube-controller-manager, kube-scheduler, kwok, llm-d-inference-sim and
                kuberay-operator (tier 2)
  BINARY        any of: etcd kube-apiserver kubectl kube-controller-manager kube-scheduler
                kwok llm-d-inference-sim kuberay-operator
  --print-dir   print the cache's bin directory and exit (builds nothing)
  --print-paths print "<name> <path>" for the selected binaries and exit (builds nothing)
USAGE
}

SANDBOX_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${MLOPS_SANDBOX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mlops-sandbox}"
BIN_ROOT="$CACHE_DIR/bin"

read_version() { # key
  local file="$SANDBOX_DIR/versions.json"
  if command -v node >/dev/null 2>&1; then
    node -p "require(process.argv[1])[process.argv[2]]" "$file" "$1"
  else
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$file" "$1"
  fi
}
K8S_VERSION="$(read_version kubernetes)"
ETCD_VERSION="$(read_version etcd)"
KWOK_VERSION="$(read_version kwok)"
SIM_VERSION="$(read_version inferenceSim)"
KUBERAY_VERSION="$(read_version kuberay)"
KUBE_BIN_DIR="$BIN_ROOT/$K8S_VERSION"
ETCD_BIN_DIR="$BIN_ROOT/etcd-$ETCD_VERSION"
KWOK_BIN_DIR="$BIN_ROOT/kwok-$KWOK_VERSION"
SIM_BIN_DIR="$BIN_ROOT/inference-sim-$SIM_VERSION"
KUBERAY_BIN_DIR="$BIN_ROOT/kuberay-$KUBERAY_VERSION"

mode=build
selected=()
for arg in "$@"; do
  case "$arg" in
    --all) selected+=(etcd kube-apiserver kubectl kube-controller-manager kube-scheduler kwok llm-d-inference-sim kuberay-operator) ;;
    --print-dir) mode=print-dir ;;
    --print-paths) mode=print-paths ;;
    -h|--help) usage; exit 0 ;;
    etcd|kube-apiserver|kubectl|kube-controller-manager|kube-scheduler|kwok|llm-d-inference-sim|kuberay-operator) selected+=("$arg") ;;
    *) echo "build-binaries: unknown argument: $arg" >&2; usage >&2; exit 2 ;;
  esac
done
[ ${#selected[@]} -gt 0 ] || selected=(etcd kube-apiserver kubectl)
# de-duplicate, keep order
declare -A seen=()
binaries=()
for b in "${selected[@]}"; do
  [ -n "${seen[$b]:-}" ] || { seen[$b]=1; binaries+=("$b"); }
done

bin_path() { # name
  case "$1" in
    etcd) echo "$ETCD_BIN_DIR/etcd" ;;
    kwok) echo "$KWOK_BIN_DIR/kwok" ;;
    llm-d-inference-sim) echo "$SIM_BIN_DIR/llm-d-inference-sim" ;;
    kuberay-operator) echo "$KUBERAY_BIN_DIR/kuberay-operator" ;;
    *) echo "$KUBE_BIN_DIR/$1" ;;
  esac
}

case "$mode" in
  print-dir) echo "$BIN_ROOT"; exit 0 ;;
  print-paths) for b in "${binaries[@]}"; do echo "$b $(bin_path "$b")"; done; exit 0 ;;
esac

command -v go >/dev/null 2>&1 || { echo "build-binaries: 'go' not found on PATH (Go >= 1.26 needed)" >&2; exit 1; }

check_module_version() { # dir module expected
  local got
  got="$(cd "$1" && go list -mod=readonly -m -f '{{.Version}}' "$2")"
  if [ "$got" != "$3" ]; then
    echo "build-binaries: versions.json says $2 $3 but $1/go.mod has $got" >&2
    exit 1
  fi
}

module_dir() { # dir module: the module's source directory, failing loudly if it is not there
  local dir
  dir="$(cd "$1" && go list -mod=readonly -m -f '{{.Dir}}' "$2")"
  if [ -z "$dir" ] || [ ! -d "$dir" ]; then
    echo "build-binaries: module $2 has no source directory after download (GOMODCACHE=$(go env GOMODCACHE))" >&2
    exit 1
  fi
  echo "$dir"
}

mkdir -p "$KUBE_BIN_DIR" "$ETCD_BIN_DIR" "$KWOK_BIN_DIR" "$SIM_BIN_DIR" "$KUBERAY_BIN_DIR"
exec 9>"$CACHE_DIR/build.lock"
if ! flock -n 9; then
  echo "build-binaries: another build holds $CACHE_DIR/build.lock; waiting" >&2
  flock 9
fi

kube_ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  kube_ldflags+=" -X $pkg.gitVersion=$K8S_VERSION"
  kube_ldflags+=" -X $pkg.gitMajor=$(echo "${K8S_VERSION#v}" | cut -d. -f1)"
  kube_ldflags+=" -X $pkg.gitMinor=$(echo "${K8S_VERSION#v}" | cut -d. -f2)"
  kube_ldflags+=" -X $pkg.gitTreeState=clean"
done

checked_kube=""
checked_etcd=""
for b in "${binaries[@]}"; do
  out="$(bin_path "$b")"
  if [ "$b" = kwok ] && [ -x "$out" ] && [ ! -d "$KWOK_BIN_DIR/stage" ]; then
    rm -f "$out" # a binary without its stage configs is incomplete
  fi
  if [ -x "$out" ]; then
    echo "$b: cached ($out)"
    continue
  fi
  case "$b" in
    etcd)
      moddir="$SANDBOX_DIR/go/etcd"
      [ -n "$checked_etcd" ] || { check_module_version "$moddir" go.etcd.io/etcd/server/v3 "$ETCD_VERSION"; checked_etcd=1; }
      pkg=go.etcd.io/etcd/server/v3
      ldflags="-s -w"
      ;;
    kwok)
      moddir="$SANDBOX_DIR/go/kwok"
      check_module_version "$moddir" sigs.k8s.io/kwok "$KWOK_VERSION"
      pkg=sigs.k8s.io/kwok/cmd/kwok
      ldflags="-s -w"
      # KWOK's own stage configs (kustomize folders) from the module, next to the binary.
      # An empty module cache prints an empty Dir until the module is downloaded.
      (cd "$moddir" && go mod download sigs.k8s.io/kwok)
      stage_src="$(module_dir "$moddir" sigs.k8s.io/kwok)/kustomize/stage"
      rm -rf "$KWOK_BIN_DIR/stage"
      cp -R "$stage_src" "$KWOK_BIN_DIR/stage"
      chmod -R u+w "$KWOK_BIN_DIR/stage"
      ;;
    llm-d-inference-sim)
      moddir="$SANDBOX_DIR/go/inference-sim"
      check_module_version "$moddir" github.com/llm-d/llm-d-inference-sim "$SIM_VERSION"
      pkg=.
      ldflags="-s -w"
      ;;
    kuberay-operator)
      moddir="$SANDBOX_DIR/go/kuberay"
      check_module_version "$moddir" github.com/ray-project/kuberay/ray-operator "$KUBERAY_VERSION"
      pkg=github.com/ray-project/kuberay/ray-operator # its main package is the module root
      ldflags="-s -w"
      ;;
    *)
      moddir="$SANDBOX_DIR/go/kube"
      [ -n "$checked_kube" ] || { check_module_version "$moddir" k8s.io/kubernetes "$K8S_VERSION"; checked_kube=1; }
      pkg="k8s.io/kubernetes/cmd/$b"
      ldflags="$kube_ldflags"
      ;;
  esac
  tmp="$(dirname "$out")/.$b.tmp.$$"
  trap 'rm -f "$tmp"' EXIT
  echo "$b: building $pkg ..." >&2
  start=$SECONDS
  (cd "$moddir" && CGO_ENABLED=0 go build -mod=readonly -trimpath -ldflags "$ldflags" -o "$tmp" "$pkg")
  mv -f "$tmp" "$out"
  trap - EXIT
  echo "$b: built in $((SECONDS - start))s ($out)"
done

echo "kube bin dir: $KUBE_BIN_DIR"
echo "etcd bin dir: $ETCD_BIN_DIR"
