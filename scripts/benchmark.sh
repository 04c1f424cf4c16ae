#!/usr/bin/env bash
# Prints the performance table of docs/performance.md: `up` from nothing to healthy on a warm image cache
# (split into agent overhead and waiting for Synapse), a no-op `up`, `--version`, and the update
# measurements UpdateIT takes with real pulls from the harness's registry mirror (update with nothing
# new, Synapse downtime while only synapse is updated, broken release to healthy after the rollback).
# Needs the test harness (scripts/prepare-test-host.sh) for its Docker engine, images and registry;
# MATRIX_IT_ENV_FILE names another harness env file; MATRIX_BENCH_SKIP_UPDATE=1 leaves the update rows out,
# MATRIX_BENCH_SKIP_REMOTE=1 the remote ones (which need scripts/prepare-target-host.sh).
# MATRIX_BENCH_SKIP_DB_UPGRADE=1 the `db upgrade` row (scripts/benchmark-db-upgrade.sh).
# Backup and restore throughput: scripts/bench-data.sh fills the install with BENCH_DB_MB (default 300) MB of
# database rows and BENCH_MEDIA_MB (default 100) MB of media; MATRIX_BENCH_SKIP_DATA=1 leaves those rows out.
# MATRIX_BENCH_PROJECT / MATRIX_BENCH_PORT (Synapse; Element gets the next port) move the install off the defaults.
# `scripts/benchmark.sh noop` prints instead the no-op `up` beside an Ansible playbook doing the same steps, locally,
# over SSH on loopback and through a 25 ms link (scripts/benchmark-noop.sh, docs/performance.md).
set -euo pipefail
cd "$(dirname "$0")/.."
case ${1:-} in
  noop) shift; exec scripts/benchmark-noop.sh "$@" ;;
  "") ;;
  *) echo "usage: scripts/benchmark.sh [noop]" >&2; exit 2 ;;
esac
set -a; . "${MATRIX_IT_ENV_FILE:-/run/matrix-install-it/env}"; set +a
jar=installer/target/matrix-install.jar
[ -f "$jar" ] || mvn -B -q -ntp -pl installer -am package -DskipTests

tree=$(mktemp -d /tmp/matrix-install-bench.XXXXXX)
export MATRIX_INSTALL_STATE_DIR="$tree/state"   # the recorded install stays in the temp tree, not /etc
project=${MATRIX_BENCH_PROJECT:-mi-bench}
synapse_port=${MATRIX_BENCH_PORT:-28008}
element_port=$((synapse_port == 28008 ? 28080 : synapse_port + 1))
args=(up --verbose --tls none --pull never --domain matrix.example.org --email admin@example.org --set refresh.schedule=off
      --base-dir "$tree/data/matrix" --set "proxy_dir=$tree/root/nginx" --set "proxy_data_dir=$tree/data/nginx"
      --set "compose.matrix_project=$project" --set "compose.proxy_project=$project-proxy"
      --set ports.synapse="$synapse_port" --set ports.element="$element_port")
cleanup() {
  docker-compose -p "$project" -f "$tree/data/matrix/docker-compose.yml" down -v >/dev/null 2>&1 || true
  rm -rf "$tree"
}
trap cleanup EXIT

now() { date +%s.%N; }
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", a - b }'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
step() { grep -E "^\.\.\. step $1: " "$2" | sed -E 's/.*: ([0-9.]+) s/\1/'; }

# --version: five runs, median.
versions=$(for _ in 1 2 3 4 5; do s=$(now); java -jar "$jar" --version >/dev/null; e=$(now); sub "$e" "$s"; done | median)

# up from nothing (images already in the engine).
s=$(now); java -jar "$jar" "${args[@]}" >"$tree.out" 2>"$tree.err"; e=$(now)
total=$(sub "$e" "$s")
compose=$(step "matrix stack" "$tree.err")
wait=$(step "wait for synapse" "$tree.err")
check=$(step "synapse config check" "$tree.err")
overhead=$(sub "$(sub "$(sub "$total" "$compose")" "$wait")" "${check:-0}")

