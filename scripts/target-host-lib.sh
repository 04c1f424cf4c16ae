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
TARGET_KNOWN_HOSTS="$TARGET_OPERATOR/known_hosts"
# Empty for the default target (the one above); a named target's short name otherwise.
TARGET_SHORT=

ACNG_CACHE=/var/cache/matrix-install-it/apt-cacher-ng
ACNG_LOG_DIR=/var/log/matrix-install-it-acng
ACNG_PIDFILE="$TARGET_RUN/apt-cacher-ng.pid"
ACNG_CONF="$TARGET_DIR/apt-cacher-ng"

# Named targets (several at once: `target-host.sh start fa`). Each has 10.77.<octet>.0/24, its own netns,
# veth, rootfs copy, run directory and known_hosts. They reach the harness's services (apt cache, DNS) at
# HARNESS_SERVICES_ADDR, which also sits on lo, so it stays when the default target's veth goes away.
HARNESS_SERVICES_ADDR=$TARGET_HOST_ADDR
HARNESS_DNS_RUN=/run/matrix-install-it/dns
TARGETS_RUN=/run/matrix-install-it/targets
# Octets of the names tests use; any other name gets one derived from it (16-250).
declare -A TARGET_OCTETS=([fa]=4 [fb]=5 [fc]=6 [fd]=7)

# Points every TARGET_* at the named target NAME (lower-case letters and digits, at most 8: interface names).
target_select() {
  local name=$1 octet
  [[ $name =~ ^[a-z][a-z0-9]{0,7}$ ]] || tdie "target name '$name': 1-8 lower-case letters and digits, a letter first"
  octet=${TARGET_OCTETS[$name]:-$((16 + $(printf '%s' "$name" | cksum | cut -d' ' -f1) % 235))}
  TARGET_SHORT=$name
  TARGET_NAME=mi-t-$name
  TARGET_NETNS=mi-t-$name
  TARGET_HOST_IF=mi-t-$name-h
  TARGET_PEER_IF=mi-t-$name-t
  TARGET_HOST_ADDR=10.77.$octet.1
  TARGET_ADDR=10.77.$octet.2
  TARGET_INSTANCE="$TARGET_DIR/instance-$name"
  TARGET_RUN=$TARGETS_RUN/$name
  TARGET_ENV="$TARGET_RUN/env"
  TARGET_INIT_PID="$TARGET_RUN/init.pid"
  TARGET_LOG=/var/log/matrix-install-it-target-$name.log
  TARGET_KNOWN_HOSTS="$TARGET_RUN/known_hosts"
}

# A named target's side of the harness: the services address on lo, forwarding between named targets'
# veths only (FORWARD's policy drops the rest), and its own identity and resolver in its rootfs copy.
# Read whole before matching: `ip … | grep -q` under pipefail fails when grep exits before ip has written all.
services_addr_on_lo() {
  local addresses
  addresses=$(ip -o addr show dev lo)
  [[ $addresses == *" $HARNESS_SERVICES_ADDR/32 "* ]] || ip addr add "$HARNESS_SERVICES_ADDR/32" dev lo
}

named_target_net() {
  services_addr_on_lo
  iptables -C FORWARD -i mi-t-+ -o mi-t-+ -j ACCEPT 2>/dev/null || iptables -I FORWARD 1 -i mi-t-+ -o mi-t-+ -j ACCEPT
}

named_target_prepare() {
  echo "$TARGET_SHORT" >"$TARGET_INSTANCE/etc/hostname"
  printf '127.0.0.1\tlocalhost\n%s\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\n' "$TARGET_ADDR" "$TARGET_SHORT" \
    >"$TARGET_INSTANCE/etc/hosts"
  # The harness resolver (scripts/harness-dns.sh); the target's dockerd hands it on to its containers.
  printf 'nameserver %s\noptions timeout:2 attempts:2\n' "$HARNESS_SERVICES_ADDR" >"$TARGET_INSTANCE/etc/resolv.conf"
}

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
  [[ -z $TARGET_SHORT ]] || named_target_net
}

target_net_down() {
  ip netns del "$TARGET_NETNS" 2>/dev/null || true
  ip link del "$TARGET_HOST_IF" 2>/dev/null || true
}

acng_answers() {
  # acng answers its own report page; any HTTP status means it listens.
  curl -s -o /dev/null --max-time 3 "http://$HARNESS_SERVICES_ADDR:$ACNG_PORT/acng-report.html"
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
BindAddress: $HARNESS_SERVICES_ADDR
Port: $ACNG_PORT
PidFile: $ACNG_PIDFILE
SocketPath: $TARGET_RUN/acng.socket
Remap-debrep: file:deb_mirror*.gz /debian ; file:backends_debian
Remap-secdeb: security.debian.org security.debian.org/debian-security deb.debian.org/debian-security /debian-security ; deb.debian.org/debian-security
ReportPage: acng-report.html
ExThreshold: 4
CONF
  tlog "apt-cacher-ng: starting on $HARNESS_SERVICES_ADDR:$ACNG_PORT (cache $ACNG_CACHE)"
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
