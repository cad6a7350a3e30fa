"""A restore rehearsal (issue 12): back up an instance with the demo data and generated rows,
restore the backup on a spare instance that has only the key files, and compare every table's
row count before and after.

    python -m bench restore [--participants 20000] [--cases 300] [--sqlite-only] [--out FILE]

For each database (SQLite in a temporary folder; PostgreSQL on the local server, databases
``ruta_restore_source`` and ``ruta_restore_spare`` created and dropped here, trust auth as
``.ci/run``): ``init_keys``, ``migrate``, ``load_demo``, generated participants with
attendance and cases, ``backup_keys``, ``backup``; then a spare instance gets copies of the
four data key files (never the backup's private key, given with ``--key`` as an operator
would) and runs ``restore``, then ``verify_audit``. Written to ``bench/results/
restore_rehearsal.json`` (``--out``): per database, the row count of every table before
(on the source) and after (on the spare), the differences (the restore appends one
``backup.restored`` event to the access log), the archive's size and the seconds each step took.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import ROOT, instance_env

PG = "postgres://postgres@127.0.0.1:5432/"
KEY_FILES = ("secret_key", "encryption_keys", "search_key", "audit_keys")

GENERATE = r"""
import django, sys, random, datetime as dt
django.setup()
from django.db import transaction
from ruta.accounts.models import Organisation, User
from ruta.cases.tests.factories import make_case
from ruta.program.demo import NAME
from ruta.program.models import Activity, Attendance, Participant, Programme

participants, cases = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(12)
prog = Programme.objects.get(name=NAME)
districts = ["170101", "170102", "170104", "170204", "170301"]
acts = Activity.objects.bulk_create([Activity(programme=prog, type="workshop", duration_minutes=90,
    date=dt.date(2025, 1, 6) + dt.timedelta(days=i % 340), district_id=rng.choice(districts), place="I.E. (bench)",
    target_group="youth", title=f"Taller {i}") for i in range(max(1, participants // 25))])
batch = []
for i in range(participants):
    birth = dt.date(2001, 1, 1) + dt.timedelta(days=rng.randrange(14 * 365))
    batch.append(Participant(programme=prog, code=f"R-{i:07d}", sex=rng.choice(["female", "male"]), birth_date=birth,
        registered_on=dt.date(2025, 1, 5), group="youth", district_id=rng.choice(districts), name=f"Persona {i}"))
people = Participant.objects.bulk_create(batch, batch_size=2000)
seen = set()
rows = []
for p in people:
    for a in rng.sample(acts, min(3, len(acts))):
        rows.append(Attendance(activity=a, participant=p, programme=prog, date=a.date))
Attendance.objects.bulk_create(rows, batch_size=5000)
worker = User.objects.filter(role="caseworker", username="gestora").first()
for _ in range(cases):
    with transaction.atomic():
        make_case(worker)
print(len(people), len(rows), cases)
"""

COUNT = r"""
import django, json
django.setup()
from django.apps import apps
from django.db import connection
tables = sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True)}
                & set(connection.introspection.table_names()))
out = {}
with connection.cursor() as cur:
    for t in tables:
        cur.execute(f'SELECT COUNT(*) FROM "{t}"')
        out[t] = cur.fetchone()[0]
print(json.dumps(out))
"""


def _run(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, input=stdin, text=True,  # noqa: S603
                          capture_output=True, check=False)
    if done.returncode:
        raise SystemExit(f"{' '.join(a[:40] for a in args[:3])} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return done.stdout


def _psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql],  # noqa: S607
                   check=True, capture_output=True)


def rehearse(vendor: str, participants: int, cases: int) -> dict[str, Any]:
    steps: dict[str, float] = {}

    def step(name: str, env: dict[str, str], *args: str, stdin: str | None = None) -> str:
        t = time.perf_counter()
        out = _run(env, *args, stdin=stdin)
        steps[name] = round(time.perf_counter() - t, 2)
        return out

    with tempfile.TemporaryDirectory(prefix="ruta-restore-") as tmp:
        source_home, spare_home, off_server = Path(tmp, "source"), Path(tmp, "spare"), Path(tmp, "usb")
        for d in (source_home, spare_home, off_server):
            d.mkdir(mode=0o700)
        if vendor == "postgresql":
            for name in ("ruta_restore_source", "ruta_restore_spare"):
                _psql(f"DROP DATABASE IF EXISTS {name}")
                _psql(f"CREATE DATABASE {name}")
            source = instance_env(source_home, DATABASE_URL=PG + "ruta_restore_source")
            spare = instance_env(spare_home, DATABASE_URL=PG + "ruta_restore_spare")
        else:
            source, spare = instance_env(source_home), instance_env(spare_home)
        for env in (source, spare):
            env["DJANGO_SETTINGS_MODULE"] = "ruta.settings"
        try:
            step("init_keys", source, "manage.py", "init_keys")
            step("migrate", source, "manage.py", "migrate", "-v0")
            step("load_demo", source, "manage.py", "load_demo")
            generated = step("generate", source, "-c", GENERATE, str(participants), str(cases)).split()
            step("backup_keys", source, "manage.py", "backup_keys", str(off_server / "backup-private.pem"))
            archive = off_server / "ruta.backup"
            step("backup", source, "manage.py", "backup", str(archive))
            before = json.loads(step("count_source", source, "-c", COUNT))
            # The spare machine: the data keys from their own backup, an empty database.
            for name in KEY_FILES:
                shutil.copy2(source_home / name, spare_home / name)
            restored = step("restore", spare, "manage.py", "restore", str(archive), "--key",
                            str(off_server / "backup-private.pem"))
            after = json.loads(step("count_spare", spare, "-c", COUNT))
            verify = step("verify_audit", spare, "manage.py", "verify_audit")
            check = step("check", spare, "manage.py", "check")
        finally:
            if vendor == "postgresql":
                for name in ("ruta_restore_source", "ruta_restore_spare"):
                    _psql(f"DROP DATABASE IF EXISTS {name}")
        differences = {t: [before.get(t), after.get(t)] for t in sorted(set(before) | set(after))
                       if before.get(t) != after.get(t)}
        return {
            "vendor": vendor, "generated": {"participants": int(generated[0]), "attendance": int(generated[1]),
                                            "cases": int(generated[2])},
            "archive_bytes": archive.stat().st_size, "tables": len(before), "rows_before": sum(before.values()),
            "rows_after": sum(after.values()), "differences": differences, "restore_said": restored.strip(),
            "verify_audit_said": verify.strip().splitlines()[-1] if verify.strip() else "",
            "check_said": check.strip(), "seconds": steps, "before": before, "after": after,
        }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench restore")
    parser.add_argument("--participants", type=int, default=20000)
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "restore_rehearsal.json")
    args = parser.parse_args(argv)
    results = [rehearse("sqlite", args.participants, args.cases)]
    if not args.sqlite_only:
        results.append(rehearse("postgresql", args.participants, args.cases))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"rehearsals": results}, indent=1, sort_keys=True) + "\n")
    for r in results:
        sys.stdout.write(f"{r['vendor']}: {r['tables']} tables, {r['rows_before']} rows before, {r['rows_after']} "
                         f"after; differences {r['differences']}; archive {r['archive_bytes']} bytes; "
                         f"restore {r['seconds']['restore']} s\n")
    sys.stdout.write(f"written to {args.out}\n")
