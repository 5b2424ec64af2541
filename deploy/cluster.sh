#!/usr/bin/env bash
# A 3-zone PostgreSQL HA cluster on loopback for Chorus: in each "zone" one PostgreSQL 15
# under Patroni and one etcd member; HAProxy in front sends writes to the leader (Patroni's
# REST health check); synchronous_mode_strict, so a commit Chorus acknowledged is on two
# zones; WAL archived to a pgBackRest posix repository. Everything runs as a non-root user.
#
#   deploy/cluster.sh up                  bring the whole cluster up (idempotent user setup)
#   deploy/cluster.sh down                stop everything and delete $CHORUS_HA_DIR
#   deploy/cluster.sh status              patronictl list
#   deploy/cluster.sh leader              the zone number (1-3) of the current leader
#   deploy/cluster.sh kill-zone N         SIGKILL zone N's PostgreSQL, Patroni and etcd member
#   deploy/cluster.sh start-zone N        bring zone N back (etcd rejoins, Patroni pg_rewinds)
#   deploy/cluster.sh url                 the DATABASE_URL Chorus should use (HAProxy's write port)
#   deploy/cluster.sh env                 ports and paths, as shell variables
#
# Settings (environment): CHORUS_HA_DIR (default /tmp/chorus-ha), CHORUS_HA_USER (default
# chorusdrill; created if missing when run as root), CHORUS_HA_PORT_BASE (default 15000).
# Ports: HAProxy write = base+1, read = base+2, stats = base+3; zone N: etcd client base+10N,
# etcd peer base+10N+1, PostgreSQL base+10N+2, Patroni REST base+10N+3.
set -euo pipefail

HA_DIR="${CHORUS_HA_DIR:-/tmp/chorus-ha}"
HA_USER="${CHORUS_HA_USER:-chorusdrill}"
BASE="${CHORUS_HA_PORT_BASE:-15000}"
PG_BIN="${CHORUS_PG_BIN:-/usr/lib/postgresql/15/bin}"
SCOPE=chorus
WRITE_PORT=$((BASE + 1))
READ_PORT=$((BASE + 2))
STATS_PORT=$((BASE + 3))
PGBACKREST_CONF="$HA_DIR/pgbackrest/pgbackrest.conf"

etcd_client_port() { echo $((BASE + 10 * $1)); }
etcd_peer_port() { echo $((BASE + 10 * $1 + 1)); }
pg_port() { echo $((BASE + 10 * $1 + 2)); }
rest_port() { echo $((BASE + 10 * $1 + 3)); }

log() { echo "[cluster $(date +%H:%M:%S)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# PostgreSQL refuses to run as root: when we are root, everything runs as $HA_USER.
as_user() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$HA_USER" -- "$@"; else "$@"; fi
}

ensure_user() {
  if [ "$(id -u)" -ne 0 ]; then HA_USER="$(id -un)"; return; fi
  id "$HA_USER" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$HA_USER"
}

need() { command -v "$1" >/dev/null 2>&1 || die "$1 is missing: apt-get install -y patroni etcd-server etcd-client haproxy pgbackrest"; }

etcd_hosts() { echo "127.0.0.1:$(etcd_client_port 1),127.0.0.1:$(etcd_client_port 2),127.0.0.1:$(etcd_client_port 3)"; }
etcd_endpoints() { echo "http://127.0.0.1:$(etcd_client_port 1),http://127.0.0.1:$(etcd_client_port 2),http://127.0.0.1:$(etcd_client_port 3)"; }