# no-op up: five runs, median; as `java -jar`, and through scripts/matrix-install (class-data archive, C1 only).
noop=$(for _ in 1 2 3 4 5; do s=$(now); java -jar "$jar" "${args[@]}" >/dev/null 2>&1; e=$(now); sub "$e" "$s"; done | median)
scripts/matrix-install --version >/dev/null   # makes the archive once
noop_runner=$(for _ in 1 2 3 4 5; do s=$(now); scripts/matrix-install "${args[@]}" >/dev/null 2>&1; e=$(now); sub "$e" "$s"; done | median)

# Crash test: an `up` that changes Element's brand, SIGKILLed (with everything it started) at a random
# instant, then run again; it counts as converged when Element serves the brand in its file and every
# container's inputs label is the one in the compose file.
crashes=${CRASHES:-10}
converged=0
for i in $(seq 1 "$crashes"); do
  brand="Crash $i"
  delay=$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 0.5 + (r % 1000) / 1000 * 9 }')
  setsid java -jar "$jar" "${args[@]}" --element-brand "$brand" >/dev/null 2>&1 &
  agent=$!
  sleep "$delay"
  kill -9 -- "-$agent" 2>/dev/null || true
  wait "$agent" 2>/dev/null || true
  java -jar "$jar" "${args[@]}" --element-brand "$brand" >/dev/null 2>&1 || continue
  served=$(curl -fsS "http://127.0.0.1:$element_port/config.json" || true)
  ok=1
  [[ $served == *"\"brand\": \"$brand\""* ]] || ok=0
  for service in db synapse element; do
    label=$(docker inspect --format '{{index .Config.Labels "org.matrix-install.inputs"}}' \
      "$(docker ps -q --filter "label=com.docker.compose.project=$project" --filter "label=com.docker.compose.service=$service")")
    grep -q "\"$label\"" "$tree/data/matrix/docker-compose.yml" || ok=0
  done
  converged=$((converged + ok))
done
rm -f "$tree.out" "$tree.err"

# backup and restore of generated data on the same install: wall time of the command, and the rate of its
# database stream as the agent reports it ("... database dump: 180.3 MiB in 12.1 s (15.6 MB/s)").
data_rows=()
if [[ ${MATRIX_BENCH_SKIP_DATA:-} != 1 ]]; then
  scripts/bench-data.sh "$project" "$tree/data/matrix" "${BENCH_DB_MB:-300}" "${BENCH_MEDIA_MB:-100}" >"$tree.data" 2>&1
  dbsize=$(awk '/bench-data: database/ {print $3 " " $4}' "$tree.data")
  s=$(now); java -jar "$jar" backup --to "$tree/bench-backup" >"$tree.out" 2>"$tree.err"; e=$(now)
  backup_s=$(sub "$e" "$s")
  bytes=$(du -sb "$tree/bench-backup" | cut -f1)
  dump_rate=$(sed -nE 's/^\.\.\. database dump: .*\(([0-9.]+) MB\/s\)$/\1/p' "$tree.err")
  media_rate=$(sed -nE 's/^\.\.\. media archive: .*\(([0-9.]+) MB\/s\)$/\1/p' "$tree.err")
  s=$(now); java -jar "$jar" restore --from "$tree/bench-backup" --pull never >"$tree.out" 2>"$tree.err"; e=$(now)
  restore_s=$(sub "$e" "$s")
  load_rate=$(sed -nE 's/^\.\.\. database restore: .*\(([0-9.]+) MB\/s\)$/\1/p' "$tree.err")
  unpack_rate=$(sed -nE 's/^\.\.\. media restore: .*\(([0-9.]+) MB\/s\)$/\1/p' "$tree.err")
  mb=$(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1e6 }')
  data_rows=(
    "$(printf '| `backup` of a %s database + %s MB media: %s MB written, total (MB/s) | %.2f (%.1f MB/s) | |' "$dbsize" \
      "${BENCH_MEDIA_MB:-100}" "$mb" "$backup_s" "$(awk -v b="$bytes" -v t="$backup_s" 'BEGIN { print b / 1e6 / t }')")"
    "$(printf '| … database dump (pg_dump -Fc streamed to the host) / media tar, MB/s | %s / %s | |' "$dump_rate" "$media_rate")"
    "$(printf '| `restore` of that backup onto the same install, total (MB/s of the backup) | %.2f (%.1f MB/s) | |' \
      "$restore_s" "$(awk -v b="$bytes" -v t="$restore_s" 'BEGIN { print b / 1e6 / t }')")"
    "$(printf '| … database load (pg_restore streamed from the host file) / media unpack, MB/s | %s / %s | |' "$load_rate" "$unpack_rate")"
  )
  rm -f "$tree.data" "$tree.out" "$tree.err"
