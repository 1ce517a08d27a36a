#!/usr/bin/env bash
# Builds the test cluster's binaries from Go modules (no binary downloads are possible here):
# kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, etcd, kwok, kwokctl, helm
# into ~/.cache/cloudpilot/k8s/<K8S_VERSION>/bin/, and Prometheus and Alertmanager into
# ~/.cache/cloudpilot/telemetry/bin/. Idempotent (skips binaries that exist; the telemetry ones
# are rebuilt when they report another version), serialised by flock so two concurrent runs don't
# race on the same cache. `build.sh telemetry` builds only Prometheus and Alertmanager.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

if ! command -v go >/dev/null 2>&1; then
  echo "cluster:build: Go >= 1.26 is required to build the test cluster (install Go, or set CLOUDPILOT_K8S_BIN_DIR to a directory with kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, etcd, kwok, kwokctl)" >&2
  exit 1
fi

cache_root="${CLOUDPILOT_K8S_CACHE:-$HOME/.cache/cloudpilot/k8s}/$K8S_VERSION"
bin_dir="$cache_root/bin"
work_dir="$cache_root/work"
mkdir -p "$bin_dir" "$work_dir"

exec 9>"$cache_root/build.lock"
if ! flock -n 9; then
  echo "cluster:build: another build holds $cache_root/build.lock; waiting for it"
  flock 9
fi

# Modest parallelism: the machine has 2 cores and other work (npm, tests) shares them.
export GOFLAGS="${GOFLAGS:-} -mod=mod"
export CGO_ENABLED=0
export GOTOOLCHAIN=local
build_flags=(-p "${CLOUDPILOT_GO_BUILD_P:-2}" -trimpath)

log() { echo "[cluster:build $(date -u +%H:%M:%S)] $*"; }
have() { [[ -x "$bin_dir/$1" ]]; }

