"""WSGI entry point (gunicorn ``config.wsgi``)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

# Everything loaded so far (Django, the apps, the URL resolver) lives as long as the
# process: move it out of the collector's reach, so the large timeline reads do not pay
# for rescanning it (about a quarter of their CPU time was the collector otherwise).
gc.freeze()
