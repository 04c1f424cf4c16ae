#!/usr/bin/env bash
# `scripts/benchmark.sh noop`: a no-op `up` of matrix-install beside an Ansible playbook doing the same steps
# (bench/noop-playbook.yml, seed 001), in one run, on one converged install (tls self-signed: matrix stack,
# nginx stack, daily refresh cron entry), three ways:
#   local      scripts/matrix-install up                         vs ansible-playbook -c local
#   loopback   scripts/matrix-install up --host root@127.0.0.1:P vs ansible-playbook over ssh (pipelining)
#   delayed    the same through bench/delay_proxy.py (DELAY_MS one-way each direction, default 25)
# Remote runs go to an sshd of the script's own on 127.0.0.1 (root, a key generated into the temp tree, the harness's
# engine through sshd's SetEnv DOCKER_HOST, root's ~/.bashrc not sourced: SetEnv SHLVL=1): the same machine and the
# same install, so both tools drive the same engine. Every run opens a fresh SSH connection. Ansible: pipelining on,
# ControlMaster=auto with a fresh ControlPath directory per run (one connection per run, shared by its tasks, as the
# agent's one connection per run; its master is closed after each run), no fact gathering, the Python interpreter
# given. ROUNDS (default 3) rounds, product and playbook alternating; the median is printed. Each group starts with
# one untimed run of each (the agent converges what the previous group's way of running left behind; see
# docs/performance.md), then every timed run must be a no-op: "no changes" from the agent, changed=0 from Ansible.
# Needs the test harness's engine and stand-in images (scripts/prepare-test-host.sh); installs Debian's ansible
# when ansible-playbook is missing. Ports 23108-23109 (Synapse, Element), 23180/23143/23148 (nginx, host network),
# 23122 (sshd), 23125 (delay proxy); Compose projects mi-bench-noop and mi-bench-noop-proxy; the stand-in images
# under tags of its own; everything in a temp tree. Cleans up (sshd, proxy, SSH masters, `compose down -v`, the
# tags, the tree) also when it fails or is interrupted; a failed run's logs are kept in /tmp/mi-bench-noop-failed.*.
set -euo pipefail
shopt -s inherit_errexit   # a failure inside $(timed ...) ends the run too
cd "$(dirname "$0")/.."
set -a; . "${MATRIX_IT_ENV_FILE:-/run/matrix-install-it/env}"; set +a
rounds=${ROUNDS:-3}
delay_ms=${DELAY_MS:-25}
project=mi-bench-noop
synapse_port=23108 element_port=23109 http_port=23180 https_port=23143 federation_port=23148
ssh_port=23122 delay_port=23125
domain=matrix.example.org

say() { echo "benchmark noop: $*" >&2; }
fail() { say "$*"; exit 1; }
now() { date +%s.%N; }
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", a - b }'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

for port in $synapse_port $element_port $http_port $https_port $federation_port $ssh_port $delay_port; do
  ! ss -Hltn "sport = :$port" | grep -q . || fail "port $port on this machine is taken; stop what listens there"
done
if ! command -v ansible-playbook >/dev/null; then
  say "installing Debian's ansible (apt-get) ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 --no-install-recommends ansible >/dev/null
fi
command -v sshd >/dev/null || [ -x /usr/sbin/sshd ] || fail "no sshd: apt-get install openssh-server"
scripts/matrix-install --version >/dev/null   # builds the jar when stale and makes its class-data archive once

