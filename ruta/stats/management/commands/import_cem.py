from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ruta.stats.cem_import import ImportRefused, import_file


class Command(BaseCommand):
    help = ("Import a yearly file of the CEM register (CSV, XLSX or SPSS .sav), all or nothing. The same "
            "rows again change nothing; rows for a year that already has other rows replace them only "
            "with --replace.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--replace", action="store_true",
                            help="replace the rows of every year the file holds that already has other rows")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            summary = import_file(path, name=path.name, replace=options["replace"])
        except ImportRefused as exc:
            for error in exc.result.get("errors", []):
                self.stderr.write(f"row {error['row']}, column {error['column']}: {error['message']}")
            raise CommandError(exc.message) from None
        for year in summary["years"]:
            self.stdout.write(_describe(year))
        if summary.get("needs_replace"):
            raise CommandError("Nothing was imported: the file would replace rows already imported "
                               "(see above). Run again with --replace to replace them.")
        self.stdout.write(f"{summary['imported']} rows imported.")


def _describe(year: dict[str, Any]) -> str:
    line = f"{year['year']} (months {year['first_month']}-{year['last_month']}): {year['rows']} rows, "
    outcome = year["outcome"]
    if outcome == "new":
        return line + "new."
    if outcome == "unchanged":
        return line + "the same rows are already imported: nothing to do."
    previous = (f"{year['previous_rows']} rows from {year['previous_source'] or 'an earlier file'} "
                f"imported {year['previous_imported']} (months up to {year['previous_last_month']})")
    if outcome == "replaced":
        return line + f"replaced {previous}."
    return line + f"would replace {previous}."
