#!/usr/bin/env bash
# Makes a Debian 12 machine ready for matrix-install's integration tests:
#   - host packages (Docker engine + docker-compose v1, debootstrap, nginx, pebble, sshd, ...)
#   - a Synapse virtualenv for config checks on the host
#   - a Docker engine (the machine's own, or a private dockerd started here)
#   - stand-in images for the upstream images, built locally from it/images/ because no image
#     registry is reachable: postgres:15-alpine, postgres:17-alpine, matrixdotorg/synapse:latest,
#     vectorim/element-web:latest, jonasal/nginx-certbot:latest; and test peers (slapd, an SMTP server)
#   - a local image registry (Debian's docker-registry) on loopback holding those stand-ins under their
#     Docker Hub paths, the private engine's registry mirror: images are pulled by name with real
#     digests, as on a user's host (see "Registry" below)
# Idempotent: every step is skipped when its result is already there (images are keyed by a
# hash of their recipe), so a second run takes seconds.
# Writes the engine address to /run/matrix-install-it/env (DOCKER_HOST=...): source it.
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
IMAGES_DIR="$REPO_DIR/it/images"

RUN_DIR=/run/matrix-install-it
ENV_FILE="$RUN_DIR/env"
PRIVATE_SOCK="$RUN_DIR/docker.sock"
PRIVATE_HOST="unix://$PRIVATE_SOCK"
PRIVATE_DATA_ROOT=/var/lib/matrix-install-it/docker
PRIVATE_EXEC_ROOT="$RUN_DIR/exec"
PRIVATE_PIDFILE="$RUN_DIR/dockerd.pid"
PRIVATE_LOG=/var/log/matrix-install-it-dockerd.log
CACHE_DIR=/var/cache/matrix-install-it
SYNAPSE_VENV=/opt/matrix-install-it/synapse-venv

# The local registry the engine uses as its Docker Hub mirror (overridable, e.g. for a second engine).
REGISTRY_ADDR=${MATRIX_IT_REGISTRY_ADDR:-127.0.0.1:15055}
REGISTRY_DIR=${MATRIX_IT_REGISTRY_DIR:-/var/lib/matrix-install-it/registry}
REGISTRY_PIDFILE=${MATRIX_IT_REGISTRY_PIDFILE:-$RUN_DIR/registry.pid}
REGISTRY_LOG=${MATRIX_IT_REGISTRY_LOG:-/var/log/matrix-install-it-registry.log}

