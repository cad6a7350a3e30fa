"""Reference data this app's migrations load: the shipped directory (``seed.py``).
``load()`` puts it back after a test flushes the database (see conftest.py)."""

from __future__ import annotations


def load() -> None:
    from ruta.directory.models import Service
    from ruta.directory.seed import seed_directory
    from ruta.geo.models import District

    if not Service.objects.exists():
        seed_directory(Service, District)
