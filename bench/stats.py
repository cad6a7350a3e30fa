"""The CEM register: import speed and peak memory, and the operators' counts beside their bare SQL.

    python -m bench stats [--rows 1000000] [--small 100000] [--xlsx-rows 50000]

Files are in the official schema (all 168 variables); their rows cycle through 5,000 distinct
synthetic rows (``ruta.stats.tests.register_file``). Each import runs in its own process on a
fresh SQLite instance; peak memory is the kernel's high-water mark (``VmHWM``) above the
resident memory just before the import: *flat in the file's size* when it is about the same
for ``--small`` and ``--rows``. The budget (docs/architecture.md) is 25,000 rows/s.

After each import, the statistics pages' work (the year's protected set and its tables,
uncached) is timed 20 times (p50, p95) beside the bare SQL of the same aggregates; results are
written to ``bench/results/stats-<time>.json``.

Not measured yet: PostgreSQL, the import running as a task while pages are read.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import ROOT, instance_env

SETUP = """
import django, json, sys, time
django.setup()
from pathlib import Path
from django.db import connection
from ruta.stats.cem_import import import_file
from ruta.stats.counts import cem_counts
path = Path(sys.argv[1])
def status(key):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(key))
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")
base = status("VmRSS:")
start = time.perf_counter()
summary = import_file(path, name=path.name, replace=True)
seconds = time.perf_counter() - start
peak = status("VmHWM:")
again = time.perf_counter()
second = import_file(path, name=path.name)
again = time.perf_counter() - again
def best(fn, n=5):
    times = []
    for _ in range(n):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    return min(times) * 1000
counts_ms = best(lambda: cem_counts("17", 2024))
MEASURES = ["1", "age_band IN ('0-5', '6-11', '12-17')", "violence_type = 'sexual'", "relationship = 'partner'",
            "relationship = 'family'", "risk = 'severe'", "complaint_filed"]
terms = ["COUNT(*)"] + [f"SUM(sex = '{s}' AND {m})" for s in ("female", "male") for m in MEASURES] + [
    "SUM(rape)", "SUM(rape AND sex = 'female' AND age_band IN ('0-5', '6-11', '12-17'))", "SUM(first_time = 0)"]
def bare():
    with connection.cursor() as c:
        c.execute(f"SELECT {', '.join(terms)} FROM stats_cemrecord r JOIN stats_cemload l ON l.id = r.load_id "
                  "WHERE l.status = 'current' AND r.department = '17' AND r.year = 2024")
        c.fetchall()
bare_ms = best(bare)
# The statistics pages (/estadisticas/, /cifras/): the year's protected set (every aggregate, the
# audit of the disclosure control) and its tables in Spanish, uncached, against the bare SQL of
# the same aggregates (one GROUP BY per table).
from django.utils import translation
from ruta.stats import tables
translation.activate("es")
def page():
    tables._year_set.cache_clear()
    tables.build("17", 2024)
    tables.facts("17", 2024)
    tables.trend("17", [2024])
page_times = []
for _ in range(20):
    t = time.perf_counter(); page(); page_times.append((time.perf_counter() - t) * 1000)
page_times.sort()
GROUPS = ["month", "age_band, sex", "violence_type, sex", "relationship, sex", "risk, sex", "complaint_filed, sex",
          "first_time, sex", "mother_tongue", "ubigeo, province"]
def bare_pages():
    with connection.cursor() as c:
        for g in GROUPS:
            c.execute(f"SELECT {g}, COUNT(*) FROM stats_cemrecord r JOIN stats_cemload l ON l.id = r.load_id "
                      f"WHERE l.status = 'current' AND r.department = '17' AND r.year = 2024 "
                      f"AND r.sex IN ('female', 'male') GROUP BY {g}")
            c.fetchall()
        c.execute("SELECT COUNT(*), SUM(sex = 'female' AND age_band IN ('0-5', '6-11', '12-17')) "
                  "FROM stats_cemrecord r JOIN stats_cemload l ON l.id = r.load_id "
                  "WHERE l.status = 'current' AND r.department = '17' AND r.year = 2024 AND r.rape")
        c.fetchall()
bare_pages_times = []
for _ in range(20):
    t = time.perf_counter(); bare_pages(); bare_pages_times.append((time.perf_counter() - t) * 1000)
bare_pages_times.sort()
def p95(xs):
    return xs[max(0, int(round(0.95 * len(xs))) - 1)]
