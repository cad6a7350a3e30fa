from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ruta.geo.loader import load_ubigeo
from ruta.geo.models import Department, District, Province


class Command(BaseCommand):
    help = "Load or refresh Peru's departments, provinces and districts from the INEI UBIGEO table (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        n = load_ubigeo(Department, Province, District)
        self.stdout.write(f"{n} districts loaded")
