"""The CEM register at scale: a 1,000,000-row import running as a background task (the upload
screen's path: ``start_cem_import``, then ``manage.py run_worker --once`` in its own process) while
the statistics pages are read, on SQLite or PostgreSQL.

    python -m bench stats [--rows 1000000] [--seed-rows 200000] [--postgres] [--at COMMIT ...]
                          [--formats 50000]

A fresh instance (SQLite in a temporary folder, or a PostgreSQL database ``ruta_bench_stats``
created and dropped) gets the year 2023 (``--seed-rows``, imported directly) and then the
upload of ``--rows`` rows of 2024 as a job. While the worker imports, this process requests,
one after another, ``/estadisticas/`` (as the M&E officer) and ``/cifras/`` (anonymous), each
uncached (the per-load cache of the year's protected set is cleared before each request: the
first request after an import, or in a new worker process, pays that); after the import, both
pages for 2024 and 2023 again. Printed: each page's p50/p95 during and after, the import's
rows/s (job start to finish) and the worker's peak memory (its ``VmHWM``: Django and the
job included), and the bare SQL of the 2024 page's aggregates (one GROUP BY per table, on the
rows) with the ratio page p95 ÷ bare SQL p95.

``--at COMMIT`` (repeatable; ``HEAD`` is the working tree) runs the same driver against the
application at that commit (a temporary git worktree), alternating, in the same run.
``--formats N`` also imports N rows as CSV, XLSX and .sav directly (``import_file``, no pages,
SQLite) for rows/s and peak memory; with ``--rows 0`` only that. Files are in the official
schema (all 168 variables); their rows cycle through 5,000 distinct synthetic rows
(``ruta.stats.tests.register_file``). JSON goes to ``bench/results/stats-<database>-<time>.json``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.common import ROOT, drop_postgres, fresh_postgres, init_keys, instance_env

PG_NAME = "ruta_bench_stats"

DRIVER = r"""
import django, json, sys, subprocess, time
django.setup()
from pathlib import Path
from django.core.files import File
from django.db import connection
from django.test import Client, override_settings
from ruta.accounts.roles import Role
from ruta.jobs.models import Job
from ruta.stats import tables
from ruta.stats.actions import start_cem_import
from ruta.stats.cem_import import import_file
from ruta.testing.cast import login, make_cast

