from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ruta.lib.terminal import ProgressLine
from ruta.program.imports.importer import COLUMNS, Kind, import_file
from ruta.program.imports.jobs import estimated_rows
from ruta.program.models import Programme


class Command(BaseCommand):
    help = (
        "Import participants (or, with --kind attendance, attendance alone) from Ruta's template or a "
        "KoboToolbox export, CSV or XLSX, into a programme: the same rules as the import screen. The whole "
        "file is saved or nothing is: with any error, every error is listed by row and column and nothing "
        "is saved; importing the same file again adds nothing. On SQLite no write holds the database "
        "longer than a short batch, so the site stays usable meanwhile."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("programme_id", type=int, help="the programme's number in Ruta")
        parser.add_argument("file", help="path to the CSV or XLSX file")
        parser.add_argument("--kind", choices=sorted(COLUMNS), default=Kind.PARTICIPANTS,
                            help="what the file holds (default: participants, with attendance if it has "
                                 "an activity_id column)")

    def handle(self, *args: Any, **options: Any) -> None:
        programme = Programme.objects.filter(pk=options["programme_id"]).first()
        if programme is None:
            raise CommandError(f"There is no programme {options['programme_id']}.")
        path = Path(options["file"])
        try:
            size = path.stat().st_size
            total = estimated_rows(path)
            bar = ProgressLine(self.stderr._out, "rows")  # type: ignore[attr-defined,arg-type]
            with path.open("rb") as stream:
                result = import_file(programme, options["kind"], stream, user=None, filename=path.name, size=size,
                                     progress=lambda rows: bar(rows, max(total, rows) if total else None))
            bar.end()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        if not result.ok:
            for e in result.errors:
                self.stderr.write(f"row {e.row or '-'}, column {e.column or '-'}: {e.message}")
            if result.error_count > len(result.errors):
                self.stderr.write(f"(the first {len(result.errors)} of {result.error_count} errors)")
            raise CommandError(f"{result.error_count} error(s); nothing was saved.")
        self.stdout.write(
            f"{result.rows} rows: {result.participants_created} new participants, {result.participants_existing} "
            f"already there; {result.attendance_created} new attendance records, {result.attendance_existing} "
            f"already there; {result.repeated_rows} repeated rows.")
