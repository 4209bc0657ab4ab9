"""WSGI entry point (gunicorn ``config.wsgi``)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

GC_YOUNG_THRESHOLD = 20_000

# Everything loaded so far (Django, the apps, the URL resolver) lives as long as the
# process: move it out of the collector's reach, so the large timeline reads do not pay
# for rescanning it (about a quarter of their CPU time was the collector otherwise).
gc.freeze()
# A collection of the youngest generation every 700 allocations (the default) ran hundreds
# of times for one board of a week, each also promoting what the request still uses; a
# request's objects mostly die with it, so the collector waits for more of them.
gc.set_threshold(GC_YOUNG_THRESHOLD, 10, 10)
