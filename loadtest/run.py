"""``make loadtest``: the planning API under a closed loop of users, on this machine only.

1. A database of its own (``--database``, default ``crewplan_load``) is copied from a seeded
   template (``<database>_seed``: migrated, then ``seed_demo --size large``), so every run
   starts from the same data whatever the last run wrote. The template is rebuilt when the
   migrations or the demo seed change (their digest is kept as the template's comment), or
   with ``--reseed``. The Redis database (``--redis``) is emptied.
2. gunicorn serves the code of ``--code`` (this checkout by default; another checkout to
   measure it with the same users) with production settings (``config.settings.production``,
   ``DEBUG`` off, throwaway secrets) on ``127.0.0.1:--port`` only, with the worker model of
   ``config/gunicorn.py`` unless ``--workers``/``--worker-class``/``--threads`` say otherwise.
3. Locust (as a library, headless) runs ``loadtest/locustfile.py`` at each of ``--users``
   for ``--warmup`` seconds (not counted) then ``--duration`` seconds, and the driver prints
   one table: requests per second, p50/p95/p99 and errors per endpoint and overall, per
   stage; then stops gunicorn. The load average is printed before and after: the machine
   is shared, so figures are only comparable within one run.
"""

from __future__ import annotations

# Locust runs on gevent, which must patch the standard library before anything else.
from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import secrets  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from datetime import UTC, datetime, timedelta, tzinfo  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

import gevent  # noqa: E402
import psutil  # noqa: E402
import psycopg  # noqa: E402
import redis  # noqa: E402
import requests  # noqa: E402
from locust.env import Environment  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
HOST = "127.0.0.1"  # the only address traffic is ever sent to
PG = "postgres://postgres@127.0.0.1:5432"
LOGIN = ("manager@demo.test", "demo-password-2026")
ENDPOINTS = (
    "timeline",
    "shifts",
    "artists",
    "conflicts",
    "create shift",
    "assign",
    "assign (409 refused)",
    "change status",
    "setup (create shift)",  # each user's first three shifts, if they fall in the measured time
)


def main() -> int:
    options = parse_args()
    code = Path(options.code).resolve()
    python = str(ROOT / ".venv" / "bin" / "python")
    database_url = f"{PG}/{options.database}"
    server_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "INVITES_SECRET": secrets.token_urlsafe(20),
        "DATABASE_URL": database_url,
        "REDIS_URL": f"redis://127.0.0.1:6379/{options.redis}",
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONPATH": str(code),
    }
    server_env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    prepare_database(options, python, code, server_env)
    redis.Redis(host=HOST, port=6379, db=options.redis).flushdb()

    log = open(options.log, "w", encoding="utf-8")  # noqa: SIM115 - closed in finally
    command = [python, "-m", "gunicorn", "config.wsgi", "-c", "config/gunicorn.py"]
    command += ["--bind", f"{HOST}:{options.port}", "--timeout", "60"]
    for flag, value in (
        ("--workers", options.workers),
        ("--worker-class", options.worker_class),
        ("--threads", options.threads),
    ):
        if value:
            command += [flag, str(value)]
    server = subprocess.Popen(  # noqa: S603 - our own command line
        command, cwd=code, env=server_env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://{HOST}:{options.port}"
    try:
        wait_until_up(base, server)
        fixture = build_fixture(base, options.weeks)
        print(describe(options, code, command, fixture))
        results = []
        for users in options.users:
            fixture["token"] = login(base)  # access tokens live 15 minutes
            meter = CpuMeter(server.pid, options.database)
            results.append(run_stage(base, fixture, users, options.warmup, options.duration, meter))
        print(f"load average after: {load()}")
        print(table(results))
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    return 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default=[10, 25, 50], type=user_counts, help="e.g. 10,25,50")
    parser.add_argument("--duration", type=int, default=60, help="seconds measured per stage")
    parser.add_argument("--warmup", type=int, default=15, help="seconds not counted per stage")
    parser.add_argument("--workers", type=int, default=0, help="default: config/gunicorn.py")
    parser.add_argument("--worker-class", default="", help="sync or gthread")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--port", type=int, default=8841)
    parser.add_argument("--database", default="crewplan_load")
    parser.add_argument("--redis", type=int, default=8, help="Redis database index")
    parser.add_argument("--code", default=str(ROOT), help="the checkout to serve")
    parser.add_argument("--reseed", action="store_true", help="rebuild the seeded template")
    parser.add_argument(
        "--weeks",
        choices=("board", "utc"),
        default="board",
        help="weeks read: the organization's, as the board reads them (default), or UTC weeks",
    )
    parser.add_argument("--log", default=str(Path(tempfile.gettempdir()) / "crewplan-load.log"))
    return parser.parse_args()


