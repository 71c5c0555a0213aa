"""WSGI entry point, used by `backfile serve` (gunicorn) and any other WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backfile.settings")
application = get_wsgi_application()
