from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ruta.directory.models import Service
from ruta.directory.seed import seed_directory
from ruta.geo.models import District


class Command(BaseCommand):
    help = (
        "Load the directory Ruta ships with: the bundled RENIPRESS extract for Madre de Dios, the services "
        "named by public sources, MINSA's facility table, the Warmi Ñan services and the police stations. "
        "Idempotent; never overwrites what an administrator curated. A data migration already runs it on "
        "every install."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = seed_directory(Service, District)
        r = result["renipress"]
        self.stdout.write(
            f"RENIPRESS extract: {r.created} created, {r.updated} updated, {r.unchanged} unchanged, "
            f"{r.skipped} skipped. Other services: {result['created']} created, {result['present']} already there. "
            f"MINSA table: {result['minsa']['created']} created, {result['minsa']['filled']} completed. "
            f"Warmi Ñan: {result['warmi_nan']['created']} created. Police: {result['police']['created']} created."
        )
