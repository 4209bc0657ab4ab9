#!/usr/bin/env bash
# The quick start on the embedded default (SQLite, local cache, eager Celery): migrate,
# seed the demo, serve, and log in through the API as a demo user.
set -euo pipefail
cd "$(dirname "$0")/.."
workdir=$(mktemp -d)
port=${SMOKE_PORT:-8765}
export DJANGO_SETTINGS_MODULE=config.settings.local
unset DATABASE_URL REDIS_URL CELERY_BROKER_URL || true
export DATABASE_URL="sqlite:///$workdir/smoke.sqlite3"

.venv/bin/python manage.py migrate --noinput >/dev/null
.venv/bin/python manage.py seed_demo | tee "$workdir/seed.txt"
.venv/bin/python manage.py seed_demo >/dev/null  # idempotent
.venv/bin/python manage.py runserver "127.0.0.1:$port" --noreload >"$workdir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$workdir"' EXIT

for _ in $(seq 1 40); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/healthz"; echo
body=$(curl -fsS -X POST "http://127.0.0.1:$port/api/v1/auth/login" \
  -H 'Content-Type: application/json' \
  -d '{"email": "manager@demo.test", "password": "demo-password-2026"}')
echo "$body" | .venv/bin/python -c 'import json,sys; b=json.load(sys.stdin); assert b["role"]=="manager" and b["access_token"], b; print("login ok as", b["role"])'
token=$(echo "$body" | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
curl -fsS "http://127.0.0.1:$port/api/v1/orgs/current" -H "Authorization: Bearer $token"; echo
echo "smoke ok"