def user_counts(text: str) -> list[int]:
    return [int(part) for part in text.split(",")]


# --- Data -----------------------------------------------------------------------------


def seed_digest(code: Path) -> str:
    """What the seeded template depends on: the migrations and the demo seed."""
    digest = hashlib.sha256()
    files = sorted(code.glob("apps/*/migrations/*.py")) + sorted(code.glob("apps/**/demo*.py"))
    for path in files:
        digest.update(str(path.relative_to(code)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def prepare_database(
    options: argparse.Namespace, python: str, code: Path, env: dict[str, str]
) -> None:
    template = f"{options.database}_seed"
    digest = seed_digest(code)
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        row = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [template],
        ).fetchone()
        if options.reseed or row is None or row[0] != digest:
            print(f"Seeding {template} (migrate, seed_demo --size large)...", flush=True)
            admin.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{template}"')
            seed_env = {**env, "DATABASE_URL": f"{PG}/{template}", "DB_STATEMENT_TIMEOUT_MS": "0"}
            for step in (["migrate", "--noinput"], ["seed_demo", "--size", "large"]):
                subprocess.run(  # noqa: S603 - our own command line
                    [python, "manage.py", *step],
                    cwd=code,
                    env=seed_env,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
            admin.execute(f"COMMENT ON DATABASE \"{template}\" IS '{digest}'")
        admin.execute(f'DROP DATABASE IF EXISTS "{options.database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{options.database}" TEMPLATE "{template}"')


def wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}: see the log")
        try:
            if requests.get(f"{base}/livez", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /livez within 90 s")


def login(base: str) -> str:
    email, password = LOGIN
    response = requests.post(
        f"{base}/api/v1/auth/login", json={"email": email, "password": password}, timeout=30
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


def shifts_of(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The timeline's shifts as objects: lists of the items ``shift_fields`` names since
    payload 4, objects before (``--code`` may serve an older checkout)."""
    fields = payload.get("shift_fields")
    if fields is None:
        return list(payload["shifts"])
    return [dict(zip(fields, values, strict=True)) for values in payload["shifts"]]


def build_fixture(base: str, week_zone: str) -> dict[str, Any]:
    """The demo's planned weeks, shifts to copy, free seats, and who may fill a role.

    Read from the month's timeline: an artist already on a shift of a role has its skills
    (the pool of that role); ``busy`` lists who works each day, so an assignment mostly
    lands on someone free that day (a refusal is still possible, and counted apart).
    The weeks read are the organization's (``week_zone`` ``board``: Monday to Monday in its
    time zone, the ranges the board fetches, ``static/web/board/state.js``), or UTC weeks
    (``utc``: how runs before 2026-12-04 read them, each overlapping two local weeks).
    """
    token = login(base)
    headers = {"Authorization": f"Bearer {token}"}

    def first_start(ordering: str) -> datetime:
        answer = requests.get(
            f"{base}/api/v1/planning/shifts",
            params={"ordering": ordering},
            headers=headers,
            timeout=60,
        )
        answer.raise_for_status()
        return datetime.fromisoformat(answer.json()["results"][0]["start_at"])

    first = first_start("start_at")
    last = min(first_start("-start_at"), first + timedelta(days=28))
    weeks = mondays_to_mondays(first, last, UTC)
    board = requests.get(
        f"{base}/api/v1/planning/timeline",
        params={"from": weeks[0][0], "to": weeks[-1][1]},
        headers=headers,
        timeout=120,
    )
    board.raise_for_status()
    data = board.json()
    if week_zone == "board":  # the organization's weeks, as the board asks for them
        weeks = mondays_to_mondays(first, last, ZoneInfo(data["timezone"]))
    roles = [role["id"] for role in data["roles"]]
    missions = [mission["id"] for mission in data["missions"]]
    artists = [artist["id"] for artist in data["artists"]]
    pools: dict[str, set[str]] = defaultdict(set)
    busy: dict[str, set[str]] = defaultdict(set)
    shifts, seats = [], []
    for shift in shifts_of(data):
        role_id = roles[shift["role"]]
        day = shift["start_at"][:10]
        crew = [artists[seat[1]] for seat in shift["crew"]]
        pools[role_id].update(crew)
        busy[day].update(crew)
        model = {
            "mission_id": missions[shift["mission"]],
            "role_id": role_id,
            "start_at": shift["start_at"],
            "end_at": shift["end_at"],
            "day": day,
        }
        shifts.append(model)
        if shift["status"] != "cancelled" and len(crew) < shift["max_headcount"]:
            seats.append({**model, "id": shift["id"]})
    return {
        "weeks": weeks,
        "shifts": shifts,
        "seats": seats,
        "artists": artists,
        "pools": {role: sorted(pool) for role, pool in pools.items()},
        "busy": {day: sorted(who) for day, who in busy.items()},
    }


def mondays_to_mondays(first: datetime, last: datetime, zone: tzinfo) -> list[tuple[str, str]]:
    """The weeks (Monday 00:00 to Monday 00:00 in ``zone``) from ``first``'s to ``last``'s."""
    day = first.astimezone(zone).date()
    monday = day - timedelta(days=day.weekday())
    weeks = []
    midnight = datetime.min.time()
    while (start := datetime.combine(monday, midnight, tzinfo=zone)) <= last:
        end = datetime.combine(monday + timedelta(days=7), midnight, tzinfo=zone)
        weeks.append((iso(start), iso(end)))
        monday += timedelta(days=7)
    return weeks


def iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- The run --------------------------------------------------------------------------


class CpuMeter:
    """CPU seconds spent by the server (gunicorn and its workers) and by the PostgreSQL
    backends of the load database, and the machine's stolen time: the cost of a request in
    CPU is steadier on a shared machine than requests per second, which the neighbours'
    load moves by tens of percent."""

    def __init__(self, server_pid: int, database: str) -> None:
        self.server_pid = server_pid
        self.database = database

    def read(self) -> dict[str, dict[int, float]]:
        """CPU seconds so far of each process, by group."""
        server = psutil.Process(self.server_pid)
        gunicorn = [server, *server.children(recursive=True)]
        with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
            rows = connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.database]
            ).fetchall()
        return {
            "gunicorn": _cpu_seconds(gunicorn),
            "postgres": _cpu_seconds(_processes([row[0] for row in rows])),
            "steal": {0: getattr(psutil.cpu_times(), "steal", 0.0)},
        }

    @staticmethod
    def spent(
        before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]
    ) -> dict[str, float]:
        """Seconds spent between two readings: by the processes alive at the second (a
        backend that connected meanwhile counts whole)."""
        return {
            group: sum(seconds - before[group].get(pid, 0.0) for pid, seconds in times.items())
            for group, times in after.items()
        }


def _processes(pids: list[int]) -> list[psutil.Process]:
    found = []
    for pid in pids:
        try:
            found.append(psutil.Process(pid))
        except psutil.NoSuchProcess:
            continue
    return found


def _cpu_seconds(processes: list[psutil.Process]) -> dict[int, float]:
    spent = {}
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        spent[process.pid] = times.user + times.system
    return spent


def run_stage(
    base: str,
    fixture: dict[str, Any],
    users: int,
    warmup: int,
    duration: int,
    meter: CpuMeter,
) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(fixture, handle)
    os.environ["LOADTEST_FIXTURE"] = handle.name
    sys.path.insert(0, str(HERE))
    import locustfile

    locustfile.FIXTURE.clear()
    environment = Environment(user_classes=[locustfile.Planner], host=base)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=max(users, 1) / 2)
    gevent.sleep(warmup)
    environment.stats.reset_all()
    cpu_before = meter.read()
    started = time.monotonic()
    gevent.sleep(duration)
    elapsed = time.monotonic() - started
    cpu_after = meter.read()
    rows = snapshot(environment, elapsed)
    served = environment.stats.total.num_requests or 1
    cpu = CpuMeter.spent(cpu_before, cpu_after)
    errors = {
        f"{error.method} {error.name}: {error.error}"[:160]: error.occurrences
        for error in environment.stats.errors.values()
    }
    runner.quit()
    os.unlink(handle.name)
    return {
        "users": users,
        "seconds": elapsed,
        "rows": rows,
        "errors": errors,
        "load": load(),
        "cpu_ms": {name: seconds * 1000 / served for name, seconds in cpu.items()},
        "steal": cpu["steal"] / elapsed,
    }


def snapshot(environment: Environment, elapsed: float) -> list[dict[str, Any]]:
    entries = {entry.name: entry for entry in environment.stats.entries.values()}
    rows = []
    for name in [*ENDPOINTS, "overall"]:
        entry = environment.stats.total if name == "overall" else entries.get(name)
        if entry is None or not entry.num_requests:
            continue
        rows.append(
            {
                "name": name,
                "requests": entry.num_requests,
                "rps": entry.num_requests / elapsed,
                "p50": entry.get_response_time_percentile(0.50),
                "p95": entry.get_response_time_percentile(0.95),
                "p99": entry.get_response_time_percentile(0.99),
                "errors": entry.num_failures,
            }
        )
    return rows


def load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def describe(
    options: argparse.Namespace, code: Path, command: list[str], fixture: dict[str, Any]
) -> str:
    revision = subprocess.run(  # noqa: S603 - our own command line
        ["git", "-C", str(code), "rev-parse", "--short", "HEAD"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return (
        f"code: {code} ({revision or 'unknown'}); server: {' '.join(command[2:])}\n"
        f"data: large demo, {len(fixture['shifts'])} shifts over {len(fixture['weeks'])} weeks "
        f"({options.weeks} weeks, from {fixture['weeks'][0][0]}), "
        f"{len(fixture['seats'])} open seats; {os.cpu_count()} CPUs; "
        f"load average before: {load()}\n"
        f"stages: {', '.join(map(str, options.users))} users, "
        f"{options.warmup} s warm-up + {options.duration} s measured each"
    )


def table(results: list[dict[str, Any]]) -> str:
    lines = [
        f"{'users':>5}  {'endpoint':<22}{'requests':>9}{'req/s':>8}"
        f"{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'errors':>7}"
    ]
    for result in results:
        for row in result["rows"]:
            lines.append(
                f"{result['users']:>5}  {row['name']:<22}{row['requests']:>9}{row['rps']:>8.1f}"
                f"{row['p50']:>8.0f}{row['p95']:>8.0f}{row['p99']:>8.0f}{row['errors']:>7}"
            )
        for error, count in result["errors"].items():
            lines.append(f"{'':>5}  error ×{count}: {error}")
        lines.append(f"{'':>5}  (load average at the end of the stage: {result['load']})")
        cpu = result["cpu_ms"]
        lines.append(
            f"{'':>5}  CPU per request: {cpu['gunicorn'] + cpu['postgres']:.1f} ms "
            f"(gunicorn {cpu['gunicorn']:.1f}, PostgreSQL {cpu['postgres']:.1f}); "
            f"stolen by the neighbours: {result['steal']:.2f} CPUs"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
