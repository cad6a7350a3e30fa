from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ruta.stats import figures
from ruta.stats.models import CemLoad


class Command(BaseCommand):
    help = ("Count the precomputed figures of the CEM register (what the statistics pages read) again "
            "from the imported rows, one year at a time, each in one transaction.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, action="append", help="only this year (repeatable)")

    def handle(self, *args: Any, **options: Any) -> None:
        loads = CemLoad.objects.filter(status=CemLoad.Status.CURRENT).order_by("year")
        if options.get("year"):
            loads = loads.filter(year__in=options["year"])
        for load in loads:
            kept = figures.rebuild(load.pk)
            self.stdout.write(f"{load.year}: {load.rows} rows, {kept} figures.")
