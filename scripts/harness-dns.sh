#!/usr/bin/env bash
# The harness's DNS server for the named targets (scripts/target-host.sh start NAME) and Pebble: Debian's
# dnsmasq, started by hand on the harness services address (10.77.0.1, port 53), answering only the names a
# test registers (A and SRV); every other name under .test is NXDOMAIN, anything else is refused (no upstream).
#   start                            (re)start with no records
#   add-a NAME IP                    an A record
#   add-srv NAME TARGET PORT [PRIO [WEIGHT]]   an SRV record (NAME like _matrix-fed._tcp.a.test)
#   remove NAME                      drop every record of NAME
#   address                          print HOST:PORT of the server (for pebble -dnsserver)
#   stop
# Records live in a dnsmasq config file; each change restarts dnsmasq (it does not re-read SRV records on
# SIGHUP), which takes well under a second. See docs/tests.md, "Several targets".
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=target-host-lib.sh
. "$REPO_DIR/scripts/target-host-lib.sh"
TLOG_NAME=harness-dns TLOG_START=$SECONDS

RECORDS="$HARNESS_DNS_RUN/records.conf"
PIDFILE="$HARNESS_DNS_RUN/dnsmasq.pid"
LOG=/var/log/matrix-install-it-dns.log

running_pid() {
  local pid
  [[ -s $PIDFILE ]] || return 0
  pid=$(cat "$PIDFILE")
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == dnsmasq ]] && echo "$pid" || true
}

stop() {
  local pid
  pid=$(running_pid)
  if [[ -n $pid ]]; then
    kill "$pid"
    while [[ -e /proc/$pid ]]; do sleep 0.05; done
  fi
  rm -f "$PIDFILE"
}

launch() {
  stop
  services_addr_on_lo
  # --keep-in-foreground under setsid: its PID is ours to record; no fd (a caller's flock) is passed on.
  setsid /usr/sbin/dnsmasq --keep-in-foreground --conf-file="$RECORDS" --no-resolv --no-hosts --no-poll \
    --bind-interfaces --listen-address="$HARNESS_SERVICES_ADDR" --port=53 \
    --local=/test/ --cache-size=0 --log-facility="$LOG" --user=root --pid-file= \
    </dev/null >>"$LOG" 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
  echo $! >"$PIDFILE"
  local deadline=$((SECONDS + 10))
  until dig_ok; do
    ((SECONDS < deadline)) || { tail -n 20 "$LOG" >&2; tdie "dnsmasq did not answer on $HARNESS_SERVICES_ADDR:53"; }
    [[ -n $(running_pid) ]] || { tail -n 20 "$LOG" >&2; tdie "dnsmasq exited"; }
    sleep 0.1
  done
}

# Any answer (NXDOMAIN included) means it listens; bash's /dev/udp cannot read one, so ask with getent's resolver.
dig_ok() {
  timeout 2 python3 - "$HARNESS_SERVICES_ADDR" <<'PY' >/dev/null 2>&1
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(1)
q = b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00" + b"\x05probe\x04test\x00" + b"\x00\x01\x00\x01"
s.sendto(q, (sys.argv[1], 53)); s.recvfrom(512)
PY
}

name_ok() { [[ $1 =~ ^[A-Za-z0-9_.-]+$ ]] || tdie "not a DNS name: '$1'"; }

locked() {
  [[ $(id -u) == 0 ]] || tdie "run as root"
  mkdir -p "$HARNESS_DNS_RUN"
  exec 8>"$HARNESS_DNS_RUN/dns.lock"
  flock 8
  "$@"
}

cmd_start() { : >"$RECORDS"; launch; tlog "dnsmasq on $HARNESS_SERVICES_ADDR:53, no records"; }
cmd_add_a() {
  name_ok "$1"; [[ $2 =~ ^[0-9.]+$ ]] || tdie "not an IPv4 address: '$2'"
  echo "host-record=$1,$2" >>"$RECORDS"; launch
}
cmd_add_srv() {
  name_ok "$1"; name_ok "$2"; [[ $3 =~ ^[0-9]+$ ]] || tdie "not a port: '$3'"
  echo "srv-host=$1,$2,$3,${4:-10},${5:-0}" >>"$RECORDS"; launch
}
cmd_remove() {
  name_ok "$1"
  grep -v -e "^host-record=$1," -e "^srv-host=$1," "$RECORDS" >"$RECORDS.new" || true
  mv "$RECORDS.new" "$RECORDS"; launch
}

case ${1:-} in
  start) locked cmd_start ;;
  add-a) shift; [[ $# == 2 ]] || tdie "usage: add-a NAME IP"; locked cmd_add_a "$@" ;;
  add-srv) shift; (($# >= 3 && $# <= 5)) || tdie "usage: add-srv NAME TARGET PORT [PRIORITY [WEIGHT]]"; locked cmd_add_srv "$@" ;;
  remove) shift; [[ $# == 1 ]] || tdie "usage: remove NAME"; locked cmd_remove "$@" ;;
  address) echo "$HARNESS_SERVICES_ADDR:53" ;;
  stop) locked stop ;;
  *) echo "usage: $0 start|add-a NAME IP|add-srv NAME TARGET PORT [PRIO [WEIGHT]]|remove NAME|address|stop" >&2; exit 2 ;;
esac
