#!/usr/bin/env bash
# The remote-install tests' target host: a fresh, bare Debian machine reachable only over SSH.
# Without NAME: the default target (10.77.0.2, RemoteUpIT). With NAME (e.g. `start fa`): one of several
# named targets that run at once, each on its own 10.77.N.0/24, resolving through scripts/harness-dns.sh
# and routed to the other named targets (docs/tests.md, "Several targets").
#   start|stop|env [NAME]   exec [NAME] [CMD...]   sshd-pause [NAME] SECONDS
#   start   stop any running target, copy the pristine rootfs (scripts/prepare-target-host.sh) to a
#           fresh instance, boot it (its own network, mount, PID, UTS, IPC and cgroup namespaces;
#           /proc, /sys, /sys/fs/cgroup, /dev, /dev/pts, /run as a real host has them), start its sshd
#           and write the env file (address, operator key, known_hosts, host key fingerprint)
#   stop    kill everything in it (its sshd, a dockerd the agent started, containers), unmount,
#           remove its network namespace and instance copy
#   env     print the env file's path (tests source it)
#   exec    run a command inside the running target, as root (harness debugging only: tests go
#           through SSH like an operator)
#   sshd-pause SECONDS   stop the target's sshd and its sessions for SECONDS (a dropped connection)
# Why namespaces + pivot_root and not systemd-nspawn or a container: docs/tests.md, "The target host (remote install)".
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SELF="$REPO_DIR/scripts/target-host.sh"
# shellcheck source=target-host-lib.sh
. "$REPO_DIR/scripts/target-host-lib.sh"
TLOG_NAME=target-host TLOG_START=$SECONDS

# PID (outside) of the target's init, or nothing. init.pid names `unshare`, whose only child is it.
target_init() {
  local pid
  [[ -s $TARGET_INIT_PID ]] || return 0
  pid=$(cat "$TARGET_INIT_PID")
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == unshare ]] || return 0
  pgrep -P "$pid" | head -n 1
}

# Every process of the target (they all live in its cgroups).
target_tasks() {
  local d
  for d in $(target_cgroup_dirs); do
    [[ -d $d/$TARGET_NAME ]] && find "$d/$TARGET_NAME" -name cgroup.procs -exec cat {} + 2>/dev/null
  done | sort -u
}

stop() {
  local pid deadline
  if [[ -s $TARGET_INIT_PID ]]; then
    pid=$(cat "$TARGET_INIT_PID")
    # unshare --kill-child: killing it SIGKILLs the target's init, and with it the whole PID
    # namespace (sshd, the agent's dockerd, containerd, containers in nested namespaces).
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == unshare ]] && kill "$pid" 2>/dev/null || true
    rm -f "$TARGET_INIT_PID"
  fi
  deadline=$((SECONDS + 20))
  while [[ -n $(target_tasks) ]]; do
    ((SECONDS < deadline)) || tdie "target processes left after 20s: $(target_tasks | tr '\n' ' ')"
    # Anything that escaped the PID namespace (it cannot, but be sure before unmounting).
    ((SECONDS < deadline - 15)) || target_tasks | xargs -r kill -9 2>/dev/null || true
    sleep 0.2
  done
  # Its mounts lived in its own mount namespace, gone with its last process; its cgroups remain.
  local d
  for d in $(target_cgroup_dirs); do
    [[ -d $d/$TARGET_NAME ]] && find "$d/$TARGET_NAME" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
  target_net_down
  # The copy (with the Docker data the agent's engine wrote) goes away in the background: removing
  # it takes longer than copying the pristine tree.
  if [[ ${TARGET_KEEP:-} != 1 && -d $TARGET_INSTANCE ]]; then
    local trash
    trash=$(mktemp -d "$TARGET_DIR/trash.XXXXXX")
    mv "$TARGET_INSTANCE" "$trash/"
    setsid rm -rf "$trash" </dev/null >/dev/null 2>&1 8>&- 9>&- &
  fi
  rm -f "$TARGET_ENV"
}

