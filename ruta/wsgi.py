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

# Import every view now, while the worker boots, rather than on the first request it serves:
# the URLconf pulls in the API, the PDF and spreadsheet libraries (about 2 s on a small
# machine), which the first person after a restart would otherwise wait for.
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018 - evaluated for its imports
