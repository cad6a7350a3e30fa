"""Demo data for the directory: the real directory (a data migration already loads it;
this makes ``load_demo`` restore it after a flush)."""

from __future__ import annotations

from typing import TextIO

from ruta.directory.models import Service
from ruta.directory.seed import seed_directory
from ruta.geo.models import District


def load(stdout: TextIO) -> None:
    result = seed_directory(Service, District)
    active = Service.objects.filter(active=True).count()
    stdout.write(f"directory: {active} active services ({result['created']} shipped services added)\n")
