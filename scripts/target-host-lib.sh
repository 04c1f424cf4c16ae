# Shared by scripts/prepare-target-host.sh and scripts/target-host.sh (sourced, runs nothing).
# The "target host" of the remote-install tests: a second Debian machine on this one, built from a
# pristine debootstrap rootfs, in its own network namespace (ip netns + veth), mount, PID, UTS and
# cgroup namespaces, with its own sshd. See docs/tests.md, "The target host (remote install)".

TARGET_NAME=mi-target
TARGET_NETNS=mi-target
TARGET_HOST_IF=mi-target-h          # our side of the veth
TARGET_PEER_IF=mi-target-t          # its side (renamed eth0 inside)
TARGET_HOST_ADDR=10.77.0.1
TARGET_ADDR=10.77.0.2
TARGET_PREFIX=24
ACNG_PORT=3142

TARGET_DIR=/var/lib/matrix-install-it/target
TARGET_PRISTINE="$TARGET_DIR/pristine"
TARGET_INSTANCE="$TARGET_DIR/instance"
TARGET_OPERATOR="$TARGET_DIR/operator"
TARGET_RUN=/run/matrix-install-it/target
TARGET_ENV="$TARGET_RUN/env"
TARGET_INIT_PID="$TARGET_RUN/init.pid"
TARGET_LOG=/var/log/matrix-install-it-target.log

ACNG_CACHE=/var/cache/matrix-install-it/apt-cacher-ng
ACNG_LOG_DIR=/var/log/matrix-install-it-acng
ACNG_PIDFILE="$TARGET_RUN/apt-cacher-ng.pid"
ACNG_CONF="$TARGET_DIR/apt-cacher-ng"

# cgroup v1 controllers the target gets its own subtree of (plus the named systemd hierarchy and
# cgroup2 when the machine mounts them), as a container runtime would give a container.
target_cgroup_dirs() {
  local d
  # A cgroup2-only machine would need the target's init moved to a leaf before controllers are enabled
  # (the "no internal processes" rule); this machine kind mounts v1 hierarchies, which is what is built here.
  if [[ $(stat -fc %T /sys/fs/cgroup) == cgroup2fs ]]; then
    tdie "/sys/fs/cgroup is cgroup v2 only; the target host is built for this machine kind's v1 hierarchies"
  fi
  for d in /sys/fs/cgroup/*/; do
    d=${d%/}
    mountpoint -q "$d" && printf '%s\n' "$d"
  done
}

tlog() { printf '[%s %3ss] %s\n' "${TLOG_NAME:-target-host}" "$((SECONDS - ${TLOG_START:-0}))" "$*"; }
tdie() { printf '[%s] ERROR: %s\n' "${TLOG_NAME:-target-host}" "$*" >&2; exit 1; }

# The veth pair between this machine and the target's network namespace. A fresh namespace each time
# the target is reset: Docker's bridges and iptables rules inside it go with it.
target_net_up() {
  if ! ip netns list | grep -qw "$TARGET_NETNS"; then
    ip netns add "$TARGET_NETNS"
  fi
  if ! ip link show "$TARGET_HOST_IF" >/dev/null 2>&1; then
    ip link add "$TARGET_HOST_IF" type veth peer name "$TARGET_PEER_IF"
    ip link set "$TARGET_PEER_IF" netns "$TARGET_NETNS"
    ip netns exec "$TARGET_NETNS" ip link set "$TARGET_PEER_IF" name eth0
    ip addr add "$TARGET_HOST_ADDR/$TARGET_PREFIX" dev "$TARGET_HOST_IF"
    ip link set "$TARGET_HOST_IF" up
    ip netns exec "$TARGET_NETNS" ip addr add "$TARGET_ADDR/$TARGET_PREFIX" dev eth0
    ip netns exec "$TARGET_NETNS" ip link set eth0 up
    ip netns exec "$TARGET_NETNS" ip link set lo up
    # Like a VPS: a default route to its gateway (nothing is forwarded beyond it: the target reaches
    # only this side of the veth, i.e. sshd's client and the apt cache).
    ip netns exec "$TARGET_NETNS" ip route add default via "$TARGET_HOST_ADDR"
  fi
}

target_net_down() {
  ip netns del "$TARGET_NETNS" 2>/dev/null || true
  ip link del "$TARGET_HOST_IF" 2>/dev/null || true
}

acng_answers() {
  # acng answers its own report page; any HTTP status means it listens.
  curl -s -o /dev/null --max-time 3 "http://$TARGET_HOST_ADDR:$ACNG_PORT/acng-report.html"
}

# Debian's apt-cacher-ng on our side of the veth, started by hand (its unit needs systemd).
start_acng() {
  if acng_answers; then return; fi
  mkdir -p "$ACNG_CACHE" "$ACNG_LOG_DIR" "$TARGET_RUN"
  chown apt-cacher-ng: "$ACNG_CACHE" "$ACNG_LOG_DIR" 2>/dev/null || true
  if [[ -s $ACNG_PIDFILE ]] && [[ $(cat "/proc/$(cat "$ACNG_PIDFILE")/comm" 2>/dev/null) == apt-cacher-ng ]]; then
    kill "$(cat "$ACNG_PIDFILE")" || true
    sleep 0.5
  fi
  # Its own config directory: the package's backends list names a mirror this machine may not reach
  # (ftp.debian.org); ours names the Debian mirror the rest of the harness uses.
  mkdir -p "$ACNG_CONF"
  printf '%s/\n' "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$ACNG_CONF/backends_debian"
  cat >"$ACNG_CONF/acng.conf" <<CONF
CacheDir: $ACNG_CACHE
LogDir: $ACNG_LOG_DIR
SupportDir: /usr/lib/apt-cacher-ng
BindAddress: $TARGET_HOST_ADDR
Port: $ACNG_PORT
PidFile: $ACNG_PIDFILE
SocketPath: $TARGET_RUN/acng.socket
Remap-debrep: file:deb_mirror*.gz /debian ; file:backends_debian
Remap-secdeb: security.debian.org security.debian.org/debian-security deb.debian.org/debian-security /debian-security ; deb.debian.org/debian-security
ReportPage: acng-report.html
ExThreshold: 4
CONF
  tlog "apt-cacher-ng: starting on $TARGET_HOST_ADDR:$ACNG_PORT (cache $ACNG_CACHE)"
  # setsid + 9>&-: outlives the caller and holds no harness lock.
  setsid /usr/sbin/apt-cacher-ng -c "$ACNG_CONF" ForeGround=1 \
    </dev/null >>"$ACNG_LOG_DIR/stdout.log" 2>&1 8>&- 9>&- &
  echo $! >"$ACNG_PIDFILE"
  local deadline=$((SECONDS + 20))
  until acng_answers; do
    ((SECONDS < deadline)) || { tail -n 20 "$ACNG_LOG_DIR"/*.log >&2 || true; tdie "apt-cacher-ng did not answer"; }
    sleep 0.3
  done
}