start() {
  [[ -f $TARGET_PRISTINE/.matrix-install-it-target ]] || tdie "no pristine target: run scripts/prepare-target-host.sh"
  stop
  target_net_up
  start_acng
  tlog "copying the pristine rootfs to $TARGET_INSTANCE"
  rm -rf "$TARGET_INSTANCE"
  cp -a --reflink=auto "$TARGET_PRISTINE" "$TARGET_INSTANCE"
  [[ -z $TARGET_SHORT ]] || named_target_prepare
  local dirs=() d
  for d in $(target_cgroup_dirs); do
    mkdir -p "$d/$TARGET_NAME"
    # cgroup v1 cpuset: a new group has no CPUs or memory nodes until given its parent's.
    if [[ -f $d/cpuset.cpus ]]; then
      cat "$d/cpuset.cpus" >"$d/$TARGET_NAME/cpuset.cpus"
      cat "$d/cpuset.mems" >"$d/$TARGET_NAME/cpuset.mems"
    fi
    dirs+=("$d/$TARGET_NAME")
  done
  mkdir -p "$TARGET_RUN"
  # Into its own cgroups first, so the cgroup namespace unshare makes has them as its root: the
  # target's dockerd then creates /docker inside them, not beside the test engine's.
  setsid bash -c 'for d in "$@"; do echo $$ >"$d/cgroup.procs"; done
    exec ip netns exec "'"$TARGET_NETNS"'" unshare --mount --pid --uts --ipc --cgroup --fork --kill-child \
      --propagation private "$0" __init '"$TARGET_SHORT"'' "$SELF" "${dirs[@]}" </dev/null >>"$TARGET_LOG" 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
  echo $! >"$TARGET_INIT_PID"
  write_env
  local deadline=$((SECONDS + 20))
  until target_ssh root true 2>/dev/null; do
    ((SECONDS < deadline)) || { tail -n 20 "$TARGET_LOG" >&2; tdie "the target's sshd did not answer within 20s"; }
    sleep 0.2
  done
  tlog "target up: root@$TARGET_ADDR (env: $TARGET_ENV)"
}

write_env() {
  local pub="$TARGET_INSTANCE/etc/ssh/ssh_host_ed25519_key.pub"
  printf '%s %s\n' "$TARGET_ADDR" "$(cut -d' ' -f1,2 "$pub")" >"$TARGET_KNOWN_HOSTS"
  {
    echo "TARGET_ADDRESS=$TARGET_ADDR"
    echo "TARGET_PORT=22"
    echo "TARGET_IDENTITY=$TARGET_OPERATOR/id_ed25519"
    echo "TARGET_KNOWN_HOSTS=$TARGET_KNOWN_HOSTS"
    echo "TARGET_HOST_KEY='$(cut -d' ' -f1,2 "$pub")'"
    echo "TARGET_HOST_KEY_FINGERPRINT=$(ssh-keygen -lf "$pub" | cut -d' ' -f2)"
    echo "TARGET_APT_PROXY=http://$HARNESS_SERVICES_ADDR:$ACNG_PORT"
    echo "TARGET_HOST_SCRIPT=$SELF"
    [[ -z $TARGET_SHORT ]] || { echo "TARGET_NAME=$TARGET_SHORT"; echo "TARGET_GATEWAY=$TARGET_HOST_ADDR";
      echo "TARGET_RESOLVER=$HARNESS_SERVICES_ADDR"; }
  } >"$TARGET_ENV.tmp"
  mv "$TARGET_ENV.tmp" "$TARGET_ENV"
}

target_ssh() {
  local user=$1; shift
  ssh -q -o BatchMode=yes -o ConnectTimeout=3 -o StrictHostKeyChecking=yes \
    -o UserKnownHostsFile="$TARGET_KNOWN_HOSTS" -i "$TARGET_OPERATOR/id_ed25519" "$user@$TARGET_ADDR" "$@"
}

