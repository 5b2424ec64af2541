#!/usr/bin/env bash
# Point-in-time restore from the pgBackRest repository into a NEW data directory, started as a
# standalone PostgreSQL on its own port, so you can look before you switch anything over.
#
#   deploy/restore-to-time.sh '2027-03-29 09:15:00+00' /tmp/chorus-restored 15099
#   deploy/restore-to-time.sh --stop /tmp/chorus-restored
#
# What you get: every transaction committed at or before the timestamp, nothing after it
# (recovery_target_time, inclusive). The restored server is promoted, so it is writable.
# To make it the new production cluster, see docs/operations.md ("Restore to a point in time").
set -euo pipefail
HA_DIR="${CHORUS_HA_DIR:-/tmp/chorus-ha}"
HA_USER="${CHORUS_HA_USER:-chorusdrill}"
PG_BIN="${CHORUS_PG_BIN:-/usr/lib/postgresql/15/bin}"
CONF="$HA_DIR/pgbackrest/pgbackrest.conf"
as_user() { if [ "$(id -u)" -eq 0 ]; then runuser -u "$HA_USER" -- "$@"; else "$@"; fi; }

if [ "${1:-}" = "--stop" ]; then
  target="${2:?data directory}"
  as_user "$PG_BIN/pg_ctl" -D "$target" -m fast -w stop
  exit 0
fi
timestamp="${1:?timestamp, e.g. '2027-03-29 09:15:00+00'}"
target="${2:?new data directory}"
port="${3:-15099}"
[ -e "$target" ] && { echo "$target exists: pick a new directory" >&2; exit 1; }
mkdir -p "$target"
[ "$(id -u)" -eq 0 ] && chown "$HA_USER": "$target"
chmod 700 "$target"

as_user env -C "$HA_DIR" pgbackrest --config="$CONF" --stanza=chorus --pg1-path="$target" \
  --type=time --target="$timestamp" --target-action=promote restore

# The copy carries the production node's settings; this one is alone, on its own port and socket,
# archives nothing into the production repository and waits for no synchronous standby.
as_user "$PG_BIN/pg_ctl" -D "$target" -l "$target/restore.log" -w -t 300 \
  -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$target -c archive_mode=off -c synchronous_standby_names= -c hba_file=$target/pg_hba.conf -c ident_file=$target/pg_ident.conf -c cluster_name=chorus-restored" start

for _ in $(seq 1 600); do
  if [ "$(as_user "$PG_BIN/psql" -h "$target" -p "$port" -U postgres -d postgres -tAc 'select pg_is_in_recovery()' 2>/dev/null)" = "f" ]; then
    echo "restored to $timestamp: postgres://chorus:chorus-loopback@127.0.0.1:$port/chorus (stop with: $0 --stop $target)"
    exit 0
  fi
  sleep 0.5
done
echo "recovery did not finish; see $target/restore.log" >&2
exit 1