tree=$(mktemp -d /tmp/mi-bench-noop.XXXXXX)
chmod 755 "$tree"
proxy_pid=""
cleanup() {
  local status=$? sock keep
  if [ "$status" != 0 ] && [ -d "$tree/ssh" ]; then   # what a failed run said, kept for a look
    keep=$(mktemp -d /tmp/mi-bench-noop-failed.XXXXXX)
    cp "$tree/ssh/sshd.log" "$tree"/*.out "$tree"/*.log "$keep/" 2>/dev/null || true
    say "failed; sshd's log and the last outputs are in $keep"
  fi
  for sock in "$tree"/cm-*/*; do
    [ -S "$sock" ] && ssh -F none -o ControlPath="$sock" -O exit matrix >/dev/null 2>&1 || true
  done
  [ -z "$proxy_pid" ] || kill "$proxy_pid" 2>/dev/null || true
  [ ! -f "$tree/ssh/sshd.pid" ] || kill "$(cat "$tree/ssh/sshd.pid")" 2>/dev/null || true
  [ ! -f "$tree/data/matrix/docker-compose.yml" ] ||
    docker-compose -p "$project" -f "$tree/data/matrix/docker-compose.yml" down -v --remove-orphans >/dev/null 2>&1 || true
  [ ! -f "$tree/root/nginx/compose.yml" ] ||
    docker-compose -p "$project-proxy" -f "$tree/root/nginx/compose.yml" down -v --remove-orphans >/dev/null 2>&1 || true
  local p ids   # whatever a failed run left without its compose file
  for p in "$project" "$project-proxy"; do
    ids=$(docker ps -aq --filter "label=com.docker.compose.project=$p" 2>/dev/null || true)
    [ -z "$ids" ] || docker rm -f $ids >/dev/null 2>&1 || true
    ids=$(docker volume ls -q --filter "label=com.docker.compose.project=$p" 2>/dev/null || true)
    [ -z "$ids" ] || docker volume rm -f $ids >/dev/null 2>&1 || true
    ids=$(docker network ls -q --filter "label=com.docker.compose.project=$p" 2>/dev/null || true)
    [ -z "$ids" ] || docker network rm $ids >/dev/null 2>&1 || true
  done
  docker rmi "${own_images[@]}" >/dev/null 2>&1 || true   # only these tags: the images keep their other names
  rm -rf "$tree"
}
own_images=()
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The install: everything under the tree, nginx on ports of this script's range.
args=(up --tls self-signed --pull never --domain "$domain" --email admin@example.org
  --state-dir "$tree/state" --run-dir "$tree/run" --base-dir "$tree/data/matrix"
  --set "proxy_dir=$tree/root/nginx" --set "proxy_data_dir=$tree/data/nginx"
  --set "compose.matrix_project=$project" --set "compose.proxy_project=$project-proxy"
  --set "ports.synapse=$synapse_port" --set "ports.element=$element_port" --set "ports.http=$http_port"
  --set "ports.https=$https_port" --set "ports.federation=$federation_port"
  --set "renewal.agent_dir=$tree/agent" --set "renewal.cron_dir=$tree/cron.d"
  --set "renewal.systemd_dir=$tree/systemd" --set renewal.schedule=cron --set refresh.schedule=daily)
# Images under tags of this run: other sessions' tests retag the shared engine's matrixdotorg/synapse:latest (UpdateIT's
# releases), which would make a no-op `up` recreate Synapse mid-benchmark.
for pair in postgres=postgres:15-alpine synapse=matrixdotorg/synapse:latest element=vectorim/element-web:latest \
    nginx=nginx:stable-alpine; do
  release=$(docker image inspect --format '{{index .Config.Labels "org.matrix-install.it.release"}}' "${pair#*=}") \
    || fail "no image ${pair#*=} in the engine: run scripts/prepare-test-host.sh"
  [ -z "$release" ] || fail "${pair#*=} is a test's release ($release; UpdateIT running?): run again when it is done"
  own_images+=("$project/${pair%%=*}:$(basename "$tree")")
  docker tag "${pair#*=}" "${own_images[-1]}"
  args+=(--set "images.${pair%%=*}=${own_images[-1]}")
done

# sshd: root logs in with a key of this run; sessions reach the harness's engine like the local runs.
mkdir -p "$tree/ssh" "$tree/home" /run/sshd
ssh-keygen -q -t ed25519 -N '' -C mi-bench-noop -f "$tree/ssh/host_key"
ssh-keygen -q -t ed25519 -N '' -C mi-bench-noop -f "$tree/ssh/id_ed25519"
cp "$tree/ssh/id_ed25519.pub" "$tree/ssh/authorized_keys"
for port in $ssh_port $delay_port; do
  echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$tree/ssh/host_key.pub")"
