#!/usr/bin/env bash
# pgBackRest backups of the loopback cluster (deploy/cluster.sh). WAL is archived continuously
# by every node's archive_command, so any moment between the oldest kept full backup and now
# can be restored (deploy/restore-to-time.sh).
#
#   deploy/backup.sh full     full backup (schedule weekly)
#   deploy/backup.sh incr     incremental since the last backup (schedule hourly or daily)
#   deploy/backup.sh info     backups and the archived WAL range
#   deploy/backup.sh check    archiving works (forces a WAL switch and waits for it to arrive)
#
# A schedule, as a crontab line of the cluster user:
#   0 3 * * 0    /path/to/chorus/deploy/backup.sh full
#   0 * * * *    /path/to/chorus/deploy/backup.sh incr
set -euo pipefail
HA_DIR="${CHORUS_HA_DIR:-/tmp/chorus-ha}"
HA_USER="${CHORUS_HA_USER:-chorusdrill}"
CONF="$HA_DIR/pgbackrest/pgbackrest.conf"
[ -f "$CONF" ] || { echo "no cluster config at $CONF (deploy/cluster.sh up first)" >&2; exit 1; }
as_user() { if [ "$(id -u)" -eq 0 ]; then runuser -u "$HA_USER" -- "$@"; else "$@"; fi; }
pgbackrest() { as_user env -C "$HA_DIR" pgbackrest --config="$CONF" --stanza=chorus "$@"; }

case "${1:-}" in
  full | incr | diff) pgbackrest --type="$1" backup ;;
  info) pgbackrest info ;;
  check) pgbackrest check ;;
  *) sed -n '2,14p' "$0"; exit 2 ;;
esac
