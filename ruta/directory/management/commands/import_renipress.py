from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ruta.directory.models import Service
from ruta.directory.renipress import DEFAULT_SOURCE, RenipressError, import_renipress
from ruta.geo.models import District
from ruta.lib.codes import Confidence
from ruta.lib.terminal import ProgressLine, data_lines


class Command(BaseCommand):
    help = (
        "Import health facilities from a SUSALUD RENIPRESS CSV (the national file or an extract). "
        "Idempotent upsert by COD_IPRESS; only active facilities; rows whose UBIGEO is not a known "
        "district are skipped and counted. UTF-8, UTF-8 with BOM or Latin-1; ';' or ',' delimited. "
        "Fields administrators curate (offers, languages, notes, confidence) are never overwritten."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="path to the RENIPRESS CSV file")
        parser.add_argument(
            "--department", help="import only this department's facilities (2-digit UBIGEO prefix, e.g. 17)"
        )
        parser.add_argument("--source", default=DEFAULT_SOURCE, help="source recorded on new services")
        parser.add_argument(
            "--confidence",
            default=Confidence.SECONDARY,
            choices=Confidence.values,
            help="confidence of new services: 'verified' only for a file downloaded from SUSALUD itself",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        department = options.get("department")
        if department and not (department.isdigit() and len(department) == 2):
            raise CommandError("--department must be a 2-digit UBIGEO prefix, e.g. 17.")
        districts = set(District.objects.values_list("code", flat=True))
        try:
            total = data_lines(Path(options["file"]))
            bar = ProgressLine(self.stderr._out, "rows")  # type: ignore[attr-defined,arg-type]
            with open(options["file"], "rb") as stream:
                report = import_renipress(
                    stream,
                    Service,
                    districts,
                    source=options["source"],
                    confidence=options["confidence"],
                    department=department,
                    progress=lambda rows: bar(rows, max(rows, total)),
                )
            bar.end()
        except OSError as exc:
            raise CommandError(f"Cannot read {options['file']}: {exc.strerror}") from exc
        except RenipressError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{report.rows} rows: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {report.deactivated} deactivated, {report.skipped} skipped "
            f"({report.skipped_inactive} inactive, {report.skipped_unknown_ubigeo} unknown UBIGEO, "
            f"{report.skipped_invalid} without code or name)."
        )
        if report.unknown_ubigeos:
            worst = sorted(report.unknown_ubigeos.items(), key=lambda kv: -kv[1])[:10]
            self.stdout.write("Unknown UBIGEO: " + ", ".join(f"{code or '(empty)'} ×{n}" for code, n in worst))