fi

# update: UpdateIT prints "BENCHMARK name seconds" lines (no-op update, downtime, broken -> healthy).
update_rows=()
if [[ ${MATRIX_BENCH_SKIP_UPDATE:-} != 1 ]]; then
  mvn -B -o -q -pl installer -am install -DskipTests >/dev/null
  mvn -B -o -pl it verify -Dit.test=UpdateIT >"$tree.update" 2>&1 || { tail -n 40 "$tree.update" >&2; exit 1; }
  bench() { awk -v n="$1" '$1=="BENCHMARK" && $2==n {print $3}' "$tree.update" | tail -n 1; }
  update_rows=(
    "$(printf '| `update` with nothing new (registry round trips included) | %.2f | < 3 |' "$(bench update-nothing-new)")"
    "$(printf '| Synapse downtime during an update of synapse only | %.2f | |' "$(bench update-synapse-downtime)")"
    "$(printf '| broken Synapse release to healthy again (rollback, `--timeout 30`) | %.2f | |' "$(bench broken-release-to-healthy)")"
  )
  rm -f "$tree.update"
fi

# db upgrade (its own install, generated data): MATRIX_BENCH_SKIP_DB_UPGRADE=1 leaves it out.
db_upgrade_row=""
if [[ ${MATRIX_BENCH_SKIP_DB_UPGRADE:-} != 1 ]]; then
  db_upgrade_row=$(scripts/benchmark-db-upgrade.sh 2>"$tree.db") || { cat "$tree.db" >&2; exit 1; }
  rm -f "$tree.db"
fi

