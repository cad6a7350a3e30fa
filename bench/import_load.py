"""A large import runs as a background job while staff pages are requested (issue 8): every
request must answer within 2 s, and on SQLite no transaction of the import may hold the
write lock longer than 2 s.

    python -m bench import_load [--rows 300000] [--postgres]

A fresh instance (SQLite in a temporary folder, or a PostgreSQL database of its own named
``ruta_imports_load``) gets a programme with 2,000 activities and the coordinator of
the test cast. A CSV of ``--rows`` new participants, each with an attendance (Kobo style),
is submitted as the import screen does; ``manage.py run_worker --once`` runs it in its own
process while this process requests, one after another, the programme's dashboard, its
participant list, the duplicate review (which writes an audit event, so it needs the write
lock), the import page and the job's status fragment. Printed: rows/s, the import's longest
transaction (``longest_write_s``), and the slowest and 95th-percentile staff request.
``ruta/program/tests/test_imports_load.py`` runs the same with fewer rows.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.common import ROOT, fresh_postgres, init_keys, instance_env
from bench.imports import rows, write_csv

PG_NAME = "ruta_imports_load"

DRIVER = r"""
import django, json, sys, subprocess, time, datetime as dt
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from ruta.jobs.models import Job
from ruta.program.imports.jobs import start_import
from ruta.program.models import Activity, Programme
from ruta.testing.cast import login, make_cast

path, activities = sys.argv[1], int(sys.argv[2])
cast = make_cast()
coordinator = cast.alpha["coordinator"]
prog = Programme.objects.create(name="Bench", donor="EMpower", starts_on=dt.date(2025, 1, 1),
                                ends_on=dt.date(2025, 12, 31), organisation=cast.alpha_org)
Activity.objects.bulk_create([Activity(programme=prog, type="workshop", duration_minutes=90,
    date=dt.date(2025, 3, 1) + dt.timedelta(days=i % 250), district_id="170101", place="I.E.",
    target_group="youth") for i in range(activities)])
with open(path, "rb") as f:
    upload = SimpleUploadedFile("datos.csv", f.read())
job = start_import(prog, "participants", upload, user=coordinator, back_url="/")
# Pages are rendered here, without collected static files: plain static storage.
override_settings(STORAGES={"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
client = Client()
login(client, coordinator)
pages = [reverse("program:dashboard", kwargs={"pk": prog.pk}), reverse("program:participants", kwargs={"pk": prog.pk}),
         reverse("program:duplicates", kwargs={"pk": prog.pk}), reverse("program:import", kwargs={"pk": prog.pk}),
         reverse("jobs:status", kwargs={"job_id": job.pk})]
worker = subprocess.Popen([sys.executable, "manage.py", "run_worker", "--once", "--no-schedule", "--interval", "0"])
start = time.perf_counter()
samples, slowest, statuses = [], {}, set()
while worker.poll() is None:
    for page in pages:
        t = time.perf_counter()
        response = client.get(page)
        ms = (time.perf_counter() - t) * 1000
        statuses.add(response.status_code)
        samples.append(ms)
        slowest[page.split("/")[-2] or page] = max(ms, slowest.get(page.split("/")[-2] or page, 0))
    time.sleep(0.05)
seconds = time.perf_counter() - start
job.refresh_from_db()
samples.sort()
print(json.dumps(dict(status=job.status, error=job.error, rows=job.result.get("rows"),
    created=job.result.get("participants_created"), attendance=job.result.get("attendance_created"),
    longest_write_s=job.result.get("longest_write_s"), seconds=seconds, requests=len(samples),
    max_ms=samples[-1] if samples else None, p95_ms=samples[int(len(samples) * 0.95)] if samples else None,
    slowest_ms=slowest, statuses=sorted(statuses))))
"""


def run(n: int, *, postgres: bool = False, activities: int = 2000) -> dict[str, Any]:
    """Run the import of ``n`` rows under load in a fresh instance; returns the figures."""
    with tempfile.TemporaryDirectory(prefix="ruta-bench-import-load-") as tmp:
        home = Path(tmp)
        extra = {"DATABASE_URL": fresh_postgres(PG_NAME)} if postgres else {}
        env = {**instance_env(home, **extra), "ALLOWED_HOSTS": "testserver", "DJANGO_SETTINGS_MODULE": "ruta.settings"}
        init_keys(env)
        subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
        path = home / "import.csv"
        write_csv(path, rows(n, activities))
        out = subprocess.run([sys.executable, "-c", DRIVER, str(path), str(activities)], cwd=ROOT, env=env,
                             capture_output=True, text=True)
        if out.returncode:
            raise RuntimeError(f"the load run failed:\n{out.stderr[-3000:]}")
        figures = dict(json.loads(out.stdout.strip().splitlines()[-1]))
        figures["megabytes"] = round(path.stat().st_size / 1e6, 1)
        return figures


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench import_load")
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--postgres", action="store_true", help=f"use PostgreSQL (database {PG_NAME})")
    args = parser.parse_args(argv)
    r = run(args.rows, postgres=args.postgres)
    print(f"{'PostgreSQL' if args.postgres else 'SQLite'}; {os.cpu_count()} cores (shared); "
          f"{args.rows:,} rows ({r['megabytes']} MB CSV): job {r['status']} in {r['seconds']:.1f} s "
          f"({(r['rows'] or 0) / r['seconds']:,.0f} rows/s); longest import transaction "
          f"{r['longest_write_s'] or 0:.2f} s; {r['requests']} staff requests meanwhile: max "
          f"{r['max_ms'] or 0:.0f} ms, p95 {r['p95_ms'] or 0:.0f} ms; slowest by page {r['slowest_ms']}")


if __name__ == "__main__":
    main(sys.argv[1:])