write_configs() {
  mkdir -p "$HA_DIR"/pgbackrest/{repo,log,lock,spool}
  local initial_cluster="etcd1=http://127.0.0.1:$(etcd_peer_port 1),etcd2=http://127.0.0.1:$(etcd_peer_port 2),etcd3=http://127.0.0.1:$(etcd_peer_port 3)"
  echo "$initial_cluster" >"$HA_DIR/etcd-initial-cluster"
  for n in 1 2 3; do
    mkdir -p "$HA_DIR/zone$n"
    cat >"$HA_DIR/zone$n/patroni.yml" <<YAML
scope: $SCOPE
namespace: /chorus/
name: pg$n
log:
  dir: $HA_DIR/zone$n
  file_num: 2
restapi:
  listen: 127.0.0.1:$(rest_port "$n")
  connect_address: 127.0.0.1:$(rest_port "$n")
etcd3:
  hosts: $(etcd_hosts)
bootstrap:
  dcs:
    # ttl is the floor of the failover time: a dead leader cannot release its key (20 is Patroni's minimum).
    ttl: 20
    loop_wait: 2
    retry_timeout: 9
    maximum_lag_on_failover: 0
    # A commit returns only once a synchronous standby (another zone) has it; with strict mode
    # even when no standby is left (writes then wait rather than risk an unreplicated commit).
    synchronous_mode: true
    synchronous_mode_strict: true
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        wal_level: replica
        hot_standby: 'on'
        wal_log_hints: 'on'
        max_wal_senders: 10
        max_replication_slots: 10
        max_connections: 200
        # Without this a standby retries its slot every 5 s and strict sync mode stalls commits after a promotion.
        wal_retrieve_retry_interval: 500ms
        archive_mode: 'on'
        archive_timeout: 30s
  initdb:
  - encoding: UTF8
  - data-checksums
  pg_hba:
  - local all all trust
  - host replication replicator 127.0.0.1/32 scram-sha-256
  - host all all 127.0.0.1/32 scram-sha-256
postgresql:
  listen: 127.0.0.1:$(pg_port "$n")
  connect_address: 127.0.0.1:$(pg_port "$n")
  data_dir: $HA_DIR/zone$n/data
  bin_dir: $PG_BIN
  pgpass: $HA_DIR/zone$n/pgpass
  authentication:
    replication: { username: replicator, password: replicator-loopback }
    superuser: { username: postgres, password: postgres-loopback }
    rewind: { username: rewinder, password: rewinder-loopback }
  parameters:
    unix_socket_directories: $HA_DIR/zone$n
    archive_command: pgbackrest --config=$PGBACKREST_CONF --stanza=$SCOPE --pg1-path=$HA_DIR/zone$n/data archive-push %p
  pg_ctl_timeout: 30
tags:
  nofailover: false
  noloadbalance: false
  clonefrom: false
YAML
  done

  cat >"$HA_DIR/haproxy.cfg" <<CFG
global
  maxconn 2000
defaults
  mode tcp
  retries 2
  timeout connect 2s
  timeout client 30m
  timeout server 30m
  timeout check 1s
listen chorus_write
  bind 127.0.0.1:$WRITE_PORT
  option httpchk GET /primary
  http-check expect status 200
  default-server inter 1s fastinter 500ms downinter 1s fall 2 rise 1 on-marked-down shutdown-sessions
$(for n in 1 2 3; do echo "  server pg$n 127.0.0.1:$(pg_port "$n") maxconn 300 check port $(rest_port "$n")"; done)
listen chorus_read
  bind 127.0.0.1:$READ_PORT
  balance roundrobin
  option httpchk GET /replica
  http-check expect status 200
  default-server inter 1s fastinter 500ms downinter 1s fall 2 rise 1 on-marked-down shutdown-sessions
$(for n in 1 2 3; do echo "  server pg$n 127.0.0.1:$(pg_port "$n") maxconn 300 check port $(rest_port "$n")"; done)
listen stats
  mode http
  bind 127.0.0.1:$STATS_PORT
  stats enable
  stats uri /
CFG

  cat >"$PGBACKREST_CONF" <<CONF
[global]
repo1-path=$HA_DIR/pgbackrest/repo
repo1-retention-full=2
log-path=$HA_DIR/pgbackrest/log
lock-path=$HA_DIR/pgbackrest/lock
spool-path=$HA_DIR/pgbackrest/spool
log-level-console=warn
log-level-file=info
start-fast=y
compress-type=lz4

[$SCOPE]
$(for n in 1 2 3; do printf 'pg%s-path=%s\npg%s-port=%s\npg%s-socket-path=%s\npg%s-user=postgres\n' "$n" "$HA_DIR/zone$n/data" "$n" "$(pg_port "$n")" "$n" "$HA_DIR/zone$n" "$n"; done)
CONF
  printf '*:*:*:postgres:postgres-loopback\n' >"$HA_DIR/pgpass-client"
  chmod 600 "$HA_DIR/pgpass-client"
}

