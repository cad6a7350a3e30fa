"""Import speed and peak memory: 200,000 participants from CSV and from XLSX (each with a name
to encrypt and an attendance row), into a fresh SQLite instance.

    python -m bench imports [--rows 200000] [--small 50000]

Each import runs in its own process; its peak resident memory is the kernel's high-water mark
(``VmHWM``, reset just before the import), its baseline the resident memory just before.
Memory is *flat in the file's size* when the peak above the process's baseline is about the
same for ``--small`` rows as for ``--rows``. The budget (docs/architecture.md, "Budgets") is 25,000 rows/s.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import xlsxwriter

from bench.common import ROOT, fresh_postgres, init_keys, instance_env

HEADER = ["participant_code", "sex", "birth_date", "group", "district", "organisation", "guardian_consent", "name",
          "registered_on", "activity_id"]
DISTRICTS = ["170101", "170102", "170103", "170104", "170201", "170202", "170203", "170204", "170301", "170302",
             "170303"]
FIRST = ["Ana", "Rosa", "Lucía", "María", "Yesenia", "Milagros", "Luis", "Jhon", "Carlos", "Kevin", "Nayeli", "Flor"]
LAST = ["Quispe", "Mamani", "Huamán", "Condori", "Ccori", "Vargas", "Flores", "Chávez", "Apaza", "Ramos", "Ttito"]
SCHOOLS = ["I.E. Billinghurst", "I.E. Santa Rosa", "I.E. Dos de Mayo", "I.E. Faustino Maldonado", "CEBA Tambopata"]


def rows(n: int, activities: int) -> list[list[object]]:
    rng = random.Random(20261127)  # noqa: S311 - synthetic data
    out: list[list[object]] = []
    for i in range(1, n + 1):
        birth = dt.date(2001, 1, 1) + dt.timedelta(days=rng.randrange(0, 13 * 365))
        out.append([f"MDD-{i:07d}", rng.choice(["female", "female", "male"]), birth.isoformat(), "youth",
                    rng.choice(DISTRICTS), rng.choice(SCHOOLS), "yes",
                    f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.choice(LAST)}", "2025-03-01",
                    1 + i % activities])
    return out


def write_csv(path: Path, data: list[list[object]], *, attendance: bool = True) -> None:
    width = len(HEADER) if attendance else len(HEADER) - 1
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER[:width])
        writer.writerows(row[:width] for row in data)


def write_xlsx(path: Path, data: list[list[object]], *, attendance: bool = True) -> None:
    """Like Excel writes it: shared strings and date cells."""
    width = len(HEADER) if attendance else len(HEADER) - 1
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("datos")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, HEADER[:width])
    for r, row in enumerate(data, start=1):
        for c, value in enumerate(row[:width]):
            if c in (2, 8):
                sheet.write_datetime(r, c, dt.datetime.fromisoformat(str(value)), date_format)
            elif isinstance(value, int):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(value))
    book.close()


SETUP = """
import django, json, sys, time, datetime as dt
django.setup()
from ruta.program.models import Activity, Programme
try:
    from ruta.program.imports.importer import import_file
except ModuleNotFoundError:  # a baseline from before the imports package (47cfea4)
    from ruta.program.imports import import_file
prog, created = Programme.objects.get_or_create(name="Bench", defaults=dict(donor="EMpower",
    starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31)))
if created:
    Activity.objects.bulk_create([Activity(programme=prog, type="workshop", duration_minutes=90,
        date=dt.date(2025, 3, 1) + dt.timedelta(days=i % 250), district_id="170101", place="I.E.",
        target_group="youth") for i in range({activities})])
path = sys.argv[1]
def status(key):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(key))
# A child inherits its parent's high-water mark across fork: reset it (Linux), then measure.
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")
base = status("VmRSS:")
start = time.perf_counter()
with open(path, "rb") as f:
    result = import_file(prog, "participants", f, user=None, filename=path)
seconds = time.perf_counter() - start
peak = status("VmHWM:")
print(json.dumps(dict(ok=result.ok, errors=[e.message for e in result.errors[:3]], rows=result.rows,
    created=result.participants_created, attendance=result.attendance_created, seconds=seconds,
    base_mb=base / 1024, peak_mb=peak / 1024)))
"""


def run_import(env: dict[str, str], path: Path, activities: int) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", SETUP.replace("{activities}", str(activities)), str(path)], cwd=ROOT,
                         env={**env, "DJANGO_SETTINGS_MODULE": "ruta.settings"}, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"import of {path.name} failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


PG_NAME = "ruta_bench_imports"


def fresh(home: Path, *, postgres: bool = False) -> dict[str, str]:
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    # SQLite in the temporary folder, or a PostgreSQL database of its own.
    env = instance_env(home, **({"DATABASE_URL": fresh_postgres(PG_NAME)} if postgres else {}))
    init_keys(env)
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    return env


def report(label: str, r: dict[str, object]) -> None:
    rows_ = int(r["rows"])  # type: ignore[call-overload]
    seconds = float(r["seconds"])  # type: ignore[arg-type]
    status = "ok" if r["ok"] else f"FAILED {r['errors']}"
    print(f"{label:<34} {rows_:>8,} rows {seconds:7.2f} s {rows_ / seconds:>9,.0f} rows/s  "
          f"peak RSS {float(r['peak_mb']):6.1f} MB (+{float(r['peak_mb']) - float(r['base_mb']):5.1f} MB over "  # type: ignore[arg-type]
          f"baseline)  created {r['created']} participants, {r['attendance']} attendance  [{status}]")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench imports")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--small", type=int, default=50_000)
    parser.add_argument("--activities", type=int, default=2_000)
    parser.add_argument("--postgres", action="store_true", help=f"use PostgreSQL (a database {PG_NAME})")
    args = parser.parse_args(argv)
    pg = args.postgres
    tmp = Path(tempfile.mkdtemp(prefix="ruta-bench-imports-"))
    try:
        data = rows(args.rows, args.activities)
        files: dict[tuple[str, int, bool], Path] = {}
        for n in (args.small, args.rows):
            for fmt, write in (("csv", write_csv), ("xlsx", write_xlsx)):
                for attendance in (False, True):
                    if attendance and n != args.rows:
                        continue
                    path = tmp / f"p{n}{'-attendance' if attendance else ''}.{fmt}"
                    write(path, data[:n], attendance=attendance)
                    files[(fmt, n, attendance)] = path
        print(f"{'PostgreSQL' if pg else 'SQLite'}; {os.cpu_count()} cores (shared); files: " + ", ".join(
            f"{p.name} {p.stat().st_size / 1e6:.1f} MB" for p in files.values()))
        print("participants only (one row = one new participant and its history row):")
        for fmt in ("csv", "xlsx"):
            for n in (args.small, args.rows):
                env = fresh(tmp / "home", postgres=pg)
                report(f"  {fmt.upper()} {n:,} rows", run_import(env, files[(fmt, n, False)], args.activities))
            report(f"  {fmt.upper()} same file again (adds nothing)",
                   run_import(env, files[(fmt, args.rows, False)], args.activities))
        print("participants with attendance (as a KoboToolbox export: each row also records an attendance):")
        for fmt in ("csv", "xlsx"):
            env = fresh(tmp / "home", postgres=pg)
            result = run_import(env, files[(fmt, args.rows, True)], args.activities)
            report(f"  {fmt.upper()} {args.rows:,} rows", result)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
