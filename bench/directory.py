"""Directory benchmark: RENIPRESS import speed on a generated national-size file.

Writes a 20,000-row Latin-1 file with the national file's 33 columns, then imports it
into a fresh database three times: first load (all created), re-import (all unchanged)
and re-import after every row changed (all updated). Budget (docs/architecture.md, "Budgets"): ≥ 25,000 rows/s.
Wall time depends on the machine's load; CPU time (this process) is printed too.

Run: python -m bench directory [--rows N]   (set DATABASE_URL to measure PostgreSQL).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import tracemalloc
from pathlib import Path

from ruta.lib.keys import create_missing_key_files


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench directory")
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as home:
        # A throw-away instance: a file SQLite database (as in production), or with
        # DATABASE_URL a test_ database next to the configured PostgreSQL one.
        os.environ["RUTA_HOME"] = home
        create_missing_key_files(Path(home))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruta.settings")
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import get_runner

        if os.environ.get("DATABASE_URL"):
            runner = get_runner(settings)(verbosity=0, interactive=False)
            old = runner.setup_databases()
            try:
                _run(args.rows, connection.vendor)
            finally:
                runner.teardown_databases(old)
        else:
            call_command("migrate", verbosity=0)
            _run(args.rows, connection.vendor)
            connection.close()


def _run(rows: int, vendor: str) -> None:
    from ruta.directory.models import Service
    from ruta.directory.renipress import import_renipress
    from ruta.directory.synthetic import renipress_rows, write_renipress
    from ruta.geo.models import District

    districts = sorted(District.objects.values_list("code", flat=True))
    with tempfile.TemporaryDirectory() as tmp:
        first = Path(tmp) / "renipress.csv"
        write_renipress(first, renipress_rows(rows, districts), encoding="latin-1")
        changed = Path(tmp) / "renipress-changed.csv"
        write_renipress(changed, renipress_rows(rows, districts, seed=4), encoding="latin-1", delimiter=";")
        size = first.stat().st_size
        print(f"{vendor}; file: {rows:,} rows, {size / 1e6:.1f} MB, Latin-1")
        for label, path in (("first import", first), ("re-import", first), ("all rows changed", changed)):
            start, cpu = time.perf_counter(), time.process_time()
            with path.open("rb") as stream:
                report = import_renipress(stream, Service, set(districts))
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
            print(
                f"{label:17} {rows / elapsed:9,.0f} rows/s wall, {rows / cpu:9,.0f} rows/s CPU  "
                f"({elapsed:.2f} s; {report.created} created, {report.updated} updated, "
                f"{report.unchanged} unchanged)"
            )
        # Memory, measured apart (tracing slows the import down): a file twice as big
        # must not need twice the memory.
        for n in (rows // 2, rows):
            Service.objects.filter(renipress_code__isnull=False).delete()
            path = Path(tmp) / f"renipress-{n}.csv"
            write_renipress(path, renipress_rows(n, districts), encoding="latin-1")
            tracemalloc.start()
            with path.open("rb") as stream:
                import_renipress(stream, Service, set(districts))
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            print(f"peak Python memory importing {n:,} rows: {peak / 1e6:.1f} MB")
