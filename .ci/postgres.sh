#!/usr/bin/env bash
# Install (if needed) and start a local PostgreSQL server with a throwaway test database.
# Prints the database URL for TEST_DATABASE_URL on its last line.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >&2
fi
pg_ctlcluster "$version" main start >&2 || true
for _ in $(seq 1 30); do
  runuser -u postgres -- psql -qAtc "SELECT 1" >/dev/null 2>&1 && break
  sleep 1
done
runuser -u postgres -- psql -qc "DROP DATABASE IF EXISTS watchlist_test" >&2
runuser -u postgres -- psql -qc "DROP ROLE IF EXISTS watchlist_test" >&2
runuser -u postgres -- psql -qc "CREATE ROLE watchlist_test LOGIN PASSWORD 'watchlist_test'" >&2
runuser -u postgres -- psql -qc "CREATE DATABASE watchlist_test OWNER watchlist_test" >&2
echo "postgresql+psycopg://watchlist_test:watchlist_test@127.0.0.1:5432/watchlist_test"
