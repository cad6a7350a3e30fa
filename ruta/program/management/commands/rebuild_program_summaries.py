"""Recompute the monthly summaries (``ruta.program.summaries``) from the raw tables: after a
restore, or to check them (``--check`` compares without changing anything)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

from ruta.program import summaries

ROWS = ('SELECT programme_id, kind, month, lo, prev, sex, "group", district_id, band, people, passes, pairs, '
        "gain_cents FROM program_reachsummary ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9")


class Command(BaseCommand):
    help = "Recompute the programme dashboards' monthly summaries from participants and attendance."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--programme", type=int, default=None, help="one programme's id (default: all)")
        parser.add_argument("--check", action="store_true", help="only say whether they differ")

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            summaries.settle()
            before = self._rows()
            n = summaries.rebuild(options["programme"])
            differ = self._rows() != before
            if options["check"]:
                transaction.set_rollback(True)
        self.stdout.write(f"{n} participants summarised; the summaries {'differed' if differ else 'were exact'}.")

    def _rows(self) -> list[tuple[Any, ...]]:
        with connection.cursor() as cur:
            cur.execute(ROWS)
            return cur.fetchall()
