#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on localhost, starting them the way this kind of
# machine starts them when they do not. Elsewhere (docker compose, CI services) they
# already answer and nothing is started.
set -uo pipefail

PGHOST_CHECK=${PGHOST_CHECK:-127.0.0.1}
REDIS_HOST_CHECK=${REDIS_HOST_CHECK:-127.0.0.1}

wait_for() {  # wait_for <description> <command...>
  local what=$1; shift
  for _ in $(seq 1 30); do
    if "$@" >/dev/null 2>&1; then echo "$what is up"; return 0; fi
    sleep 1
  done
  echo "$what did not come up" >&2
  return 1
}

if ! pg_isready -h "$PGHOST_CHECK" -p 5432 -q 2>/dev/null; then
  echo "starting PostgreSQL"
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
  fi
  wait_for PostgreSQL pg_isready -h "$PGHOST_CHECK" -p 5432 -q || exit 1
else
  echo "PostgreSQL is up"
fi

if ! redis-cli -h "$REDIS_HOST_CHECK" -p 6379 ping 2>/dev/null | grep -q PONG; then
  echo "starting Redis"
  if command -v redis-server >/dev/null; then
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  fi
  wait_for Redis sh -c "redis-cli -h $REDIS_HOST_CHECK -p 6379 ping | grep -q PONG" || exit 1
else
  echo "Redis is up"
fi