build_etcd() {
  have etcd && return 0
  log "etcd $ETCD_VERSION"
  local d="$work_dir/etcd"
  mkdir -p "$d"
  # `go install go.etcd.io/etcd/server/v3@v` refuses modules with replace directives, so a
  # wrapper module requires it; MVS then takes etcd's sibling modules at matching versions.
  cat >"$d/go.mod" <<MOD
module cloudpilot.local/etcd-build

go 1.26

require go.etcd.io/etcd/server/v3 $ETCD_VERSION
MOD
  (cd "$d" && go mod download go.etcd.io/etcd/server/v3 && go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" \
    && go build "${build_flags[@]}" -ldflags "-s -w" -o "$bin_dir/etcd.tmp" go.etcd.io/etcd/server/v3)
  mv "$bin_dir/etcd.tmp" "$bin_dir/etcd"
}

build_go_install() { # name package version [extra ldflags]
  have "$1" && return 0
  log "$1 $3"
  GOBIN="$bin_dir" go install "${build_flags[@]}" -ldflags "-s -w ${4:-}" "$2@$3"
}

build_kubernetes() {
  local cmds=(kube-apiserver kube-controller-manager kube-scheduler kubectl) missing=() c
  for c in "${cmds[@]}"; do have "$c" || missing+=("$c"); done
  ((${#missing[@]})) || return 0
  log "kubernetes $K8S_VERSION: ${missing[*]}"
  local d="$work_dir/kubernetes" gomod staging_version="v0${K8S_VERSION#v1}"
  mkdir -p "$d"
  gomod="$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
  [[ -f "$gomod" ]] || { echo "cluster:build: could not download k8s.io/kubernetes@$K8S_VERSION go.mod" >&2; exit 1; }
  # k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with ./staging
  # paths, which only work inside its own repository. Map each one to its published release.
  {
    echo "module cloudpilot.local/kubernetes-build"
    echo
    echo "go $(sed -n 's/^go \([0-9.]*\)$/\1/p' "$gomod")"
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    echo "replace ("
    sed -n 's#^[[:space:]]*\([^[:space:]]*\) => \./staging/.*$#\t\1 => \1 '"$staging_version"'#p' "$gomod"
    echo ")"
  } >"$d/go.mod"
  local date_now ldflags="-s -w" pkg major minor
  date_now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  major="${K8S_VERSION#v}"; major="${major%%.*}"
  minor="${K8S_VERSION#v*.}"; minor="${minor%%.*}"
  # Without these stamps the binaries report v0.0.0 and kwokctl/kubectl treat them as ancient.
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$date_now"
  done
  local pkgs=()
  for c in "${missing[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c@$K8S_VERSION"); done
  (cd "$d" && go get "${pkgs[@]}")
  for c in "${missing[@]}"; do
    log "  go build $c"
    (cd "$d" && go build "${build_flags[@]}" -ldflags "$ldflags" -o "$bin_dir/$c.tmp" "k8s.io/kubernetes/cmd/$c")
    mv "$bin_dir/$c.tmp" "$bin_dir/$c"
  done
}

# Stages and CRDs come from the same Go modules, copied next to the binaries so that cluster:up
# needs neither Go nor the network. Nothing here is committed to the repository.
gather_assets() {
  local assets="$cache_root/assets" dir
  [[ -f "$assets/.complete" ]] && return 0
  log "assets: KWOK stages, Istio $ISTIO_API_VERSION and Gateway API $GATEWAY_API_VERSION CRDs"
  rm -rf "$assets.tmp" && mkdir -p "$assets.tmp/stages" "$assets.tmp/crds/gateway-api"
  dir="$(module_dir "sigs.k8s.io/kwok@$KWOK_VERSION")"
  # The same set kwokctl uses when it is given no stages (node/fast, heartbeat with lease, pod/fast).
  cp "$dir/kustomize/stage/node/fast/node-initialize.yaml" \
     "$dir/kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
     "$dir/kustomize/stage/pod/fast/pod-ready.yaml" \
     "$dir/kustomize/stage/pod/fast/pod-complete.yaml" \
     "$dir/kustomize/stage/pod/fast/pod-delete.yaml" "$assets.tmp/stages/"
  dir="$(module_dir "istio.io/api@$ISTIO_API_VERSION")"
  cp "$dir/kubernetes/customresourcedefinitions.gen.yaml" "$assets.tmp/crds/istio.yaml"
  dir="$(module_dir "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION")"
  cp "$dir"/config/crd/standard/*.yaml "$assets.tmp/crds/gateway-api/"
  chmod -R u+w "$assets.tmp"
  touch "$assets.tmp/.complete"
  rm -rf "$assets" && mv "$assets.tmp" "$assets"
}

# Prometheus and Alertmanager are not versioned with Kubernetes, so they live in their own cache
# and are checked by the version they report rather than by directory.
telemetry_root="${CLOUDPILOT_TELEMETRY_CACHE:-$HOME/.cache/cloudpilot/telemetry}"

has_version() { # binary version
  [[ -x "$telemetry_root/bin/$1" ]] && "$telemetry_root/bin/$1" --version 2>&1 | head -1 | grep -q "version $2 "
}

build_telemetry() {
  mkdir -p "$telemetry_root/bin"
  exec 8>"$telemetry_root/build.lock"
  flock 8
  local stamp=github.com/prometheus/common/version
  if ! has_version prometheus "$PROMETHEUS_VERSION"; then
    log "prometheus $PROMETHEUS_VERSION (module $PROMETHEUS_MODULE_VERSION)"
    # netgo keeps the static binary off the C resolver. No builtinassets tag: the web UI's
    # embedded assets are generated by an npm build and are not in the Go module, so the tag
    # fails to compile (undefined: EmbedFS). The HTTP API, all that tests use, is complete.
    GOBIN="$telemetry_root/bin" go install "${build_flags[@]}" -tags netgo \
      -ldflags "-s -w -X $stamp.Version=$PROMETHEUS_VERSION" \
      "github.com/prometheus/prometheus/cmd/prometheus@$PROMETHEUS_MODULE_VERSION"
  fi
  if ! has_version alertmanager "${ALERTMANAGER_VERSION#v}"; then
    log "alertmanager $ALERTMANAGER_VERSION"
    # Its ui package embeds app/dist, the output of an npm build that the Go module does not
    # ship, so `go install` fails ("pattern app/dist: no matching files found"). Build from a
    # copy of the module with a placeholder page there; the API is unaffected.
    local src="$telemetry_root/work/alertmanager-$ALERTMANAGER_VERSION"
    rm -rf "$src" && mkdir -p "$(dirname "$src")"
    cp -r "$(module_dir "github.com/prometheus/alertmanager@$ALERTMANAGER_VERSION")" "$src"
    chmod -R u+w "$src"
    local ui
    for ui in elm mantine; do
      mkdir -p "$src/ui/app/dist/$ui"
      echo '<!doctype html><title>Alertmanager</title><p>Web UI not built; use the API.</p>' \
        >"$src/ui/app/dist/$ui/index.html"
    done
    (cd "$src" && go build "${build_flags[@]}" \
      -ldflags "-s -w -X $stamp.Version=${ALERTMANAGER_VERSION#v}" \
      -o "$telemetry_root/bin/alertmanager.tmp" ./cmd/alertmanager)
    mv "$telemetry_root/bin/alertmanager.tmp" "$telemetry_root/bin/alertmanager"
    rm -rf "$src"
  fi
  exec 8>&-
}

module_dir() {
  local d
  d="$(go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -d "$d" ]] || { echo "cluster:build: could not download Go module $1" >&2; exit 1; }
  echo "$d"
}

start=$SECONDS
what="${1:-all}"
case "$what" in
  assets) gather_assets ;;
  telemetry) build_telemetry ;;
  all)
    gather_assets
    build_etcd
    build_go_install kwok sigs.k8s.io/kwok/cmd/kwok "$KWOK_VERSION"
    build_go_install kwokctl sigs.k8s.io/kwok/cmd/kwokctl "$KWOK_VERSION"
    build_kubernetes
    # Unstamped, helm reports only "v3.22".
    build_go_install helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION" \
      "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
    build_telemetry
    ;;
  *) echo "usage: build.sh [all|assets|telemetry]" >&2; exit 2 ;;
esac
log "done in $((SECONDS - start))s: $bin_dir $telemetry_root/bin"
ls -la "$bin_dir" "$telemetry_root/bin"