seed, path, pg = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "pg"
cast = make_cast()
officer = cast.alpha[Role.ME_OFFICER]
t = time.perf_counter()
import_file(seed, name=seed.name)
seed_s = time.perf_counter() - t
override_settings(STORAGES={"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
staff, public = Client(), Client()
login(staff, officer)

def get(client, url):
    tables._year_set.cache_clear()
    t = time.perf_counter()
    r = client.get(url)
    ms = (time.perf_counter() - t) * 1000
    assert r.status_code == 200, (url, r.status_code)
    return ms

def status(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith(key))
    except (OSError, StopIteration):
        return None

with path.open("rb") as f:
    job = start_cem_import(File(f, name="cem2024.csv"), user=officer, back_url="/")
worker = subprocess.Popen([sys.executable, "manage.py", "run_worker", "--once", "--no-schedule", "--interval", "0"])
during = {"staff": [], "public": []}
base = peak = None
while worker.poll() is None:
    rss, hwm = status(worker.pid, "VmRSS:"), status(worker.pid, "VmHWM:")
    if base is None and rss:
        base = rss
    peak = hwm or peak
    during["staff"].append(get(staff, "/estadisticas/"))
    during["public"].append(get(public, "/cifras/"))
    time.sleep(0.05)
job.refresh_from_db()
assert job.status == Job.Status.SUCCEEDED, (job.status, job.error)
import_s = (job.finished_at - job.started_at).total_seconds()

def timed(fn, n, budget_s):
    out, start = [], time.perf_counter()
    while len(out) < n and (len(out) < 3 or time.perf_counter() - start < budget_s):
        out.append(fn())
    return out

after = {
    "staff": timed(lambda: get(staff, "/estadisticas/?year=2024"), 20, 60),
    "public": timed(lambda: get(public, "/cifras/?year=2024"), 20, 60),
    "staff_2023": timed(lambda: get(staff, "/estadisticas/?year=2023"), 10, 30),
}
GROUPS = ["month", "age_band, sex", "violence_type, sex", "relationship, sex", "risk, sex", "complaint_filed, sex",
          "first_time, sex", "mother_tongue", "ubigeo, province"]
def bare():
    t = time.perf_counter()
    with connection.cursor() as c:
        for g in GROUPS:
            c.execute(f"SELECT {g}, COUNT(*) FROM stats_cemrecord r JOIN stats_cemload l ON l.id = r.load_id "
                      f"WHERE l.status = 'current' AND r.department = '17' AND r.year = 2024 "
                      f"AND r.sex IN ('female', 'male') GROUP BY {g}")
            c.fetchall()
        c.execute("SELECT COUNT(*), SUM(CASE WHEN sex = 'female' AND age_band IN ('0-5', '6-11', '12-17') "
                  "THEN 1 ELSE 0 END) FROM stats_cemrecord r JOIN stats_cemload l ON l.id = r.load_id "
                  "WHERE l.status = 'current' AND r.department = '17' AND r.year = 2024 AND r.rape")
        c.fetchall()
    return (time.perf_counter() - t) * 1000
bare_ms = timed(bare, 20, 60)
print(json.dumps(dict(rows=job.result.get("imported"), result_years=job.result.get("years"), import_s=import_s,
    seed_s=seed_s, worker_base_mb=(base or 0) / 1024, worker_peak_mb=(peak or 0) / 1024,
    during=during, after=after, bare_ms=bare_ms)))
"""

FORMATS = r"""
import django, json, sys, time
django.setup()
from pathlib import Path
from ruta.stats.cem_import import import_file
path = Path(sys.argv[1])
def status(key):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(key))
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")
base = status("VmRSS:")
t = time.perf_counter()
summary = import_file(path, name=path.name, replace=True)
print(json.dumps(dict(rows=sum(y["rows"] for y in summary["years"]), seconds=time.perf_counter() - t,
                      peak_mb=(status("VmHWM:") - base) / 1024)))
"""


def write_csv(path: Path, n: int, year: int = 2024) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruta.settings")
    from ruta.stats.tests import register_file

    distinct = list(register_file.rows(5000, seed=1, year=year))
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


def fresh(code: Path, home: Path, postgres: bool) -> dict[str, str]:
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    extra = {"DATABASE_URL": fresh_postgres(PG_NAME)} if postgres else {}
    env = {**instance_env(home, **extra), "ALLOWED_HOSTS": "testserver", "DJANGO_SETTINGS_MODULE": "ruta.settings"}
    init_keys(env, code)
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=code, env=env, check=True)
    return env


def p(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, max(0, round(q * len(s)) - 1))] if s else float("nan")


def run(code: Path, seed: Path, path: Path, home: Path, postgres: bool) -> dict[str, Any]:
    env = fresh(code, home, postgres)
    try:
        out = subprocess.run([sys.executable, "-c", DRIVER, str(seed), str(path), "pg" if postgres else "sqlite"],
                             cwd=code, env=env, capture_output=True, text=True)
    finally:
        if postgres:
            drop_postgres(PG_NAME)
    if out.returncode:
        raise SystemExit(f"the run in {code} failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def report(label: str, r: dict[str, Any]) -> None:
    rows, seconds = int(r["rows"] or 0), float(r["import_s"])
    bare = p(r["bare_ms"], 0.95)
    print(f"{label}:")
    print(f"  import as a task  {rows:,} rows  {seconds:.1f} s  {rows / seconds:,.0f} rows/s  worker peak "
          f"{r['worker_peak_mb']:.0f} MB (VmHWM)")
    for when in ("during", "after"):
        for page, samples in r[when].items():
            ratio = f"  ratio to bare SQL {p(samples, 0.95) / bare:.2f}" if when == "after" and page != "staff_2023" \
                else ""
            print(f"  {when} {page:<11}  n {len(samples):>3}  p50 {p(samples, 0.5):,.1f} ms  "
                  f"p95 {p(samples, 0.95):,.1f} ms{ratio}")
    print(f"  bare SQL 2024  n {len(r['bare_ms']):>3}  p50 {p(r['bare_ms'], 0.5):,.1f} ms  p95 {bare:,.1f} ms")


def formats(code: Path, tmp: Path, n: int) -> list[dict[str, Any]]:
    out = []
    csv_path = tmp / "formats.csv"
    write_csv(csv_path, n)
    xlsx = tmp / "formats.xlsx"
    write_xlsx(xlsx, n)
    files = [csv_path, xlsx]
    try:
        import pyreadstat  # noqa: F401
    except ImportError:
        print(".sav: not measured (pyreadstat is not installed).")
    else:
        sav = tmp / "formats.sav"
        write_sav_file(sav, n)
        files.append(sav)
    for f in files:
        env = fresh(code, tmp / "home", False)
        got = subprocess.run([sys.executable, "-c", FORMATS, str(f)], cwd=code, env=env, capture_output=True,
                             text=True)
        if got.returncode:
            raise SystemExit(f"import of {f.name} failed:\n{got.stderr[-3000:]}")
        r = {"format": f.suffix, **json.loads(got.stdout.strip().splitlines()[-1])}
        print(f"  {f.suffix[1:].upper():<4} import_file  {r['rows']:,} rows  {r['rows'] / r['seconds']:,.0f} rows/s  "
              f"peak +{r['peak_mb']:.0f} MB")
        out.append(r)
    return out


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench stats")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed-rows", type=int, default=200_000)
    parser.add_argument("--postgres", action="store_true", help=f"use PostgreSQL (database {PG_NAME})")
    parser.add_argument("--at", action="append", default=[], help="a commit to run (HEAD: the working tree)")
    parser.add_argument("--formats", type=int, default=0, help="also import N rows as CSV, XLSX and .sav")
    args = parser.parse_args(argv)
    database = "postgresql" if args.postgres else "sqlite"
    tmp = Path(tempfile.mkdtemp(prefix="ruta-bench-stats-"))
    results: list[dict[str, Any]] = []
    worktrees: list[Path] = []
    try:
        print(f"{database}; {os.cpu_count()} cores (shared); load average {os.getloadavg()[0]:.1f}")
        seed, path = tmp / "cem2023.csv", tmp / "cem2024.csv"
        if args.rows:
            write_csv(seed, args.seed_rows, year=2023)
            write_csv(path, args.rows)
        for at in args.at or ["HEAD"]:
            code = ROOT
            if at != "HEAD":
                code = tmp / f"code-{at}"
                subprocess.run(["git", "worktree", "add", "--detach", str(code), at], cwd=ROOT, check=True,
                               capture_output=True)
                worktrees.append(code)
            label = f"{at} ({database}, {args.rows:,} rows)"
            r: dict[str, Any] = {}
            if args.rows:
                r = run(code, seed, path, tmp / "home", args.postgres)
                report(label, r)
            elif args.formats:
                print(f"{at}:")
            if args.formats:
                r["formats"] = formats(code, tmp, args.formats)
            results.append({"at": at, "label": label, **r})
    finally:
        for code in worktrees:
            subprocess.run(["git", "worktree", "remove", "--force", str(code)], cwd=ROOT, capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
        if results:
            out = ROOT / "bench" / "results" / f"stats-{database}-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M}.json"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps({"database": database, "cores": os.cpu_count(),
                                       "load_average": os.getloadavg()[0], "args": vars(args), "runs": results},
                                      indent=2))
            print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
