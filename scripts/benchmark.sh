#!/usr/bin/env bash
# Prints the performance table of the README: `up` from nothing to healthy on a warm image cache
# (split into agent overhead and waiting for Synapse), a no-op `up`, `--version`, and the update
# measurements UpdateIT takes with real pulls from the harness's registry mirror (update with nothing
# new, Synapse downtime while only synapse is updated, broken release to healthy after the rollback).
# Needs the test harness (scripts/prepare-test-host.sh) for its Docker engine, images and registry;
# MATRIX_IT_ENV_FILE names another harness env file; MATRIX_BENCH_SKIP_UPDATE=1 leaves the update rows out,
# MATRIX_BENCH_SKIP_DB_UPGRADE=1 the `db upgrade` row (scripts/benchmark-db-upgrade.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
set -a; . "${MATRIX_IT_ENV_FILE:-/run/matrix-install-it/env}"; set +a
jar=installer/target/matrix-install.jar
[ -f "$jar" ] || mvn -B -q -ntp -pl installer -am package -DskipTests

tree=$(mktemp -d /tmp/matrix-install-bench.XXXXXX)
export MATRIX_INSTALL_STATE_DIR="$tree/state"   # the recorded install stays in the temp tree, not /etc
project=mi-bench
args=(up --verbose --tls none --pull never --domain matrix.example.org --email admin@example.org --set refresh.schedule=off
      --base-dir "$tree/data/matrix" --set "proxy_dir=$tree/root/nginx" --set "proxy_data_dir=$tree/data/nginx"
      --set "compose.matrix_project=$project" --set "compose.proxy_project=$project-proxy"
      --set ports.synapse=28008 --set ports.element=28080)
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
  served=$(curl -fsS http://127.0.0.1:28080/config.json || true)
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
[[ -z $db_upgrade_row ]] || printf '%s\n' "$db_upgrade_row"
printf '\n%s, %s, %s cores, %s\n' "$(date -u +%Y-%m-%d)" "$(. /etc/os-release; echo "$PRETTY_NAME")" "$(nproc)" \
  "$(free -g | awk '/Mem:/ {print $2 " GiB"}')"