done >"$tree/ssh/known_hosts"
{
  echo "ListenAddress 127.0.0.1"; echo "Port $ssh_port"; echo "HostKey $tree/ssh/host_key"
  echo "AuthorizedKeysFile $tree/ssh/authorized_keys"; echo "PidFile $tree/ssh/sshd.pid"
  echo "PermitRootLogin prohibit-password"; echo "PasswordAuthentication no"; echo "KbdInteractiveAuthentication no"
  echo "UsePAM no"; echo "StrictModes no"; echo "LogLevel VERBOSE"; echo "MaxSessions 50"; echo "MaxStartups 50"
  # Debian's bash sources ~/.bashrc for commands sshd starts, but only at shell level 1: a fresh server's root
  # .bashrc is a few comments; a developer machine's (pyenv init: a rehash under a lock shared by all sessions)
  # would be measured instead of the tools, for both alike.
  echo "SetEnv SHLVL=1${DOCKER_HOST:+ DOCKER_HOST=$DOCKER_HOST}"
} >"$tree/ssh/sshd_config"
/usr/sbin/sshd -f "$tree/ssh/sshd_config" -E "$tree/ssh/sshd.log" || fail "sshd did not start: $(cat "$tree/ssh/sshd.log")"
python3 bench/delay_proxy.py "$delay_port" "$ssh_port" "$delay_ms" 2>"$tree/delay_proxy.log" &
proxy_pid=$!
for port in $ssh_port $delay_port; do
  for _ in $(seq 1 50); do ss -Hltn "sport = :$port" | grep -q . && break; sleep 0.1; done
  ss -Hltn "sport = :$port" | grep -q . || fail "nothing listens on 127.0.0.1:$port (sshd or the delay proxy)"
done

# The agent: `product local|PORT OUT` runs one `up` (remote ones with --verbose for the round-trip count).
product() {
  local where=$1 out=$2
  if [ "$where" = local ]; then
    scripts/matrix-install "${args[@]}" >"$out" 2>&1
  else
    env -u SSH_AUTH_SOCK HOME="$tree/home" scripts/matrix-install "${args[@]}" --verbose \
      --host "root@127.0.0.1:$where" --identity "$tree/ssh/id_ed25519" --known-hosts "$tree/ssh/known_hosts" >"$out" 2>&1
  fi
}

# The playbook's sources: the agent's own files, copied from the install (so both tools want the same bytes).
snapshot() {
  rm -rf "$tree/src"
  mkdir -p "$tree/src"
  cp -a "$tree/data/matrix" "$tree/src/matrix"
  cp -a "$tree/root/nginx" "$tree/src/nginx"
  cp -a "$tree/data/nginx" "$tree/src/nginx-data"
  cp -a "$tree/state" "$tree/src/state"
  cp -a "$tree/agent" "$tree/src/agent"
  cp -a "$tree/cron.d" "$tree/src/cron.d"
}
cat >"$tree/vars.yml" <<EOF
domain: $domain
base_dir: $tree/data/matrix
proxy_dir: $tree/root/nginx
proxy_data_dir: $tree/data/nginx
state_dir: $tree/state
agent_dir: $tree/agent
cron_dir: $tree/cron.d
matrix_project: $project
proxy_project: $project-proxy
synapse_port: $synapse_port
files_dir: $tree/src
EOF
export ANSIBLE_HOME="$tree/ansible" ANSIBLE_LOCAL_TEMP="$tree/ansible/tmp" ANSIBLE_REMOTE_TMP="$tree/ansible/remote-tmp"
export ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_PIPELINING=1 ANSIBLE_HOST_KEY_CHECKING=1
export ANSIBLE_SSH_ARGS="-F none -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=$tree/ssh/known_hosts -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes"

