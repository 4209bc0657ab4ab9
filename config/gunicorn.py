"""Gunicorn hooks for Prometheus multiprocess mode (``gunicorn -c config/gunicorn.py``).

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
