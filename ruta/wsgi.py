import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruta.settings")
application = get_wsgi_application()

from ruta.keys.checks import KeyCheckError, check_keys  # noqa: E402 - needs the app registry

try:
    check_keys()
except KeyCheckError as e:
    # Serving with missing or foreign keys would fail on every case page; stop instead.
    # Exit status 4 makes gunicorn halt ("App failed to load") rather than respawn workers.
    sys.stderr.write(f"Ruta cannot start:\n{e}\n")
    sys.stderr.flush()
    raise SystemExit(4) from None