# `playbook local|PORT OUT`: one ansible-playbook run; a remote one gets its own ControlPath directory, whose
# master is closed after the run (outside the timing, like sshd's own teardown).
playbook() {
  local where=$1 out=$2 ctl
  if [ "$where" = local ]; then
    ansible-playbook -c local -i matrix, -e ansible_python_interpreter=/usr/bin/python3 -e "@$tree/vars.yml" \
      bench/noop-playbook.yml >"$out" 2>&1
  else
    ctl=$(mktemp -d "$tree/cm-XXXXXX")
    ANSIBLE_SSH_CONTROL_PATH_DIR=$ctl ansible-playbook -i matrix, -e ansible_host=127.0.0.1 -e "ansible_port=$where" \
      -e ansible_user=root -e "ansible_ssh_private_key_file=$tree/ssh/id_ed25519" \
      -e ansible_python_interpreter=/usr/bin/python3 -e "@$tree/vars.yml" bench/noop-playbook.yml >"$out" 2>&1
  fi
}
close_masters() {
  local sock
  for sock in "$tree"/cm-*/*; do
    [ -S "$sock" ] && ssh -F none -o ControlPath="$sock" -O exit matrix >/dev/null 2>&1 || true
  done
  rm -rf "$tree"/cm-*
}

# `timed NAME WHERE`: one timed run of product or playbook, refused unless it was a no-op; prints the seconds.
# A remote run's log-ins at sshd are counted (one fresh connection per run is expected of both tools).
timed() {
  local tool=$1 where=$2 out="$tree/last.out" s e logins
  logins=$(grep -c 'Accepted publickey' "$tree/ssh/sshd.log" || true)
  s=$(now)
  "$tool" "$where" "$out" || { cat "$out" >&2; fail "$tool ($where) failed"; }
  e=$(now)
  if [ "$where" != local ]; then
    echo $(($(grep -c 'Accepted publickey' "$tree/ssh/sshd.log" || true) - logins)) >>"$tree/logins.$tool"
  fi
  if [ "$tool" = product ]; then
    grep -qx 'no changes' "$out" || { cat "$out" >&2; fail "the agent's $where run was not a no-op"; }
    sed -nE 's/.* ([0-9]+) SSH round trips$/\1/p' "$out" | tail -n 1 >>"$tree/trips.$where"
  else
    close_masters
    grep -qE 'changed=0 +unreachable=0 +failed=0' "$out" || { cat "$out" >&2; fail "the playbook's $where run was not a no-op"; }
  fi
  sub "$e" "$s"
}

# `group WHERE CONVERGE LABEL`: untimed runs of each first, then ROUNDS rounds; sets p_s, a_s (medians), trips.
group() {
  local where=$1 converge=$2 label=$3 p=() a=()
  if [ "$converge" = yes ]; then
    say "$label: converging the install (up), then the playbook's sources from it ..."
    product "$where" "$tree/converge.out" || { cat "$tree/converge.out" >&2; fail "the converging up ($where) failed"; }
    snapshot
    playbook "$where" "$tree/converge.out" || { cat "$tree/converge.out" >&2; fail "the playbook ($where) failed"; }
    close_masters
  fi
  timed product "$where" >/dev/null
  timed playbook "$where" >/dev/null
  : >"$tree/trips.$where"
  for i in $(seq 1 "$rounds"); do
    say "$label: round $i of $rounds"
    p+=("$(timed product "$where")")
    a+=("$(timed playbook "$where")")
  done
  p_s=$(printf '%s\n' "${p[@]}" | median)
  a_s=$(printf '%s\n' "${a[@]}" | median)
  trips=$(median <"$tree/trips.$where")
  say "$label: matrix-install ${p[*]}, Ansible ${a[*]} (s)"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rows=()
row() { # where, product s, ansible s, round trips, target text, met (awk condition on p and r)
  local ratio met
  ratio=$(awk -v p="$2" -v a="$3" 'BEGIN { printf "%.1f", a / p }')
  met=$(awk -v p="$2" -v r="$ratio" "BEGIN { print (($6) ? \"yes\" : \"no\") }")
  rows+=("$(printf '| %s | %.2f s%s | %.2f s | %s× | %s | %s |' "$1" "$2" "${4:+ ($4 SSH round trips)}" "$3" "$ratio" "$5" "$met")")
}
group local yes local
row 'local: `scripts/matrix-install up` vs `ansible-playbook -c local`' "$p_s" "$a_s" "" '< 0.5 s and ≥ 8×' 'p < 0.5 && r >= 8'
group "$ssh_port" yes loopback
row "SSH, loopback (sshd on 127.0.0.1:$ssh_port)" "$p_s" "$a_s" "$trips" '< 1 s' 'p < 1'
group "$delay_port" no "$delay_ms ms"
row "SSH, ${delay_ms} ms one-way (bench/delay_proxy.py → sshd)" "$p_s" "$a_s" "$trips" '≥ 4×' 'r >= 4'
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

printf '| where | matrix-install | Ansible | ratio | target | met? |\n|---|---|---|---|---|---|\n'
printf '%s\n' "${rows[@]}"
printf '\nMedian of %s rounds each. %s; %s cores (%s); %s RAM; load average %s before, %s after.\n' "$rounds" \
  "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(nproc)" "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" \
  "$(free -h | awk '/^Mem:/ {print $2}')" "$load_before" "$load_after"
printf 'SSH log-ins per remote run (sshd log): matrix-install %s, Ansible %s.\n' \
  "$(sort -un "$tree/logins.product" | paste -sd/)" "$(sort -un "$tree/logins.playbook" | paste -sd/)"
printf '%s, %s, docker-compose %s, %s\n' "$(. /etc/os-release; echo "$PRETTY_NAME")" "$(ansible --version | awk 'NR == 1')" \
  "$(docker-compose version --short 2>/dev/null)" "$(java -version 2>&1 | head -n 1)"