# Remote: a fresh bare target (scripts/target-host.sh), `up --host root@10.77.0.2 --push-images --docker-source distro`
# to healthy, split by the agent's step timings (Docker install, image transfer, the rest), the push throughput
# from its "pushed IMAGE: N MB in T s" lines, and a no-op remote `up` with its SSH round trips (--verbose).
remote_rows=()
if [[ ${MATRIX_BENCH_SKIP_REMOTE:-} != 1 ]]; then
  if [[ ! -f /var/lib/matrix-install-it/target/pristine/.matrix-install-it-target ]]; then
    remote_rows=("| remote rows | skipped: run scripts/prepare-target-host.sh | |")
  else
    trap 'cleanup; scripts/target-host.sh stop >/dev/null 2>&1 || true' EXIT
    scripts/target-host.sh start >/dev/null
    target_env=$(scripts/target-host.sh env)
    remote_args=(--host "root@$(. "$target_env"; echo "$TARGET_ADDRESS")" --identity "$(. "$target_env"; echo "$TARGET_IDENTITY")"
      --known-hosts "$(. "$target_env"; echo "$TARGET_KNOWN_HOSTS")" --tls none --domain matrix.example.org --email admin@example.org
      --set compose.matrix_project=mi-target-bench --set ports.synapse=21218 --set ports.element=21219)
    mkdir -p "$tree/home"
    remote() { env -u SSH_AUTH_SOCK -u MATRIX_INSTALL_STATE_DIR HOME="$tree/home" java -jar "$jar" "$@"; }
    s=$(now); remote up --verbose --push-images --docker-source distro "${remote_args[@]}" >"$tree/remote.out" 2>"$tree/remote.err" \
      || { cat "$tree/remote.out" "$tree/remote.err" >&2; exit 1; }
    e=$(now)
    r_total=$(sub "$e" "$s")
    r_docker=$(step docker "$tree/remote.err"); r_images=$(step images "$tree/remote.err")
    r_rest=$(sub "$(sub "$r_total" "${r_docker:-0}")" "${r_images:-0}")
    r_rate=$(cat "$tree/remote.out" "$tree/remote.err" | sed -nE 's/.*pushed .*: ([0-9.]+) MB in ([0-9.]+) s.*/\1 \2/p' \
      | awk '{mb += $1; s += $2} END {if (s > 0) printf "%.1f MB in %.1f s: %.1f", mb, s, mb / s; else print "n/a"}')
    r_noop=$(for _ in 1 2 3 4 5; do s=$(now); remote up "${remote_args[@]}" >/dev/null 2>&1; e=$(now); sub "$e" "$s"; done | median)
    remote up --verbose "${remote_args[@]}" >/dev/null 2>"$tree/remote.err" || true
    r_trips=$(grep -ioE '[0-9]+ (ssh )?round trips?' "$tree/remote.err" | tail -n 1 | grep -oE '^[0-9]+' || echo n/a)
    remote_rows=(
      "$(printf '| remote `up` on a bare target to healthy (`--push-images --docker-source distro`), total | %.2f | |' "$r_total")"
      "$(printf '| … Docker install (apt through the harness cache, engine start) | %.2f | |' "${r_docker:-0}")"
      "$(printf '| … image transfer (`--push-images`: docker save → SSH → docker load) | %.2f | |' "${r_images:-0}")"
      "$(printf '| … the rest (JRE and agent, files, config check, compose, health through the tunnel) | %.2f | |' "$r_rest")"
      "| \`--push-images\` throughput (MB/s; $r_rate) | ${r_rate##*: } | |"
      "$(printf '| no-op remote `up` (median of 5; %s SSH round trips) | %.2f | < 1 |' "$r_trips" "$r_noop")"
    )
    rm -f "$tree/remote.out" "$tree/remote.err"
  fi
fi

printf '| measurement | seconds | target |\n|---|---|---|\n'
printf '| `up` from nothing to healthy, total | %.2f | |\n' "$total"
printf '| … compose up (PostgreSQL initdb until healthy, containers start) | %.2f | |\n' "$compose"
printf '| … waiting for Synapse `/health` after compose | %.2f | |\n' "$wait"
printf '| … Synapse config check (one-off Synapse container) | %.2f | |\n' "$check"
printf '| … agent overhead (JVM, plan, files, inspections) | %.2f | < 3 |\n' "$overhead"
printf '| no-op `up`, `java -jar` (median of 5) | %.2f | |\n' "$noop"
printf '| no-op `up`, `scripts/matrix-install` (class-data archive, C1; median of 5) | %.2f | < 0.4 |\n' "$noop_runner"
printf '| `up` killed at a random instant, then run again: converged | %d of %d | all |\n' "$converged" "$crashes"
printf '| `--version` (median of 5) | %.2f | < 0.5 |\n' "$versions"
for row in "${update_rows[@]}"; do printf '%s\n' "$row"; done
for row in "${data_rows[@]}"; do printf '%s\n' "$row"; done
[[ -z $db_upgrade_row ]] || printf '%s\n' "$db_upgrade_row"
for row in "${remote_rows[@]}"; do printf '%s\n' "$row"; done
printf '\n%s, %s, %s cores, %s\n' "$(date -u +%Y-%m-%d)" "$(. /etc/os-release; echo "$PRETTY_NAME")" "$(nproc)" \
  "$(free -g | awk '/Mem:/ {print $2 " GiB"}')"
