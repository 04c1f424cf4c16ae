#!/usr/bin/env bash
# `up` on a host where Docker is installed but not running and systemd is not PID 1 (this machine kind)
# must start the engine itself and go on. Checked for real, but out of everyone's way: the agent runs in
# private mount, network and PID namespaces, with fresh tmpfs over /run, /var/lib, /var/log and
# /etc/docker, so the engine it starts sees no other engine, socket or bridge and dies with the namespace
# (and apt/dpkg, whose state is under /var/lib, could not touch the host's packages even if asked to).
# Needs Docker installed (scripts/test.sh installs docker.io); .ci/run calls it after the tests.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar="$repo/installer/target/matrix-install.jar"
[[ -f $jar ]] || { echo "check-docker-start: $jar missing (run scripts/test.sh first)" >&2; exit 1; }

tree=$(mktemp -d /tmp/mi-d-docker-start.XXXXXX)
made_etc_docker=
[[ -d /etc/docker ]] || { mkdir /etc/docker; made_etc_docker=1; }
cleanup() {
  rm -rf "$tree"
  [[ -z $made_etc_docker ]] || rmdir /etc/docker
}
trap cleanup EXIT

# Inside the namespaces: `up --pull never` (the new engine has no images, so it stops at the images step,
# after the Docker step), then what the engine and the host look like.
cat >"$tree/inside.sh" <<'EOF'
set -u
tree=$1 jar=$2
export MATRIX_INSTALL_STATE_DIR="$tree/state"   # the recorded install stays in the temp tree, not /etc
ip link set lo up
for dir in /run /var/lib /var/log /etc/docker; do mount -t tmpfs tmpfs "$dir"; done
unset DOCKER_HOST
timeout 180 java -jar "$jar" up --domain matrix.example.org --email admin@example.org --tls none --pull never \
  --set "base_dir=$tree/data/matrix" --set "proxy_dir=$tree/root/nginx" --set "proxy_data_dir=$tree/data/nginx" --set refresh.schedule=off \
  >"$tree/up.out" 2>"$tree/up.err"
echo "$?" >"$tree/up.rc"
docker info --format '{{.ServerVersion}}' >"$tree/engine" 2>&1
cp /etc/docker/daemon.json "$tree/daemon.json" 2>/dev/null
java -jar "$jar" up --dry-run --domain matrix.example.org --email admin@example.org --tls none \
  --set "base_dir=$tree/data/matrix" --set "proxy_dir=$tree/root/nginx" --set "proxy_data_dir=$tree/data/nginx" --set refresh.schedule=off \
  >"$tree/again.out" 2>&1
exit 0 # the outcome is judged from the files above
EOF
unshare --mount --net --pid --fork --mount-proc --kill-child bash "$tree/inside.sh" "$tree" "$jar"

fail() { echo "check-docker-start: FAILED: $*" >&2; cat "$tree/up.out" "$tree/up.err" >&2; exit 1; }
grep -qx 'start the Docker engine (/etc/init.d/docker start)' "$tree/up.out" || fail "up did not plan to start the engine"
grep -q . "$tree/engine" && ! grep -qi 'cannot connect\|error' "$tree/engine" || fail "the engine does not answer: $(cat "$tree/engine")"
[[ $(cat "$tree/daemon.json" 2>/dev/null) == '{}' ]] || fail "daemon.json is not the seed's {}"
! grep -qi 'docker engine\|install docker' "$tree/again.out" || fail "a second up still wants to start or install Docker"
echo "check-docker-start: ok: up started dockerd $(cat "$tree/engine") without systemd$(grep -q 'starting dockerd directly' "$tree/up.err" \
  && echo ' (the init script failed here; started the same way by hand)'), and a second up leaves it alone"
