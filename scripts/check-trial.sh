#!/usr/bin/env bash
# The README's second command, checked right after the first (scripts/test.sh), as .ci/run does:
# `scripts/matrix-install up --tls self-signed` through the from-a-checkout runner, with DOCKER_HOST
# unset exactly as an operator types it, must end healthy and serve the client API over HTTPS; a second
# run must print `no changes`. Everything lives under a temp directory with its own Compose projects and
# loopback ports (not the defaults), and is torn down at the end, whatever happened.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

PROJECT=mi-d-trial
HTTPS=18414
FEDERATION=18415
tree=$(mktemp -d /tmp/mi-d-trial.XXXXXX)
export MATRIX_INSTALL_STATE_DIR="$tree/state"   # the recorded install stays in the temp tree, not /etc
config=(--domain trial.example.org --email admin@example.org --tls self-signed --set refresh.schedule=off
  --set "base_dir=$tree/data/matrix" --set "proxy_dir=$tree/root/nginx" --set "proxy_data_dir=$tree/data/nginx"
  --set "compose.matrix_project=$PROJECT" --set "compose.proxy_project=$PROJECT-proxy"
  --set ports.synapse=18411 --set ports.element=18412 --set ports.http=18413
  --set "ports.https=$HTTPS" --set "ports.federation=$FEDERATION")
# --pull never: the stand-in images are local and no registry answers here.
args=(up "${config[@]}" --pull never --timeout 240)

log() { printf '[check-trial %3ss] %s\n' "$SECONDS" "$*"; }
fail() { printf '[check-trial] FAILED: %s\n' "$*" >&2; exit 1; }

teardown() {
  # The engine the runner used: the default one when it answers, else the harness's (as the runner chooses).
  if ! (unset DOCKER_HOST; timeout 10 docker info >/dev/null 2>&1) && [[ -r /run/matrix-install-it/env ]]; then
    export "$(grep -m1 '^DOCKER_HOST=' /run/matrix-install-it/env)"
  fi
  local compose=(docker-compose)
  docker compose version >/dev/null 2>&1 && compose=(docker compose)
  [[ -f $tree/root/nginx/compose.yml ]] && "${compose[@]}" -p "$PROJECT-proxy" -f "$tree/root/nginx/compose.yml" down -v -t 5 >/dev/null 2>&1
  [[ -f $tree/data/matrix/docker-compose.yml ]] && "${compose[@]}" -p "$PROJECT" -f "$tree/data/matrix/docker-compose.yml" down -v -t 5 >/dev/null 2>&1
  rm -rf "$tree"
}
trap teardown EXIT

run() { env -u DOCKER_HOST "$repo/scripts/matrix-install" "$@"; }

log "scripts/matrix-install ${args[*]:0:7} (own base dir, projects and ports)"
run "${args[@]}" >"$tree/up1.out" 2>"$tree/up1.err" || { cat "$tree/up1.out" "$tree/up1.err" >&2; fail "first up"; }
grep -q '^synapse is healthy' "$tree/up1.out" || fail "first up did not report healthy"
versions=$(curl -fsk --max-time 10 "https://127.0.0.1:$HTTPS/_matrix/client/versions") || fail "no client API on https port $HTTPS"
[[ $versions == *'"versions"'* ]] || fail "unexpected /_matrix/client/versions: $versions"
curl -fsk --max-time 10 "https://127.0.0.1:$FEDERATION/_matrix/key/v2/server" | grep -q '"server_name":"trial.example.org"' \
  || fail "no federation key on port $FEDERATION"
run "${args[@]}" >"$tree/up2.out" 2>"$tree/up2.err" || { cat "$tree/up2.out" "$tree/up2.err" >&2; fail "second up"; }
grep -qx 'no changes' "$tree/up2.out" || { cat "$tree/up2.out" >&2; fail "second up changed something"; }
run status "${config[@]}" >"$tree/status.out" 2>&1 || { cat "$tree/status.out" >&2; fail "status after up"; }
log "ok: healthy, client API over HTTPS, second run 'no changes', status agrees"
