#!/usr/bin/env bash
# API fuzzing: Schemathesis against a live, production-like server, for every operation of
# the OpenAPI schema, as a manager and then as a tech. Fails on any 5xx and on any answer
# the schema does not describe (status, content type, headers, body).
#
# The server is gunicorn on production settings (DEBUG off) over PostgreSQL and Redis, in
# a database of its own seeded with the demo (manage.py seed_demo); the script starts and
# stops it. The run is reproducible: derandomized generation, a bounded number of
# examples per operation. Overrides: FUZZ_DB, FUZZ_REDIS_DB, FUZZ_PORT, FUZZ_MAX_EXAMPLES,
# FUZZ_SEED, FUZZ_ROLES ("manager tech"), FUZZ_WORKDIR (kept: the logs and reports).
set -euo pipefail
cd "$(dirname "$0")/.."

db=${FUZZ_DB:-crewplan_fuzz}
redis_db=${FUZZ_REDIS_DB:-2}
port=${FUZZ_PORT:-8821}
max_examples=${FUZZ_MAX_EXAMPLES:-5}
# Derandomized by default (Hypothesis' derandomize: every run draws the same cases); a
# FUZZ_SEED explores other cases, still reproducibly.
if [ -n "${FUZZ_SEED:-}" ]; then generation=(--seed "$FUZZ_SEED"); else generation=(--generation-deterministic); fi
roles=${FUZZ_ROLES:-manager tech}
base="http://127.0.0.1:$port"
workdir=${FUZZ_WORKDIR:-$(mktemp -d)}
mkdir -p "$workdir"
started=$SECONDS

export DJANGO_SETTINGS_MODULE=config.settings.production
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db"
export REDIS_URL="redis://127.0.0.1:6379/$redis_db"
export CELERY_BROKER_URL="$REDIS_URL"
export SECRET_KEY="fuzz-$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')"
export INVITES_SECRET="fuzz-invites-secret"
export ALLOWED_HOSTS="127.0.0.1,localhost"
export SECURE_SSL_REDIRECT=false
export EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
# Each operation gets its bounded examples; the login throttle would otherwise answer 429
# to most of them after the first twenty (429 itself is documented and allowed).
export THROTTLE_AUTH=${FUZZ_THROTTLE_AUTH:-100000/min}
export THROTTLE_INVITATION=${FUZZ_THROTTLE_INVITATION:-100000/min}

server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  [ -n "${FUZZ_WORKDIR:-}" ] || rm -rf "$workdir"
}
trap cleanup EXIT

echo "fuzz: fresh database $db, Redis db $redis_db"
psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" postgres 2>&1 | grep -v NOTICE || true
psql -h 127.0.0.1 -U postgres -q -c "CREATE DATABASE $db" postgres
redis-cli -h 127.0.0.1 -n "$redis_db" flushdb >/dev/null
.venv/bin/python manage.py migrate --noinput >/dev/null
.venv/bin/python manage.py seed_demo >/dev/null
# Fresh statistics after the bulk load, as production has them: without, some plans (the
# conflict windows) depend on never-analysed tables and one request may take 20 s.
psql -h 127.0.0.1 -U postgres -q -c "ANALYZE" "$db"

.venv/bin/gunicorn config.wsgi -c config/gunicorn.py --bind "127.0.0.1:$port" --workers 2 \
  --timeout 30 >"$workdir/server.log" 2>&1 &
server=$!
for _ in $(seq 1 60); do
  curl -fsS "$base/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "$base/healthz" >/dev/null || { cat "$workdir/server.log"; exit 1; }
curl -fsS "$base/api/schema?format=json" -o "$workdir/schema.json"

# Access tokens the way a client gets them: POST /auth/login with a demo user. Taken
# before any run, since the fuzzing of /auth/login and /auth/logout must not matter.
token_for() {
  curl -fsS -X POST "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\": \"$1@demo.test\", \"password\": \"demo-password-2026\"}" |
    .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
declare -A tokens
for role in $roles; do tokens[$role]=$(token_for "$role"); done

status=0
for role in $roles; do
  # The manager reaches every validation path: all three phases. Most of a tech's writes
  # stop at 403 before any validation, so the coverage phase's boundary values would
  # repeat the manager's run: the tech gets the schema's examples and the fuzzing.
  phases=examples,coverage,fuzzing
  [ "$role" = manager ] || phases=examples,fuzzing
  echo "fuzz: Schemathesis as $role ($phases; at most $max_examples examples per operation)"
  role_started=$SECONDS
  set +e
  .venv/bin/schemathesis --config-file scripts/schemathesis.toml run "$workdir/schema.json" --url "$base" \
    -H "Authorization: Bearer ${tokens[$role]}" \
    --checks all --phases "$phases" \
    --max-examples "$max_examples" "${generation[@]}" \
    --workers 2 --request-timeout 30 --max-response-time 30 \
    --no-color --output-truncate true \
    --report junit,ndjson --report-dir "$workdir/report-$role" >"$workdir/run-$role.log" 2>&1
  code=$?
  set -e
  cat "$workdir/run-$role.log"
  .venv/bin/python scripts/fuzz_counts.py "$role" "$workdir/run-$role.log" \
    "$((SECONDS - role_started))" | tee -a "$workdir/counts.txt"
  [ "$code" -eq 0 ] || status=1
done

if grep -q "Traceback" "$workdir/server.log"; then
  echo "fuzz: the server logged tracebacks:"
  grep -B2 -A25 "Traceback" "$workdir/server.log" | head -200
  status=1
fi
cat "$workdir/counts.txt"
echo "fuzz: done in $((SECONDS - started))s, exit $status"
exit $status
