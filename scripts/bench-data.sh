#!/usr/bin/env bash
# Fills an installed server with generated data for the backup/restore benchmark: a table of DB_MB MB of
# random hex rows in the Synapse database (pg_dump compresses hex about 2:1, like real event JSON) and
# MEDIA_MB MB of random 1 MiB files in the media store, owned by Synapse's 991 like real uploads.
# Usage: scripts/bench-data.sh PROJECT BASE_DIR DB_MB MEDIA_MB   (DOCKER_HOST as for the install)
set -euo pipefail
project=$1 base_dir=$2 db_mb=$3 media_mb=$4
db=$(docker ps -q --filter "label=com.docker.compose.project=$project" --filter "label=com.docker.compose.service=db")
[ -n "$db" ] || { echo "bench-data: no running db container in project $project" >&2; exit 1; }
rows=$((db_mb * 1024 * 1024 / 1100))   # ~1 KiB of hex plus the row's overhead
docker exec "$db" psql -U synapse -d synapse -v ON_ERROR_STOP=1 -q -c "
  CREATE TABLE IF NOT EXISTS bench_filler (id bigint PRIMARY KEY, body text NOT NULL);
  INSERT INTO bench_filler
    SELECT g, (SELECT string_agg(md5(random()::text || g || i), '') FROM generate_series(1, 32) i)
    FROM generate_series(1, $rows) g ON CONFLICT DO NOTHING;"
media="$base_dir/files/media_store/local_content/bench"
mkdir -p "$media"
for i in $(seq 1 "$media_mb"); do
  head -c 1048576 /dev/urandom >"$media/file$i"
done
chown -R 991:991 "$base_dir/files/media_store"
docker exec "$db" psql -U synapse -d synapse -tA -c "SELECT pg_size_pretty(pg_database_size('synapse'))" |
  sed 's/^/bench-data: database /'
du -sh "$base_dir/files/media_store" | awk '{print "bench-data: media " $1}'
