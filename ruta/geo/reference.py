"""Reference data this app's migrations load. ``load()`` puts it back after a test flush
(see conftest.py); apps with reference data of their own add a ``reference.py`` too."""

from __future__ import annotations


def load() -> None:
    from ruta.geo.loader import load_ubigeo
    from ruta.geo.models import Department, District, Province

    if not District.objects.exists():
        load_ubigeo(Department, Province, District)