print(json.dumps(dict(rows=sum(y["rows"] for y in summary["years"]), seconds=seconds, base_mb=base / 1024,
    peak_mb=peak / 1024, again_s=again, again=[y["outcome"] for y in second["years"]],
    counts_ms=counts_ms, bare_ms=bare_ms, page_p50_ms=page_times[len(page_times) // 2], page_p95_ms=p95(page_times),
    bare_pages_p95_ms=p95(bare_pages_times), page_ratio=p95(page_times) / p95(bare_pages_times))))
"""


def write_csv(path: Path, n: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruta.settings")
    from ruta.stats.tests import register_file

    distinct = list(register_file.rows(5000, seed=1))
    text = register_file.csv_text(distinct)
    header, _sep, body = text.partition("\r\n")
    lines = body.split("\r\n")[:-1]
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(header + "\r\n")
        for i in range(n):
            f.write(lines[i % len(lines)] + "\r\n")


def write_sav_file(path: Path, n: int) -> None:
    """The 14 variables Ruta reads (numbers as SPSS numbers), as the ministry's .sav holds them."""
    sys.path.insert(0, str(ROOT))
    from ruta.stats.register import COLUMNS
    from ruta.stats.tests import register_file
    from ruta.stats.tests.sav import write_sav

    text = {"CEM", "FECHA_INGRESO", "DPTO_DOMICILIO", "PROV_DOMICILIO", "DIST_DOMICILIO"}
    distinct = list(register_file.rows(5000, seed=1))
    rows = [[distinct[i % len(distinct)][c] for c in COLUMNS] for i in range(n)]
    write_sav(path, COLUMNS, [80 if c in text else 0 for c in COLUMNS], rows)


def write_xlsx(path: Path, n: int) -> None:
    import xlsxwriter

    with (path.with_suffix(".csv")).open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        sheet = book.add_worksheet("Casos CEM")
        for r, row in enumerate(reader):
            if r > n:
                break
            for c, value in enumerate(row):
                if value.isdigit() and r:
                    sheet.write_number(r, c, int(value))
                elif value:
                    sheet.write_string(r, c, value)
        book.close()


def run(path: Path, home: Path) -> dict[str, object]:
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    env = instance_env(home)
    subprocess.run([sys.executable, "manage.py", "init_keys"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    out = subprocess.run([sys.executable, "-c", SETUP, str(path)], cwd=ROOT, capture_output=True, text=True,
                         env={**env, "DJANGO_SETTINGS_MODULE": "ruta.settings"})
    if out.returncode:
        raise SystemExit(f"import of {path.name} failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def report(label: str, r: dict[str, object]) -> None:
    rows = int(r["rows"])  # type: ignore[call-overload]
    seconds = float(r["seconds"])  # type: ignore[arg-type]
    print(f"{label:<22} {rows:>9,} rows {seconds:7.1f} s {rows / seconds:>8,.0f} rows/s  peak +"
          f"{float(r['peak_mb']) - float(r['base_mb']):5.1f} MB  again {float(r['again_s']):5.1f} s "  # type: ignore[arg-type]
          f"{r['again']}  cem_counts {float(r['counts_ms']):6.1f} ms vs bare SQL {float(r['bare_ms']):6.1f} ms")  # type: ignore[arg-type]
    page = {k: float(r[k]) for k in ("page_p50_ms", "page_p95_ms", "bare_pages_p95_ms", "page_ratio")}  # type: ignore[arg-type]
    print(f"{'':<22} statistics page p50 {page['page_p50_ms']:7.1f} ms p95 {page['page_p95_ms']:7.1f} ms, "
          f"bare SQL of its aggregates p95 {page['bare_pages_p95_ms']:6.1f} ms, ratio {page['page_ratio']:4.1f}")
    RESULTS.append({"label": label, **r})


RESULTS: list[dict[str, object]] = []


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench stats")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--xlsx-rows", type=int, default=50_000)
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="ruta-bench-stats-"))
    try:
        print(f"SQLite; {os.cpu_count()} cores (shared); load average {os.getloadavg()[0]:.1f}")
        for n in (args.small, args.rows):
            path = tmp / f"cem{n}.csv"
            write_csv(path, n)
            report(f"CSV {path.stat().st_size / 1e6:,.0f} MB", run(path, tmp / "home"))
            if n == args.small and args.xlsx_rows:
                xlsx = tmp / f"cem{n}.xlsx"
                write_xlsx(xlsx, min(args.xlsx_rows, n))
                report(f"XLSX {xlsx.stat().st_size / 1e6:,.0f} MB", run(xlsx, tmp / "home"))
            path.unlink()
        try:
            import pyreadstat  # noqa: F401
        except ImportError:
            print(".sav: not measured (pyreadstat is not installed).")
        else:
            sav = tmp / f"cem{args.small}.sav"
            write_sav_file(sav, args.small)
            report(f"SAV {sav.stat().st_size / 1e6:,.0f} MB", run(sav, tmp / "home"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if RESULTS:
            import datetime as dt

            out = ROOT / "bench" / "results" / f"stats-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M}.json"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps({"database": "sqlite", "cores": os.cpu_count(),
                                       "load_average": os.getloadavg()[0], "args": vars(args), "runs": RESULTS},
                                      indent=2))
            print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
