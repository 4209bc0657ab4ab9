# Two commands on a fresh machine:
#   make run   installs and serves the API with demo data on the embedded default
#              (SQLite, local-memory cache, eager Celery), at http://localhost:8000
#   make test  installs and runs every test on PostgreSQL and Redis (with coverage)

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The embedded default: no database or Redis URL, whatever the calling shell has.
EMBEDDED := env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL DJANGO_SETTINGS_MODULE=config.settings.local

.PHONY: install run test test-fast lint format lint-js format-js typecheck check-migrations services worker \
        beat bench-board bench-db bench bench-autoassign schema clean messages loadtest loadtest-paired fuzz

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate pyproject.toml requirements.lock
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	$(EMBEDDED) $(PY) manage.py migrate --noinput
	$(EMBEDDED) $(PY) manage.py seed_demo
	$(EMBEDDED) $(PY) manage.py runserver $(HOST):$(PORT)

services:
	./scripts/ensure-services.sh

test: install services
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest --create-db \
		--cov --cov-branch --cov-report=term --cov-report=xml -q

# Schemathesis against a live server (gunicorn, production settings, PostgreSQL, Redis, the
# demo data), every operation as a manager and as a tech: any 5xx or answer the schema does
# not describe fails. It starts and stops its own server (port 8821, database crewplan_fuzz).
fuzz: install services
	./scripts/fuzz-api.sh

test-fast: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest -q -x

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The browser modules (static/web): ESLint and Prettier, pinned in package-lock.json. They are
# only checkers: the pages are served as written, with no build step.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

lint-js: node_modules/.installed
	npx --no-install eslint static/web eslint.config.js
	npx --no-install prettier --check static/web

format-js: node_modules/.installed
	npx --no-install eslint --fix static/web eslint.config.js
	npx --no-install prettier --write static/web

typecheck: install
	$(BIN)/mypy apps config

check-migrations: install
	$(EMBEDDED) $(PY) manage.py makemigrations --check --dry-run

worker: install
	$(PY) -m celery -A config worker --loglevel=INFO --concurrency=2

beat: install
	$(PY) -m celery -A config beat --loglevel=INFO

# Benchmarks run on PostgreSQL, in a database of their own (created and migrated here).
BENCH_DB ?= postgres://postgres@127.0.0.1:5432/crewplan_bench
BENCH_ENV := DATABASE_URL=$(BENCH_DB) DJANGO_SETTINGS_MODULE=config.settings.local DJANGO_DEBUG=false

bench-db: install services
	psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname='crewplan_bench'" | grep -q 1 \
		|| createdb -h 127.0.0.1 -U postgres crewplan_bench
	$(BENCH_ENV) $(PY) manage.py migrate --noinput >/dev/null

# Timeline, month's conflict check and an assignment write on the large demo month.
bench: bench-db
	$(BENCH_ENV) $(PY) manage.py bench_planning --source demo --runs 20

# The API under load: gunicorn with production settings on PostgreSQL (database crewplan_load,
# copied from a seeded template) and Redis (db 8), the large demo, Locust headless at 10, 25
# and 50 users (15 s warm-up + 60 s each), one table; only 127.0.0.1:8841 is ever targeted.
# Options: make loadtest LOADTEST_ARGS="--workers 3 --worker-class gthread --threads 4".
LOADTEST_ARGS ?=
loadtest: install services
	$(PY) loadtest/run.py $(LOADTEST_ARGS)

# This checkout and another (AGAINST: a git worktree) under load at the same time, so both
# see the same neighbours on a shared machine: the ratio of the two is the figure to read.
# Example: git worktree add /tmp/before <rev>; make loadtest-paired AGAINST=/tmp/before
AGAINST ?=
loadtest-paired: install services
	$(PY) loadtest/paired.py --against $(AGAINST) $(LOADTEST_ARGS)

bench-autoassign: install
	$(EMBEDDED) $(PY) manage.py autoassign_bench

schema: install
	$(EMBEDDED) $(PY) manage.py spectacular --file schema.yml --validate

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache .coverage coverage.xml db.sqlite3

# Time to a usable board for the large demo month, in headless Chromium, on PostgreSQL.
# The board on the large demo month in Chromium: cold after a write, warm, a filter change,
# a view switch, one assignment with its redraw, the timeline's size (bench_board's docstring).
BENCH_BOARD_PORT ?= 8811
bench-board: bench-db
	$(BENCH_ENV) $(PY) manage.py seed_demo --size large >/dev/null
	$(BENCH_ENV) $(PY) manage.py runserver 127.0.0.1:$(BENCH_BOARD_PORT) --noreload --insecure >/tmp/bench-board-$(BENCH_BOARD_PORT).log 2>&1 & \
		echo $$! > /tmp/bench-board-$(BENCH_BOARD_PORT).pid; sleep 4; \
		$(BENCH_ENV) $(PY) manage.py bench_board --base-url http://127.0.0.1:$(BENCH_BOARD_PORT) --runs 5; \
		status=$$?; kill $$(cat /tmp/bench-board-$(BENCH_BOARD_PORT).pid); exit $$status

# The French catalog: edit locale/fr/LC_MESSAGES/django.po, then compile (the .mo is committed).
messages:
	msgfmt --check -o locale/fr/LC_MESSAGES/django.mo locale/fr/LC_MESSAGES/django.po