start_etcd() {
  local n=$1 state=$2
  as_user bash -c "nohup etcd --name etcd$n --data-dir '$HA_DIR/zone$n/etcd' \
    --listen-client-urls http://127.0.0.1:$(etcd_client_port "$n") --advertise-client-urls http://127.0.0.1:$(etcd_client_port "$n") \
    --listen-peer-urls http://127.0.0.1:$(etcd_peer_port "$n") --initial-advertise-peer-urls http://127.0.0.1:$(etcd_peer_port "$n") \
    --initial-cluster '$(cat "$HA_DIR/etcd-initial-cluster")' --initial-cluster-state $state --initial-cluster-token chorus-ha \
    --heartbeat-interval 100 --election-timeout 1000 >'$HA_DIR/zone$n/etcd.log' 2>&1 & echo \$! >'$HA_DIR/zone$n/etcd.pid'"
}

start_patroni() {
  local n=$1
  as_user bash -c "nohup patroni '$HA_DIR/zone$n/patroni.yml' >'$HA_DIR/zone$n/patroni.out' 2>&1 & echo \$! >'$HA_DIR/zone$n/patroni.pid'"
}

rest() { curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$(rest_port "$1")/$2" || true; }

wait_until() {
  local seconds=$1; shift
  for _ in $(seq 1 $((seconds * 4))); do if "$@" >/dev/null 2>&1; then return 0; fi; sleep 0.25; done
  return 1
}

wait_for() {
  local what=$1 seconds=$2; shift 2
  wait_until "$seconds" "$@" || die "$what did not happen within ${seconds}s (logs in $HA_DIR)"
}

dump_zone_logs() {
  for f in "$HA_DIR/zone$1/patroni.out" "$HA_DIR/zone$1"/patroni.log "$HA_DIR/zone$1/etcd.log" "$HA_DIR/zone$1"/data/log/*; do
    [ -f "$f" ] && { echo "--- $f" >&2; tail -n 25 "$f" >&2; }
  done
  return 0
}

etcd_healthy() { ETCDCTL_API=3 etcdctl --endpoints "$(etcd_endpoints)" endpoint health >/dev/null 2>&1; }
is_leader() { [ "$(rest "$1" primary)" = 200 ]; }
is_replica() { [ "$(rest "$1" replica)" = 200 ]; }
sync_standby_ready() {
  for n in 1 2 3; do [ "$(rest "$n" sync)" = 200 ] && return 0; done
  return 1
}
write_port_works() { PGPASSFILE="$HA_DIR/pgpass-client" psql -h 127.0.0.1 -p "$WRITE_PORT" -U postgres -d postgres -tAc 'select not pg_is_in_recovery()' 2>/dev/null | grep -q t; }

psql_leader() { PGPASSFILE="$HA_DIR/pgpass-client" psql -h 127.0.0.1 -p "$WRITE_PORT" -U postgres -v ON_ERROR_STOP=1 "$@"; }

create_app_database() {
  psql_leader -d postgres -tAc "select 1 from pg_roles where rolname = 'chorus'" | grep -q 1 ||
    psql_leader -d postgres -qc "create role chorus login password 'chorus-loopback'" || return 1
  psql_leader -d postgres -tAc "select 1 from pg_database where datname = 'chorus'" | grep -q 1 ||
    psql_leader -d postgres -qc "create database chorus owner chorus" || return 1
}

leader_zone() {
  for n in 1 2 3; do if is_leader "$n"; then echo "$n"; return 0; fi; done
  return 1
}

pgbackrest_cmd() { as_user pgbackrest --config="$PGBACKREST_CONF" --stanza=$SCOPE "$@"; }

cmd_up() {
  for tool in etcd etcdctl patroni haproxy pgbackrest psql curl; do need "$tool"; done
  [ -x "$PG_BIN/postgres" ] || die "PostgreSQL 15 binaries not found in $PG_BIN (apt-get install -y postgresql-15)"
  if [ -f "$HA_DIR/zone1/patroni.pid" ] && kill -0 "$(cat "$HA_DIR/zone1/patroni.pid")" 2>/dev/null; then die "a cluster already runs in $HA_DIR (deploy/cluster.sh down first)"; fi
  ensure_user
  rm -rf "$HA_DIR"
  mkdir -p "$HA_DIR"
  write_configs
  [ "$(id -u)" -eq 0 ] && chown -R "$HA_USER": "$HA_DIR"
  chmod 700 "$HA_DIR"/zone* 2>/dev/null || true
  local started=$SECONDS
  for n in 1 2 3; do start_etcd "$n" new; done
  wait_for "etcd quorum" 30 etcd_healthy
  start_patroni 1
  wait_for "zone 1 leader bootstrap" 60 is_leader 1
  start_patroni 2
  start_patroni 3
  wait_for "zone 2 replica" 90 is_replica 2
  wait_for "zone 3 replica" 90 is_replica 3
  wait_for "a synchronous standby" 30 sync_standby_ready
  as_user haproxy -f "$HA_DIR/haproxy.cfg" -D -p "$HA_DIR/haproxy.pid"
  wait_for "HAProxy write port" 30 write_port_works
  # HAProxy may still settle right after the first leader appears: retry, idempotently.
  wait_for "the chorus role and database" 30 create_app_database
  pgbackrest_cmd stanza-create >/dev/null
  pgbackrest_cmd check >/dev/null
  log "cluster up in $((SECONDS - started))s: leader zone $(leader_zone), DATABASE_URL=$(cmd_url)"
}

cmd_url() { echo "postgres://chorus:chorus-loopback@127.0.0.1:$WRITE_PORT/chorus"; }

kill_pidfile() { [ -f "$1" ] && kill -KILL "$(cat "$1")" 2>/dev/null || true; }

postmaster_pid() { [ -f "$HA_DIR/zone$1/data/postmaster.pid" ] && head -n1 "$HA_DIR/zone$1/data/postmaster.pid" || true; }

cmd_kill_zone() {
  local n=${1:?zone number}
  local pm; pm=$(postmaster_pid "$n")
  # The zone is gone at once: PostgreSQL (postmaster and every backend), Patroni, etcd.
  local victims=""
  if [ -n "$pm" ] && kill -0 "$pm" 2>/dev/null; then victims="$pm $(pgrep -P "$pm" | tr '\n' ' ')"; fi
  for f in patroni etcd; do [ -f "$HA_DIR/zone$n/$f.pid" ] && victims="$victims $(cat "$HA_DIR/zone$n/$f.pid")"; done
  # shellcheck disable=SC2086
  kill -KILL $victims 2>/dev/null || true
  log "zone $n killed (pids $victims)"
}

cmd_start_zone() {
  local n=${1:?zone number}
  start_etcd "$n" existing
  start_patroni "$n"
  if ! wait_until 180 is_replica "$n"; then
    dump_zone_logs "$n"
    die "zone $n did not rejoin as a replica within 180s"
  fi
  log "zone $n is back as a replica"
}

cmd_down() {
  [ -d "$HA_DIR" ] || return 0
  kill_pidfile_term() { [ -f "$1" ] && kill -TERM "$(cat "$1")" 2>/dev/null || true; }
  kill_pidfile_term "$HA_DIR/haproxy.pid"
  for n in 1 2 3; do kill_pidfile_term "$HA_DIR/zone$n/patroni.pid"; done
  # Patroni stops its PostgreSQL on SIGTERM; give it a moment, then make sure.
  for _ in $(seq 1 40); do
    local alive=0
    for n in 1 2 3; do pm=$(postmaster_pid "$n"); [ -n "$pm" ] && kill -0 "$pm" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.25
  done
  for n in 1 2 3; do
    pm=$(postmaster_pid "$n")
    if [ -n "$pm" ] && kill -0 "$pm" 2>/dev/null; then kill -KILL "$pm" $(pgrep -P "$pm") 2>/dev/null || true; fi
    kill_pidfile "$HA_DIR/zone$n/patroni.pid"
    kill_pidfile "$HA_DIR/zone$n/etcd.pid"
  done
  kill_pidfile "$HA_DIR/haproxy.pid"
  rm -rf "$HA_DIR"
  log "cluster down, $HA_DIR removed"
}

cmd_status() { as_user patronictl -c "$HA_DIR/zone1/patroni.yml" list; }

cmd_env() {
  cat <<ENV
CHORUS_HA_DIR=$HA_DIR
CHORUS_HA_USER=$HA_USER
WRITE_PORT=$WRITE_PORT
READ_PORT=$READ_PORT
STATS_PORT=$STATS_PORT
PGBACKREST_CONF=$PGBACKREST_CONF
DATABASE_URL=$(cmd_url)
ENV
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  leader) leader_zone ;;
  kill-zone) cmd_kill_zone "${2:-}" ;;
  start-zone) ensure_user; cmd_start_zone "${2:-}" ;;
  url) cmd_url ;;
  env) ensure_user; cmd_env ;;
  *) sed -n '2,20p' "$0"; exit 2 ;;
esac
