#!/bin/bash
# Starts the streaming replica; on its first start, clones the primary first. pg_basebackup
# -R writes standby.signal and primary_conninfo, -C -S creates the replication slot that keeps
# the primary's WAL until the replica has it.
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  chmod 700 "$PGDATA"
  export PGPASSWORD="$REPLICATION_PASSWORD"
  until pg_basebackup -h postgres -U replicator -D "$PGDATA" -R -X stream -C -S relasi_replica; do
    echo "waiting for the primary to accept the base backup…"
    rm -rf "${PGDATA:?}"/*
    sleep 3
  done
fi
exec postgres -c hot_standby=on
