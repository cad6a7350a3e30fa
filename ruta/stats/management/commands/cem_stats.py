from __future__ import annotations

import json
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ruta.stats.counts import cem_counts


class Command(BaseCommand):
    help = ("Print exact (unsuppressed) counts of the imported CEM register, for operators only: "
            "never publish them as they are.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON (the only format)")
        parser.add_argument("--department", help="UBIGEO department of residence, two digits (17 = Madre de Dios)")
        parser.add_argument("--year", type=int, help="year of intake")

    def handle(self, *args: Any, **options: Any) -> None:
        department = options.get("department")
        if department is not None and not re.fullmatch(r"\d{2}", department):
            raise CommandError("--department takes a two-digit UBIGEO department code, such as 17.")
        counts = cem_counts(department, options.get("year"))
        self.stdout.write(json.dumps(counts, ensure_ascii=False, indent=2 if not options["json"] else None))
