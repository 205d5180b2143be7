#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster on 127.0.0.1, then stop and remove the cluster.
#   scripts/with-postgres.sh .venv/bin/python -m pytest
# The command sees DATABASE_URL. Needs Debian's postgresql package (.ci/run installs it when missing).
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
  echo "PostgreSQL is not installed (apt-get install postgresql)" >&2
  exit 1
fi
port=${DTI_PG_PORT:-54329}
dir=$(mktemp -d)
chmod 755 "$dir"
run_as_owner() {
  # initdb and postgres refuse to run as root: use the postgres account when we are root, from a directory it
  # can enter (the checkout may be private to root).
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}
if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
cleanup() {
  run_as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
run_as_owner "$bin/initdb" -D "$dir/data" -U dti -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
run_as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off" start >/dev/null
export DATABASE_URL="postgres://dti@127.0.0.1:$port/postgres"
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
"$@"
