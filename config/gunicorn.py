"""Gunicorn's settings: the worker model, and hooks for Prometheus multiprocess mode.

``gunicorn config.wsgi -c config/gunicorn.py`` (the Dockerfile, Compose, ``make loadtest``).

The worker model was chosen with ``make loadtest`` on a 2-core machine (README, "Load test
and deployment notes"): threaded workers (``gthread``) overlap a request's waits on
PostgreSQL and Redis with another request's work, where a sync worker idles. Each can be
overridden: ``GUNICORN_WORKERS``, ``GUNICORN_THREADS``, ``GUNICORN_WORKER_CLASS``, or the
command line's ``--workers``/``--threads``/``--worker-class``. Each thread keeps its own
database connection (``CONN_MAX_AGE``): workers × threads must fit PostgreSQL's
``max_connections`` with the Celery workers.

With several workers, each process counts its own requests; a scrape of ``/metrics``
reaches one worker only. Set ``PROMETHEUS_MULTIPROC_DIR`` to a directory the workers
share (a tmpfs such as ``/tmp/prometheus``): every process then writes its samples
there and ``/metrics`` aggregates them (``django_prometheus.exports``).

- ``on_starting`` empties the directory, so samples of a previous run are not summed in;
- ``child_exit`` tells prometheus_client a worker died, so its live gauges (the
  in-flight gauge, ``livesum``) leave the sum.

Without ``PROMETHEUS_MULTIPROC_DIR`` both hooks do nothing (one process, one registry).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

workers = int(os.environ.get("GUNICORN_WORKERS", "2"))  # one per core of the measured machine
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
# 4 threads: as many as overlap a request's database waits with another's work; with 8 the
# workers spent more time handing the interpreter lock around (25 users, 30 s each,
# alternated, 3 December 2026: 2 × 8 130–133 req/s, 12.8–13.3 ms CPU a request, p95 400 ms;
# 2 × 4 146–151, 11.7–12.1 ms, p95 260–340 ms; 2 × 2 147–164; 3 × 4 137–139).
threads = int(os.environ.get("GUNICORN_THREADS", "4"))


def multiproc_dir() -> Path | None:
    value = os.environ.get(MULTIPROC_ENV, "")
    return Path(value) if value else None


def on_starting(server: Any) -> None:
    directory = multiproc_dir()
    if directory is None:
        return
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)


def child_exit(server: Any, worker: Any) -> None:
    if multiproc_dir() is None:
        return
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