# PID 1 of the new namespaces, still seeing this machine's root: mount what a booted host has,
# pivot_root into the instance (not chroot: runc's own pivot_root for the target's containers needs
# the target's root to be a real mount root) and become its init.
init() {
  local root=$TARGET_INSTANCE d name
  mount --bind "$root" "$root"
  mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
  # Mounted inside the network namespace: it lists the target's own interfaces.
  mount -t sysfs -o nosuid,nodev,noexec sysfs "$root/sys"
  mount -t tmpfs -o nosuid,nodev,noexec,mode=755 cgroup "$root/sys/fs/cgroup"
  for d in $(target_cgroup_dirs); do
    name=${d##*/}
    mkdir -p "$root/sys/fs/cgroup/$name"
    case $name in
      unified) mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 "$root/sys/fs/cgroup/$name" ;;
      systemd) mount -t cgroup -o nosuid,nodev,noexec,none,name=systemd cgroup "$root/sys/fs/cgroup/$name" ;;
      *) mount -t cgroup -o "nosuid,nodev,noexec,$name" cgroup "$root/sys/fs/cgroup/$name" ;;
    esac
  done
  # /dev: its own tmpfs with this machine's basic device nodes (never the machine's devtmpfs, which
  # the target's processes could change), its own devpts instance, shm and mqueue.
  mount -t tmpfs -o nosuid,mode=755 dev "$root/dev"
  for name in null zero full random urandom tty; do
    touch "$root/dev/$name"
    mount --bind "/dev/$name" "$root/dev/$name"
  done
  mkdir -p "$root/dev/pts" "$root/dev/shm" "$root/dev/mqueue"
  mount -t devpts -o newinstance,ptmxmode=0666,mode=620,gid=5,nosuid,noexec devpts "$root/dev/pts"
  ln -s pts/ptmx "$root/dev/ptmx"
  mount -t tmpfs -o nosuid,nodev,mode=1777 shm "$root/dev/shm"
  mount -t mqueue -o nosuid,nodev,noexec mqueue "$root/dev/mqueue"
  ln -s /proc/self/fd "$root/dev/fd"
  ln -s /proc/self/fd/0 "$root/dev/stdin"; ln -s /proc/self/fd/1 "$root/dev/stdout"; ln -s /proc/self/fd/2 "$root/dev/stderr"
  mount -t tmpfs -o nosuid,nodev,mode=755 run "$root/run"
  mkdir -p "$root/run/lock"
  hostname "${TARGET_SHORT:-$TARGET_NAME}"
  cd "$root"
  mkdir -p .oldroot
  pivot_root . .oldroot
  cd /
  umount -l /.oldroot
  rmdir /.oldroot
  # Its init: start sshd as a sysvinit boot would, then reap orphans (bash's SIGCHLD handler
  # waits for any child) until killed.
  exec /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    /bin/bash -c 'mkdir -p -m 755 /run/sshd; /usr/sbin/sshd -E /var/log/sshd.log
      trap "exit 0" TERM
      while :; do sleep 3600 & wait $!; done'
}

# sshd (the listener and every session) gone for a while, then back: the agent sees its
# connection drop in the middle of a run.
sshd_pause() {
  local seconds=${1:?seconds} pid
  pid=$(target_init)
  [[ -n $pid ]] || tdie "no target running"
  nsenter -t "$pid" -a -- /bin/sh -c 'pkill -KILL -x sshd || true'
  sleep "$seconds"
  nsenter -t "$pid" -a -- /bin/sh -c 'mkdir -p -m 755 /run/sshd; /usr/sbin/sshd -E /var/log/sshd.log'
}

# One start or stop at a time (the lock is not passed on to what they leave running).
locked() {
  [[ $(id -u) == 0 ]] || tdie "run as root"
  mkdir -p "$TARGET_RUN"
  exec 8>"$TARGET_RUN/target.lock"
  flock 8
  "$@"
}

# A target name after the command selects a named target. For exec and sshd-pause the name is optional
# (`exec ls` is the default target's ls): a word is taken as a name only when that target runs or ran.
command=${1:-}
shift || true
case $command in
  start|reset|stop|env|__init) [[ -z ${1:-} ]] || { target_select "$1"; shift; } ;;
  exec|sshd-pause) [[ -n ${1:-} && -d $TARGETS_RUN/${1:-} && ${1:-} =~ ^[a-z][a-z0-9]{0,7}$ ]] && { target_select "$1"; shift; } || true ;;
esac
case $command in
  start|reset) locked start ;;
  stop) locked stop ;;
  env) echo "$TARGET_ENV" ;;
  exec)
    pid=$(target_init)
    [[ -n $pid ]] || tdie "no target running"
    exec nsenter -t "$pid" -a -- /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${@:-/bin/bash}" ;;
  sshd-pause) sshd_pause "$@" ;;
  __init) init ;;
  *) echo "usage: $0 start|stop|env [NAME] | exec [NAME] [CMD...] | sshd-pause [NAME] SECONDS" >&2; exit 2 ;;
esac
