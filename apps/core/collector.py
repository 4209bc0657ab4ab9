"""The garbage collector as the service's processes run it: ``tune_collector``.

Called by the WSGI entry point (``config.wsgi``) once the application is loaded, and by
``bench_planning`` before it measures, so the benchmark's figures are those of the process
that serves the requests.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 20_000


def tune_collector() -> None:
    """Freeze what is loaded so far and collect the youngest objects less often.

    Everything loaded so far (Django, the apps, the URL resolver) lives as long as the
    process: frozen, it is out of the collector's reach, so the large timeline reads do not
    pay for rescanning it (about a quarter of their CPU time was the collector otherwise).
    A collection of the youngest generation every 700 allocations (the default) ran
    hundreds of times for one board of a week, each also promoting what the request still
    uses; a request's objects mostly die with it, so the collector waits for more of them.
    """
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, 10, 10)
