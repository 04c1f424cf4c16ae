#!/usr/bin/env bash
# Builds, once, the pristine root filesystem of the remote-install tests' target host: Debian
# bookworm from debootstrap (the same cached base prepare-test-host.sh makes), with openssh-server,
# sudo, ca-certificates, iproute2, iptables and procps and NO Docker; users `admin` (passwordless
# sudo) and `asker` (sudo wants a password); its own sshd host key; apt going through Debian's
# apt-cacher-ng on our side of the veth (10.77.0.1:3142). Also makes the operator's key pair and installs
# dnsmasq-base for scripts/harness-dns.sh (the named targets' resolver).
# Idempotent: the rootfs is keyed by a hash of this recipe, so a second run takes about a second.
# `scripts/target-host.sh start` then gives a test a fresh copy of it, running. Needs root.
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=target-host-lib.sh
. "$REPO_DIR/scripts/target-host-lib.sh"
TLOG_NAME=prepare-target-host TLOG_START=$SECONDS

SUITE=bookworm
DEBIAN_MIRROR=${MATRIX_IT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
DEBIAN_SECURITY_MIRROR=${MATRIX_IT_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
TARGET_PACKAGES=(openssh-server sudo ca-certificates iproute2 iptables procps)
WARM_PACKAGES=(docker.io docker-compose default-jre-headless)
HOST_PACKAGES=(apt-cacher-ng debootstrap iproute2 iptables openssh-client curl util-linux procps dnsmasq-base)
# The password `asker` types to sudo (a test never types it: the agent must say what to fix).
ASKER_PASSWORD=asker-secret

package_installed() {
  [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]
}

install_host_packages() {
  local missing=() p
  for p in "${HOST_PACKAGES[@]}"; do package_installed "$p" || missing+=("$p"); done
  ((${#missing[@]})) || { tlog "host packages: all present"; return; }
  tlog "host packages: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Where its postinst managed to start the package's own service (on every address, its default
  # config), that one would hold port 3142: ours is started by hand below, with its own config.
  if [[ " ${missing[*]} " == *" apt-cacher-ng "* && -x /etc/init.d/apt-cacher-ng ]]; then
    /etc/init.d/apt-cacher-ng stop >/dev/null 2>&1 || true
  fi
}

operator_keys() {
  mkdir -p "$TARGET_OPERATOR"
  chmod 700 "$TARGET_OPERATOR"
  [[ -s $TARGET_OPERATOR/id_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C matrix-install-it-operator \
    -f "$TARGET_OPERATOR/id_ed25519"
}

# Key of the pristine rootfs: how it is built (the function, the package lists, the target's addresses)
# and the operator's key; other edits of this script do not rebuild it.
recipe_key() {
  { declare -f build_pristine in_root; echo "${TARGET_PACKAGES[*]} / ${WARM_PACKAGES[*]} / $ASKER_PASSWORD"
    echo "$TARGET_ADDR $TARGET_HOST_ADDR $ACNG_PORT $TARGET_NAME"; cat "$TARGET_OPERATOR/id_ed25519.pub"; } \
    | sha256sum | cut -c1-16
}

# The debootstrap base prepare-test-host.sh caches (minbase + ca-certificates, apt sources set);
# debootstrapped here the same way when that script has not run.
base_tarball() {
  local t
  t=$(ls -t /var/cache/matrix-install-it/debian-base-$SUITE-*.tar 2>/dev/null | head -n 1 || true)
  if [[ -n $t ]]; then printf '%s\n' "$t"; return; fi
  t=/var/cache/matrix-install-it/target-base-$SUITE.tar
  if [[ ! -s $t ]]; then
    local rootfs
    rootfs=$(mktemp -d /var/tmp/matrix-install-it-target.XXXXXX)
    tlog "base: debootstrap $SUITE (minbase + ca-certificates)" >&2
    debootstrap --variant=minbase --include=ca-certificates "$SUITE" "$rootfs" "$DEBIAN_MIRROR" \
      >"$rootfs.log" 2>&1 || { tail -n 30 "$rootfs.log" >&2; tdie "debootstrap failed"; }
    install -m 755 "$REPO_DIR/it/images/base/configure-rootfs.sh" "$rootfs/tmp/configure-rootfs.sh"
    chroot "$rootfs" /tmp/configure-rootfs.sh "$DEBIAN_MIRROR" "$DEBIAN_SECURITY_MIRROR" "$SUITE" >&2
    mkdir -p "$(dirname "$t")"
    tar --numeric-owner --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -C "$rootfs" -cf "$t.tmp" .
    mv "$t.tmp" "$t"
    rm -rf "$rootfs" "$rootfs.log"
  fi
  printf '%s\n' "$t"
}

in_root() { chroot "$1" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "${@:2}"; }

build_pristine() {
  local key new tarball
  key=$(recipe_key)
  if [[ -f $TARGET_PRISTINE/.matrix-install-it-target && $(cat "$TARGET_PRISTINE/.matrix-install-it-target") == "$key" ]]; then
    tlog "pristine rootfs: up to date ($TARGET_PRISTINE)"
    return
  fi
  tarball=$(base_tarball)
  new="$TARGET_DIR/pristine.new"
  rm -rf "$new"
  mkdir -p "$new"
  tlog "pristine rootfs: unpacking $tarball"
  tar --numeric-owner -C "$new" -xf "$tarball"
  # The base's root entry is its mktemp directory's (0700): a host's / is 0755, or no user but root can
  # load a library (sshd could not read a user's authorized_keys).
  chmod 755 "$new"
  mkdir -p "$new/dev" "$new/proc" "$new/sys"
  # apt's gpgv and the maintainer scripts want /dev/null (the tarball has no device nodes); at run
  # time the target mounts its own /dev over this.
  mknod -m 666 "$new/dev/null" c 1 3

  # A real host: services may start when installed, apt asks unless told -y, apt keeps no
  # image-style post-invoke cleanups. The apt cache on our side of the veth is its proxy.
  rm -f "$new/usr/sbin/policy-rc.d" "$new/etc/apt/apt.conf.d/90matrix-install-it"
  # Nor does it drop man pages: the image base does, and removed /usr/share/man, where the JRE's
  # postinst links java.1 (update-alternatives fails without man1/, so openjdk stays unconfigured).
  rm -f "$new/etc/dpkg/dpkg.cfg.d/90matrix-install-it"
  mkdir -p "$new"/usr/share/man/man{1,2,3,4,5,6,7,8}
  printf 'Acquire::http::Proxy "http://%s:%s";\n' "$TARGET_HOST_ADDR" "$ACNG_PORT" >"$new/etc/apt/apt.conf.d/01proxy"
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\nAcquire::Languages "none";\n' \
    >"$new/etc/apt/apt.conf.d/02minimal"

  tlog "pristine rootfs: installing ${TARGET_PACKAGES[*]} (through the apt cache)"
  # Build time: nothing may start inside the chroot.
  printf '#!/bin/sh\nexit 101\n' >"$new/usr/sbin/policy-rc.d"; chmod 755 "$new/usr/sbin/policy-rc.d"
  in_root "$new" apt-get update -qq
  in_root "$new" apt-get install -y -qq "${TARGET_PACKAGES[@]}" >"$new.apt.log" 2>&1 \
    || { tail -n 30 "$new.apt.log" >&2; tdie "installing the target's packages failed"; }
  # Warm the cache with what the agent installs on a bare host (Docker and Compose from Debian, a
  # headless JRE for its schedules), so the first test's install is not the one that fetches them
  # from Debian.
  in_root "$new" apt-get install -y -qq --download-only "${WARM_PACKAGES[@]}" >>"$new.apt.log" 2>&1 \
    || { tail -n 30 "$new.apt.log" >&2; tdie "fetching ${WARM_PACKAGES[*]} through the cache failed"; }
  in_root "$new" apt-get clean
  # apt fetches as _apt: its partial directories must be its own, as on an installed system.
  in_root "$new" chown _apt:root /var/cache/apt/archives/partial /var/lib/apt/lists/partial
  rm -f "$new/usr/sbin/policy-rc.d" "$new.apt.log"
  # Like a freshly provisioned VPS image: no package lists yet (the agent runs apt-get update).
  rm -rf "$new/var/lib/apt/lists/"*

  # Identity: hostname, hosts, machine id, its own sshd host key (ed25519 only, so the fingerprint a
  # test expects is the one a client is shown).
  echo "$TARGET_NAME" >"$new/etc/hostname"
  printf '127.0.0.1\tlocalhost\n%s\t%s\n::1\tlocalhost ip6-localhost ip6-loopback\n' "$TARGET_ADDR" "$TARGET_NAME" >"$new/etc/hosts"
  : >"$new/etc/resolv.conf"
  in_root "$new" sh -c 'cat /proc/sys/kernel/random/uuid 2>/dev/null | tr -d - > /etc/machine-id || true'
  rm -f "$new"/etc/ssh/ssh_host_*
  in_root "$new" ssh-keygen -q -t ed25519 -N '' -C "root@$TARGET_NAME" -f /etc/ssh/ssh_host_ed25519_key
  printf 'HostKey /etc/ssh/ssh_host_ed25519_key\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\nUseDNS no\nClientAliveInterval 0\n' \
    >"$new/etc/ssh/sshd_config.d/matrix-install-it.conf"

  # Users: root, admin (NOPASSWD sudo) and asker (sudo wants a password), all with the operator's key.
  in_root "$new" useradd -m -s /bin/bash admin
  in_root "$new" useradd -m -s /bin/bash -G sudo asker
  in_root "$new" sh -c "echo 'asker:$ASKER_PASSWORD' | chpasswd"
  printf 'admin ALL=(ALL:ALL) NOPASSWD: ALL\n' >"$new/etc/sudoers.d/admin"
  chmod 440 "$new/etc/sudoers.d/admin"
  local user home
  for user in root admin asker; do
    home=/home/$user; [[ $user == root ]] && home=/root
    install -d -m 700 "$new$home/.ssh"
    install -m 600 "$TARGET_OPERATOR/id_ed25519.pub" "$new$home/.ssh/authorized_keys"
    in_root "$new" chown -R "$user:$user" "$home/.ssh"
  done
  echo "$key" >"$new/.matrix-install-it-target"
  rm -rf "$TARGET_PRISTINE"
  mv "$new" "$TARGET_PRISTINE"
  tlog "pristine rootfs: ready ($(du -sh "$TARGET_PRISTINE" | cut -f1))"
}

main() {
  [[ $(id -u) == 0 ]] || tdie "run as root"
  mkdir -p "$TARGET_DIR" "$TARGET_RUN"
  exec 9>"$TARGET_RUN/prepare.lock"
  flock 9
  install_host_packages
  operator_keys
  # The cache listens on our side of the veth, so the network comes first.
  target_net_up
  start_acng
  build_pristine
  tlog "done; start a fresh target with scripts/target-host.sh start"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  main "$@"
fi
