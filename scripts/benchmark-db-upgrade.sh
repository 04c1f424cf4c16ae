#!/usr/bin/env bash
# One row of docs/performance.md's table: `db upgrade --to 17` (PostgreSQL 15 -> 17 by dump, restore and row
# count comparison, Synapse stopped and started again) on a database of a few hundred MB: `up --tls none` on 15,
# then a generator fills one table (MATRIX_BENCH_DB_ROWS rows of 256 random hex characters, default 1,000,000:
# ≈ 340 MB in PostgreSQL, a dump of about half that, as random data compresses no further).
# Needs the test harness (postgres:15-alpine and postgres:17-alpine stand-ins); cleans up after itself.
set -euo pipefail
cd "$(dirname "$0")/.."
set -a; . "${MATRIX_IT_ENV_FILE:-/run/matrix-install-it/env}"; set +a
jar=installer/target/matrix-install.jar
[ -f "$jar" ] || mvn -B -q -ntp -pl installer -am package -DskipTests
rows=${MATRIX_BENCH_DB_ROWS:-1000000}

tree=$(mktemp -d /tmp/matrix-install-bench-db.XXXXXX)
export MATRIX_INSTALL_STATE_DIR="$tree/state"
project=mi-pgup-bench
agent() { java -jar "$jar" "$@" --run-dir "$tree/run"; }
cleanup() {
  docker-compose -p "$project" -f "$tree/data/matrix/docker-compose.yml" down -v >/dev/null 2>&1 || true
  docker volume rm -f "${project}_postgres-data" "${project}_postgres-data-17" >/dev/null 2>&1 || true
  rm -rf "$tree"
}
trap cleanup EXIT
now() { date +%s.%N; }

agent up --tls none --pull never --domain matrix.example.org --email admin@example.org --set refresh.schedule=off \
  --base-dir "$tree/data/matrix" --set "proxy_dir=$tree/root/nginx" --set "proxy_data_dir=$tree/data/nginx" \
  --set "compose.matrix_project=$project" --set "compose.proxy_project=$project-proxy" \
  --set ports.synapse=21788 --set ports.element=21789 >/dev/null 2>&1
db() { docker ps -q --filter "label=com.docker.compose.project=$project" --filter "label=com.docker.compose.service=db"; }
psql() { docker exec "$(db)" psql -U synapse -d synapse -X -q -A -t -v ON_ERROR_STOP=1 -c "$1"; }
psql "CREATE TABLE bench_filler (id bigint PRIMARY KEY, payload text NOT NULL);
      INSERT INTO bench_filler SELECT g, (SELECT string_agg(md5(random()::text || g || i), '') FROM generate_series(1, 8) i)
      FROM generate_series(1, $rows) g;"
size_mb=$(psql "SELECT pg_database_size('synapse') / 1000000")

s=$(now); agent db upgrade --to 17 >"$tree.out" 2>"$tree.err" || { cat "$tree.out" "$tree.err" >&2; exit 1; }; e=$(now)
seconds=$(awk -v a="$e" -v b="$s" 'BEGIN { printf "%.2f", a - b }')
version=$(psql "SHOW server_version")
dump_mb=$(du -m "$tree"/data/matrix/backups/postgres-15-before-17-*.dump | awk '{print $1}')
[[ $version == 17.* ]] || { echo "not on 17 after the upgrade: $version" >&2; exit 1; }
printf '| `db upgrade --to 17` (15 → 17: dump, new volume, restore, row counts, Synapse healthy), %s MB database, %s MB dump | %s | |\n' \
  "$size_mb" "$dump_mb" "$seconds"
grep -E '^\.\.\. (dump|restored)' "$tree.err" >&2 || true
rm -f "$tree.out" "$tree.err"