DEBIAN_MIRROR=${MATRIX_IT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
DEBIAN_SECURITY_MIRROR=${MATRIX_IT_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
# Debian suites of the debootstrap bases, tagged matrix-install-it/debian-base:<suite>. Most stand-ins
# build on bookworm; the nginx ones on trixie, for a current nginx (1.26, with `http2 on;`).
BASE_SUITES=(bookworm trixie)
RECIPE_LABEL=org.matrix-install.recipe

# recipe directory under it/images -> tag the tests and the installer expect [-> build arguments]
IMAGES=(
  "postgres postgres:15-alpine"
  # PostgreSQL 17 on trixie, the target of `db upgrade --to 17`: the same recipe
  "postgres postgres:17-alpine PG_MAJOR=17 SUITE=trixie"
  "synapse matrixdotorg/synapse:latest"
  "element vectorim/element-web:latest"
  "proxy jonasal/nginx-certbot:latest"
  "nginx nginx:stable-alpine"
  # Test peers the ITs start through Testcontainers (MailLdapIT): a directory and an SMTP server
  "slapd matrix-install-it/slapd:test"
  "smtp matrix-install-it/smtp:test"
)

HOST_PACKAGES=(
  docker.io docker-compose debootstrap nginx-light pebble openssl iproute2 iptables
  openssh-server python3-venv curl ca-certificates docker-registry dnsmasq-base
  # psycopg2 (Synapse's postgres extra) only ships as source: build it in the host venv
  gcc python3-dev libpq-dev
)

# Debian's client matches Debian's daemon and still has the classic builder, which is what
# `docker build --network host` below relies on; /usr/local/bin/docker may be a newer client.
DOCKER_BIN=/usr/bin/docker
[[ -x $DOCKER_BIN ]] || DOCKER_BIN=docker
export DOCKER_BUILDKIT=0

START_SECONDS=$SECONDS
log() { printf '[prepare-test-host %3ss] %s\n' "$((SECONDS - START_SECONDS))" "$*"; }
die() { printf '[prepare-test-host] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# Host packages
# ---------------------------------------------------------------------------------------------
package_installed() {
  [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]
}

install_host_packages() {
  local missing=() pkg
  for pkg in "${HOST_PACKAGES[@]}"; do
    package_installed "$pkg" || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    log "host packages: all present"
    return
  fi
  log "host packages: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ---------------------------------------------------------------------------------------------
# Synapse virtualenv on the host (for `python -m synapse.config -c FILE`)
# ---------------------------------------------------------------------------------------------
synapse_requirement() {
  # Same pinned requirement as the synapse image, so host checks match the container.
  grep -v '^\s*#' "$IMAGES_DIR/synapse/requirements.txt" | grep -m1 .
}

install_synapse_venv() {
  local requirement marker
  requirement=$(synapse_requirement)
  marker="$SYNAPSE_VENV/.matrix-install-it-requirement"
  if [[ -f $marker && $(cat "$marker") == "$requirement" ]] \
      && "$SYNAPSE_VENV/bin/python" -c 'import synapse, psycopg2' 2>/dev/null; then
    log "synapse venv: present ($requirement)"
    return
  fi
  log "synapse venv: installing $requirement into $SYNAPSE_VENV"
  rm -rf "$SYNAPSE_VENV"
  mkdir -p "$(dirname "$SYNAPSE_VENV")"
  # Debian's python3 explicitly: a pyenv/other python3 may come first on PATH.
  /usr/bin/python3 -m venv "$SYNAPSE_VENV"
  "$SYNAPSE_VENV/bin/pip" install --quiet --no-cache-dir "$requirement"
  "$SYNAPSE_VENV/bin/python" -c 'import synapse, psycopg2'
  printf '%s\n' "$requirement" >"$marker"
}

# ---------------------------------------------------------------------------------------------
# Docker engine
# ---------------------------------------------------------------------------------------------
engine_answers() {
  DOCKER_HOST="$1" timeout 20 "$DOCKER_BIN" info >/dev/null 2>&1
}

# True if the pidfile names a live dockerd; a stale pidfile (e.g. after a crash, its pid reused)
# is removed, because dockerd refuses to start while the pid in it is alive.
private_dockerd_running() {
  local pid
  [[ -s $PRIVATE_PIDFILE ]] || return 1
  pid=$(cat "$PRIVATE_PIDFILE")
  if [[ $(cat "/proc/$pid/comm" 2>/dev/null) == dockerd ]]; then
    return 0
  fi
  rm -f "$PRIVATE_PIDFILE"
  return 1
}

start_private_dockerd() {
  mkdir -p "$RUN_DIR" "$PRIVATE_DATA_ROOT" "$PRIVATE_EXEC_ROOT" "$(dirname "$PRIVATE_LOG")"
  if private_dockerd_running; then
    log "docker: private dockerd (pid $(cat "$PRIVATE_PIDFILE")) is running but not answering yet"
  else
    log "docker: starting private dockerd on $PRIVATE_HOST (log: $PRIVATE_LOG)"
    # setsid: the daemon must outlive this script and the shell/job that ran it.
    # 9>&-: the daemon must not inherit the lock's descriptor, or it holds the flock for its whole
    # life and every later run of this script waits forever.
    setsid dockerd \
      --host "$PRIVATE_HOST" \
      --data-root "$PRIVATE_DATA_ROOT" \
      --exec-root "$PRIVATE_EXEC_ROOT" \
      --pidfile "$PRIVATE_PIDFILE" \
      --registry-mirror "http://$REGISTRY_ADDR" \
      </dev/null >>"$PRIVATE_LOG" 2>&1 9>&- &
  fi
  local deadline=$((SECONDS + 90))
  until engine_answers "$PRIVATE_HOST"; do
    if ((SECONDS > deadline)); then
      tail -n 30 "$PRIVATE_LOG" >&2 || true
      die "private dockerd did not answer on $PRIVATE_HOST within 90s"
    fi
    sleep 1
  done
}

# Use an engine that already answers (DOCKER_HOST, then the default socket, then our private
# one); start the private dockerd only when none does.
choose_engine() {
  if [[ -n ${DOCKER_HOST:-} ]] && engine_answers "$DOCKER_HOST"; then
    ENGINE=$DOCKER_HOST; log "docker: using DOCKER_HOST=$ENGINE"
  elif engine_answers unix:///var/run/docker.sock; then
    ENGINE=unix:///var/run/docker.sock; log "docker: using the machine's engine at $ENGINE"
  elif engine_answers "$PRIVATE_HOST"; then
    ENGINE=$PRIVATE_HOST; log "docker: reusing private dockerd at $ENGINE"
    ensure_private_mirror
  else
    start_private_dockerd
    ENGINE=$PRIVATE_HOST; log "docker: private dockerd answers at $ENGINE"
  fi
  export DOCKER_HOST=$ENGINE
  mkdir -p "$RUN_DIR"
  printf 'DOCKER_HOST=%s\n' "$ENGINE" >"$ENV_FILE.tmp"
  mv "$ENV_FILE.tmp" "$ENV_FILE"
  log "docker: wrote $ENV_FILE"
}

# ---------------------------------------------------------------------------------------------
# Images, keyed by a hash of their recipe
# ---------------------------------------------------------------------------------------------
# Editor/interpreter droppings are neither hashed nor sent to the build.
RECIPE_EXCLUDES=(--exclude=__pycache__ --exclude='*.pyc' --exclude='*~' --exclude='.*.swp')

# Content hash of recipe directories below it/images (names, contents, executable bits).
recipe_hash() {
  tar "${RECIPE_EXCLUDES[@]}" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
      --mode=go-w,u+w -C "$IMAGES_DIR" -cf - "$@" | sha256sum | cut -c1-64
}

image_label() {
  "$DOCKER_BIN" image inspect -f "{{ index .Config.Labels \"$RECIPE_LABEL\" }}" "$1" 2>/dev/null || true
}

# The debootstrap rootfs is the slow part: keep it as a tarball keyed by the base recipe,
# so a new engine (or a wiped data root) only needs a `docker import`.
ensure_base_image() {
  local suite=$1 tag="matrix-install-it/debian-base:$1" key tarball rootfs packages
  key=$(recipe_hash base)
  if [[ $(image_label "$tag") == "$key" ]]; then
    log "image $tag: up to date"
    return
  fi
  tarball="$CACHE_DIR/debian-base-$suite-${key:0:16}.tar"
  if [[ ! -s $tarball ]]; then
    packages=$(grep -v '^\s*#' "$IMAGES_DIR/base/packages" | grep . | paste -sd, -)
    rootfs=$(mktemp -d /var/tmp/matrix-install-it-rootfs.XXXXXX)
    log "image $tag: debootstrap $suite (minbase + $packages)"
    debootstrap --variant=minbase --include="$packages" "$suite" "$rootfs" "$DEBIAN_MIRROR" \
      >"$rootfs.log" 2>&1 || { tail -n 30 "$rootfs.log" >&2; die "debootstrap $suite failed"; }
    install -m 755 "$IMAGES_DIR/base/configure-rootfs.sh" "$rootfs/tmp/configure-rootfs.sh"
    chroot "$rootfs" /tmp/configure-rootfs.sh "$DEBIAN_MIRROR" "$DEBIAN_SECURITY_MIRROR" "$suite"
    mkdir -p "$CACHE_DIR"
    rm -f "$CACHE_DIR/debian-base-$suite"-*.tar
    tar --numeric-owner --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
        -C "$rootfs" -cf "$tarball.tmp" .
    mv "$tarball.tmp" "$tarball"
    rm -rf "$rootfs" "$rootfs.log"
  fi
  log "image $tag: importing $tarball"
  "$DOCKER_BIN" import \
    --change "LABEL $RECIPE_LABEL=$key" \
    --change 'ENV LANG=C.UTF-8' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["bash"]' \
    "$tarball" "$tag" >/dev/null
}

build_image() {
  local dir=$1 tag=$2 key context arg build_args=()
  shift 2
  key=$(recipe_hash base "$dir")
  if (($#)); then
    # the same recipe built with other arguments is another image
    key=$(printf '%s %s\n' "$key" "$*" | sha256sum | cut -c1-64)
    for arg in "$@"; do build_args+=(--build-arg "$arg"); done
  fi
  if [[ $(image_label "$tag") == "$key" ]]; then
    log "image $tag: up to date"
    return
  fi
  log "image $tag: building from it/images/$dir"
  # The build context is the recipe plus the host's CA bundle, which build stages may use to
  # reach PyPI through this machine's TLS setup; final stages never copy it.
  context=$(mktemp -d /var/tmp/matrix-install-it-build.XXXXXX)
  tar "${RECIPE_EXCLUDES[@]}" -C "$IMAGES_DIR/$dir" -cf - . | tar -C "$context" -xf -
  cp /etc/ssl/certs/ca-certificates.crt "$context/build-ca.crt"
  # --network host: the build's apt/pip reach the mirrors exactly as the host does.
  if ! "$DOCKER_BIN" build --network host --pull=false --force-rm \
      --label "$RECIPE_LABEL=$key" "${build_args[@]}" -t "$tag" "$context" >"$context.log" 2>&1; then
    tail -n 40 "$context.log" >&2
    rm -rf "$context"
    die "building $tag failed (full log: $context.log)"
  fi
  rm -rf "$context" "$context.log"
}

build_images() {
  local suite
  for suite in "${BASE_SUITES[@]}"; do
    ensure_base_image "$suite"
  done
  local entry
  for entry in "${IMAGES[@]}"; do
    # shellcheck disable=SC2086 # "dir tag" pairs
    build_image $entry
  done
  # Old builds and build stages lose their tags when rebuilt: drop them, keep the cache small.
  "$DOCKER_BIN" image prune -f --filter "label=$RECIPE_LABEL" >/dev/null
}

# ---------------------------------------------------------------------------------------------
# Registry: Debian's docker-registry on loopback as the engine's Docker Hub mirror, so tests pull
# `postgres:15-alpine` etc. by name through docker-java and get real digests. Its unit does not run
# without systemd, so it is started by hand with its own config file.
# ---------------------------------------------------------------------------------------------
registry_answers() {
  curl -fsS --max-time 5 "http://$REGISTRY_ADDR/v2/" >/dev/null 2>&1
}

start_registry() {
  if registry_answers; then
    log "registry: answers at $REGISTRY_ADDR"
    return
  fi
  mkdir -p "$REGISTRY_DIR/data" "$(dirname "$REGISTRY_PIDFILE")" "$(dirname "$REGISTRY_LOG")"
  printf '%s\n' 'version: 0.1' 'log:' '  level: warn' 'storage:' '  filesystem:' \
    "    rootdirectory: $REGISTRY_DIR/data" '  delete:' '    enabled: true' 'http:' "  addr: $REGISTRY_ADDR" \
    >"$REGISTRY_DIR/config.yml"
  log "registry: starting docker-registry on $REGISTRY_ADDR (log: $REGISTRY_LOG)"
  # setsid + 9>&-: outlives this script and does not hold the harness lock (see start_private_dockerd).
  setsid docker-registry serve "$REGISTRY_DIR/config.yml" </dev/null >>"$REGISTRY_LOG" 2>&1 9>&- &
  echo $! >"$REGISTRY_PIDFILE"
  local deadline=$((SECONDS + 30))
  until registry_answers; do
    if ((SECONDS > deadline)); then
      tail -n 20 "$REGISTRY_LOG" >&2 || true
      die "registry did not answer on $REGISTRY_ADDR within 30s"
    fi
    sleep 0.5
  done
}

# Docker Hub path of an image name: official images live under library/.
registry_path() {
  local name=${1%%:*} tag=${1##*:}
  [[ $name == */* ]] || name="library/$name"
  printf '%s:%s\n' "$name" "$tag"
}

# The digest the registry serves for PATH:TAG, or nothing.
registry_digest() {
  local path=${1%%:*} tag=${1##*:}
  curl -fsSI --max-time 10 -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
      "http://$REGISTRY_ADDR/v2/$path/manifests/$tag" 2>/dev/null \
    | tr -d '\r' | awk -F': ' 'tolower($1)=="docker-content-digest" {print $2}' || true
}

# Pushes each stand-in the registry does not serve yet under its Docker Hub path. A test that pushed
# a "newer" or "broken" release puts the stand-in back itself; if it could not, this does.
push_images() {
  local entry tag path served
  for entry in "${IMAGES[@]}"; do
    read -r _ tag _ <<<"$entry"
    path=$(registry_path "$tag")
    served=$(registry_digest "$path")
    if [[ -n $served ]] && "$DOCKER_BIN" image inspect -f '{{join .RepoDigests "\n"}}' "$tag" \
        | grep -qx "$REGISTRY_ADDR/${path%%:*}@$served"; then
      log "registry: $path up to date"
      continue
    fi
    log "registry: pushing $tag as $REGISTRY_ADDR/$path"
    "$DOCKER_BIN" tag "$tag" "$REGISTRY_ADDR/$path"
    # The registry-named tag stays: removing it would drop the RepoDigest this check reads next time.
    "$DOCKER_BIN" push "$REGISTRY_ADDR/$path" >/dev/null || die "pushing $tag to $REGISTRY_ADDR failed"
  done
}

engine_mirrors() {
  "$DOCKER_BIN" info --format '{{range .RegistryConfig.Mirrors}}{{.}} {{end}}' 2>/dev/null || true
}

# A private dockerd started by an older version of this script has no mirror. It is restarted with
# one only when no container runs on it (never under someone's running tests); otherwise it is left
# as is, said here, and the tests that pull (UpdateIT) fail naming the missing mirror.
ensure_private_mirror() {
  if [[ " $(DOCKER_HOST=$PRIVATE_HOST engine_mirrors)" == *" http://$REGISTRY_ADDR/ "* ]]; then
    return
  fi
  if [[ -n $(DOCKER_HOST=$PRIVATE_HOST "$DOCKER_BIN" ps -q) ]]; then
    log "docker: WARNING: the private dockerd has no registry mirror and runs containers; left as is (re-run when idle)"
    return
  fi
  log "docker: restarting the idle private dockerd with the registry mirror http://$REGISTRY_ADDR"
  local pid
  pid=$(cat "$PRIVATE_PIDFILE")
  kill "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.5; done
  start_private_dockerd
}

# Tests read the registry's address from the env file (they push newer and broken releases there).
write_registry_env() {
  printf 'MATRIX_IT_REGISTRY=%s\n' "$REGISTRY_ADDR" >>"$ENV_FILE"
}

main() {
  [[ $(id -u) == 0 ]] || die "run as root"
  # One run at a time (CI and a developer may start it together): builds and dockerd starts
  # must not race.
  mkdir -p "$RUN_DIR"
  exec 9>"$RUN_DIR/prepare.lock"
  flock 9
  log "preparing this machine for the matrix-install integration tests"
  install_host_packages
  install_synapse_venv
  start_registry
  choose_engine
  build_images
  push_images
  write_registry_env
  log "done in $((SECONDS - START_SECONDS))s; engine: DOCKER_HOST=$ENGINE (source $ENV_FILE)"
}

# Sourced (to call one function with other paths), it runs nothing.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  main "$@"
fi
