#!/bin/bash
# Entrypoint following the official postgres image's documented contract:
#   POSTGRES_USER (default postgres), POSTGRES_PASSWORD (required unless
#   POSTGRES_HOST_AUTH_METHOD=trust), POSTGRES_DB (default: the user), POSTGRES_INITDB_ARGS,
#   each also as VAR_FILE (read from a file; VAR and VAR_FILE together are refused),
#   /docker-entrypoint-initdb.d/*.sh|*.sql|*.sql.gz on first start only (empty $PGDATA).
set -Eeuo pipefail

log() { printf '%s [entrypoint] %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S UTC')" "$*"; }
die() { log "error: $*" >&2; exit 1; }

# VAR from VAR_FILE, as the official image's file_env: both set is an error; the file's content
# (trailing newlines dropped) is exported, and VAR_FILE unset. Runs as root before privileges are
# dropped, so a root-only secret file works; the re-executed script inherits the exported value.
file_env() {
  local var=$1 file_var="${1}_FILE" default=${2:-}
  if [[ -n ${!var:-} && -n ${!file_var:-} ]]; then
    echo >&2 "error: both $var and $file_var are set (but are exclusive)"
    exit 1
  fi
  local value=$default
  if [[ -n ${!var:-} ]]; then
    value=${!var}
  elif [[ -n ${!file_var:-} ]]; then
    value=$(<"${!file_var}")
  fi
  export "$var"="$value"
  unset "$file_var"
}
file_env POSTGRES_PASSWORD
file_env POSTGRES_USER
file_env POSTGRES_DB
file_env POSTGRES_INITDB_ARGS

POSTGRES_USER=${POSTGRES_USER:-postgres}
POSTGRES_DB=${POSTGRES_DB:-$POSTGRES_USER}
POSTGRES_PASSWORD=${POSTGRES_PASSWORD:-}
POSTGRES_HOST_AUTH_METHOD=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
POSTGRES_INITDB_ARGS=${POSTGRES_INITDB_ARGS:-}
export PGDATA=${PGDATA:-/var/lib/postgresql/data}

# As root: make the data and socket directories usable by postgres, then re-run this script
# as postgres (setpriv, like gosu in the official image).
prepare_dirs_and_drop_root() {
  mkdir -p "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  chmod 3777 /var/run/postgresql
  find "$PGDATA" \! -user postgres -exec chown postgres:postgres '{}' +
  chown postgres:postgres /var/run/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
}

check_password() {
  if [[ -z $POSTGRES_PASSWORD && $POSTGRES_HOST_AUTH_METHOD != trust ]]; then
    die "Database is uninitialized and superuser password is not specified.
  You must specify POSTGRES_PASSWORD to a non-empty value for the superuser.
  To allow all connections without a password set POSTGRES_HOST_AUTH_METHOD=trust."
  fi
}

init_cluster() {
  log "initialising database cluster in $PGDATA"
  local args=(--username="$POSTGRES_USER") pwfile=""
  if [[ -n $POSTGRES_PASSWORD ]]; then
    # A private temp file rather than <(...): /dev/fd is not available in every runtime.
    pwfile=$(mktemp)
    printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
    args+=(--pwfile="$pwfile")
  fi
  # POSTGRES_INITDB_ARGS is word-split on purpose, as the official image does.
  # shellcheck disable=SC2086
  initdb "${args[@]}" $POSTGRES_INITDB_ARGS || { rm -f "$pwfile"; exit 1; }
  rm -f "$pwfile"

  # Local (socket) connections trusted, as initdb's defaults; remote ones need the password.
  printf '\nhost all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD" >>"$PGDATA/pg_hba.conf"
  printf "\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"
}

psql_init() {
  psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" "$@"
}

run_init_scripts() {
  local f
  for f in /docker-entrypoint-initdb.d/*; do
    [[ -e $f ]] || continue
    case $f in
      *.sh)
        if [[ -x $f ]]; then log "running $f"; "$f"
        else log "sourcing $f"; # shellcheck disable=SC1090
          . "$f"; fi ;;
      *.sql) log "running $f"; psql_init --dbname "$POSTGRES_DB" -f "$f" ;;
      *.sql.gz) log "running $f"; gunzip -c "$f" | psql_init --dbname "$POSTGRES_DB" ;;
      *) log "ignoring $f" ;;
    esac
  done
}

# A temporary server on the socket only, for creating the database and the init scripts.
first_start_setup() {
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start
  if [[ $POSTGRES_DB != postgres ]]; then
    log "creating database $POSTGRES_DB"
    psql_init --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
  fi
  export PGUSER=$POSTGRES_USER PGDATABASE=$POSTGRES_DB PGPASSWORD=$POSTGRES_PASSWORD
  run_init_scripts
  unset PGUSER PGDATABASE PGPASSWORD
  pg_ctl -D "$PGDATA" -m fast -w stop
  log "PostgreSQL init process complete; ready for start up."
}

main() {
  # `docker run IMAGE -c foo=bar` means: postgres with those options.
  if [[ ${1:-} == -* ]]; then set -- postgres "$@"; fi

  if [[ ${1:-} == postgres ]]; then
    if [[ $(id -u) == 0 ]]; then prepare_dirs_and_drop_root "$@"; fi
    if [[ ! -s $PGDATA/PG_VERSION ]]; then
      check_password
      init_cluster
      first_start_setup
    else
      log "PostgreSQL database directory appears to contain a database; skipping initialization"
    fi
  fi
  exec "$@"
}

main "$@"
