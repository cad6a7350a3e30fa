"""Ruta under load: simulated people against gunicorn and the worker on loopback (issue 16).

    python -m bench load [--postgres] [--users 50] [--seconds 60] [--import-rows 300000]
                         [--web-workers 2] [--web-threads 4] [--out bench/results]

A fresh demo instance (SQLite in a temporary folder, or a PostgreSQL database of its own
named ``ruta_bench_load``) is served by ``python -m ruta.serve`` (gunicorn and the worker, as
``./run`` does). Accounts of their own are made for the simulated staff (each with its own
second factor, as real staff log in) and a programme of 2,000 activities receives an import
of ``--import-rows`` new participants, submitted as a background task just before the load
starts, so it runs meanwhile.

One asynchronous process (aiohttp) then plays ``--users`` people for ``--seconds`` seconds,
each waiting 1–5 s between requests:

- half walk the public guide as a teacher would (home, the guide's questions one by one,
  the result, the directory), without cookies;
- case workers log in (password and TOTP), open "today", their case list and a case, and
  record a follow-up whose note carries a unique marker;
- facilitators log in, open their activity and add one participant at a time to its
  attendance;
- coordinators log in and open the programme dashboard and its charts.

An acknowledged write (the redirect that follows a saved form) whose marker is missing from
the database afterwards is a lost update. Printed and written to ``OUT/load-<db>-<time>.json``:
requests per second, p50/p95/p99 per kind of page, errors, lost updates, the import's rows/s,
and the load generator's own CPU share (so a saturated client is not mistaken for a slow
server).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.common import ROOT, fresh_postgres, instance_env

PG_NAME = "ruta_bench_load"
THINK = (1.0, 5.0)
LIMA = ZoneInfo("America/Lima")  # the server's day: a follow-up dated tomorrow is refused
ACTIVITIES = 2000

SETUP = r"""
import django, json, sys, datetime as dt
from pathlib import Path
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from ruta.accounts.approval import needs_approval, record_demo_approval
from ruta.accounts.demo import NGO, demo_password, demo_totp_key
from ruta.accounts.models import Organisation, User
from ruta.accounts.roles import TWO_FACTOR_ROLES, Role
from ruta.cases.codes import ACTIVE_CASE_STATUSES
from ruta.cases.models import Case, CaseAssignment
from ruta.program.imports.jobs import start_import
from ruta.program.models import Activity, Attendance, Participant, Programme

from bench.imports import rows, write_csv
csv_path, n_import, n_cw, n_fac, n_coord, activities = sys.argv[1], *map(int, sys.argv[2:7])
org = Organisation.objects.get(name=NGO)

def make(prefix, role, n):
    out = []
    for i in range(n):
        name = f"carga-{prefix}-{i:02d}"
        user = User(username=name, role=role, first_name=f"Carga {i}", organisation=org)
        user.set_password(demo_password(name))
        user.save()
        if needs_approval(role):
            record_demo_approval(user)
        key = demo_totp_key(name)
        if role in TWO_FACTOR_ROLES:
            TOTPDevice.objects.create(user=user, name="carga", key=key.hex(), confirmed=True)
        out.append({"username": name, "password": demo_password(name), "user_id": user.pk,
                    "totp": key.hex() if role in TWO_FACTOR_ROLES else None})
    return out

with transaction.atomic():
    caseworkers = make("gestora", Role.CASEWORKER, n_cw)
    facilitators = make("facilitador", Role.FACILITATOR, n_fac)
    coordinators = make("coordinadora", Role.COORDINATOR, n_coord)
    codes = list(Case.objects.filter(organisation=org, status__in=ACTIVE_CASE_STATUSES).values_list("code", flat=True))
    CaseAssignment.objects.bulk_create([CaseAssignment(case_id=pk, user_id=cw["user_id"])
        for pk in Case.objects.filter(code__in=codes).values_list("pk", flat=True) for cw in caseworkers])
    demo_prog = Programme.objects.filter(organisation=org).order_by("pk").first()
    people = list(Participant.objects.filter(programme=demo_prog).values_list("pk", flat=True))
    district = Activity.objects.filter(programme=demo_prog).values_list("district_id", flat=True).first() or "170101"
    for i, fac in enumerate(facilitators):
        activity = Activity.objects.create(programme=demo_prog, type="workshop", duration_minutes=90,
            date=dt.date.today(), district_id=district, place=f"I.E. carga {i}", target_group="youth")
        activity.facilitators.add(fac["user_id"])
        fac["activity"] = activity.pk
        fac["participants"] = people[i::max(1, n_fac)]
    bench_prog = Programme.objects.create(name="Carga", donor="EMpower", starts_on=dt.date(2025, 1, 1),
                                          ends_on=dt.date(2025, 12, 31), organisation=org)
    Activity.objects.bulk_create([Activity(programme=bench_prog, type="workshop", duration_minutes=90,
        date=dt.date(2025, 3, 1) + dt.timedelta(days=i % 250), district_id="170101", place="I.E.",
        target_group="youth") for i in range(activities)])
    ids = list(Activity.objects.filter(programme=bench_prog).order_by("pk").values_list("pk", flat=True))
data = rows(n_import, activities)
for row in data:
    row[-1] = ids[int(row[-1]) - 1]  # the file names this programme's activities by their numbers
write_csv(Path(csv_path), data)
coordinator = User.objects.get(pk=coordinators[0]["user_id"])
with open(csv_path, "rb") as f:
    job = start_import(bench_prog, "participants", SimpleUploadedFile("datos.csv", f.read()), user=coordinator,
                       back_url="/")
print(json.dumps({"caseworkers": caseworkers, "facilitators": facilitators, "coordinators": coordinators,
                  "cases": codes, "programme": demo_prog.pk, "job": str(job.pk)}))
"""

VERIFY = r"""
import django, json, sys
django.setup()
from ruta.cases.models import FollowUp
from ruta.jobs.models import Job
from ruta.program.models import Attendance

acks = json.load(open(sys.argv[1]))
notes = {fu.note for fu in FollowUp.objects.filter(by__username__startswith="carga-").only("note")}
followups_lost = [m for m in acks["followups"] if m not in notes]
present = set(Attendance.objects.filter(activity_id__in={a for a, _ in acks["attendance"]}).values_list(
    "activity_id", "participant_id"))
attendance_lost = [pair for pair in acks["attendance"] if tuple(pair) not in present]
job = Job.objects.get(pk=acks["job"])
print(json.dumps({"followups_acknowledged": len(acks["followups"]), "followups_lost": len(followups_lost),
                  "attendance_acknowledged": len(acks["attendance"]), "attendance_lost": len(attendance_lost),
                  "import": {"status": job.status, "result": job.result, "error": job.error,
                             "started_at": job.started_at.isoformat() if job.started_at else None,
                             "finished_at": job.finished_at.isoformat() if job.finished_at else None}}))
"""

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# The teacher of the guide issue, one answer per screen (bench/screens.py walks the same in a browser).
GUIDE = [
    ("reporter_role", "teacher"), ("immediate_danger", "false"), ("violence_types", "sexual"),
    ("hours_since_incident", "24"), ("age", "15"), ("sex", "female"),
    ("aggressor_relationship", "parent_or_caregiver"), ("aggressor_lives_with_survivor", "true"),
    ("is_student", "true"), ("district", "170101"),
]


def totp(key_hex: str, at: float | None = None) -> str:
    """RFC 6238 code (30 s, 6 digits, SHA-1), as django-otp's TOTPDevice checks it."""
    import hashlib
    import hmac
    import struct

    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


@dataclass
class Stats:
    samples: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    error_examples: list[str] = field(default_factory=list)
    followups: list[str] = field(default_factory=list)
    attendance: list[list[int]] = field(default_factory=list)

    def error(self, kind: str, detail: str) -> None:
        self.errors[kind] += 1
        if len(self.error_examples) < 20:
            self.error_examples.append(f"{kind}: {detail}")


class Person:
    """One simulated person with their own connection pool and cookies."""

    def __init__(self, base: str, stats: Stats, deadline: float, rng: random.Random) -> None:
        import aiohttp

        self.base, self.stats, self.deadline, self.rng = base, stats, deadline, rng
        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                             timeout=aiohttp.ClientTimeout(total=30))

    async def close(self) -> None:
        await self.session.close()

    def alive(self) -> bool:
        return time.monotonic() < self.deadline

    async def think(self) -> None:
        await asyncio.sleep(self.rng.uniform(*THINK))

    async def request(self, kind: str, method: str, path: str, *, data: Any = None, expect: tuple[int, ...] = (200,),
                      allow_redirects: bool = False) -> tuple[int, str, str]:
        """One timed request; a status outside ``expect`` counts as an error of ``kind``."""
        start = time.perf_counter()
        try:
            async with self.session.request(method, self.base + path, data=data, allow_redirects=allow_redirects,
                                            headers={"Referer": self.base + path, "Origin": self.base}) as r:
                body = await r.text()
                status, location = r.status, r.headers.get("Location", "")
        except Exception as e:  # noqa: BLE001 - every failure is an error of the run
            self.stats.error(kind, f"{method} {path}: {type(e).__name__}")
            return 0, "", ""
        self.stats.samples[kind].append((time.perf_counter() - start) * 1000)
        if status not in expect:
            self.stats.error(kind, f"{method} {path}: {status} {location}".rstrip())
        return status, body, location

    async def login(self, account: dict[str, Any]) -> bool:
        _s, body, _l = await self.request("login", "GET", "/entrar/")
        token = CSRF.search(body)
        if not token:
            self.stats.error("login", "no CSRF token on the login page")
            return False
        status, _b, _l = await self.request("login", "POST", "/entrar/", expect=(302,), data={
            "csrfmiddlewaretoken": token.group(1), "username": account["username"], "password": account["password"]})
        if status != 302:
            return False
        if account.get("totp"):  # the second factor is asked when a page needs it; answer it at once
            _s, body, _l = await self.request("login", "GET", "/entrar/codigo/")
            token = CSRF.search(body)
            if not token:
                self.stats.error("login", "no CSRF token on the second-factor page")
                return False
            status, _b, _l = await self.request("login", "POST", "/entrar/codigo/", expect=(302,), data={
                "csrfmiddlewaretoken": token.group(1), "token": totp(account["totp"])})
            return status == 302
        return True

    async def form(self, kind: str, path: str, fields: dict[str, Any]) -> bool:
        """GET a form for its CSRF token, POST it; True when the save was acknowledged (302)."""
        _s, body, _l = await self.request(kind, "GET", path)
        token = CSRF.search(body)
        if not token:
            self.stats.error(kind, f"no form at {path}")
            return False
        status, _b, _l = await self.request(kind + "-save", "POST", path, expect=(302,),
                                            data={"csrfmiddlewaretoken": token.group(1), **fields})
        return status == 302


async def guide_walker(p: Person) -> None:
    while p.alive():
        await p.request("public", "GET", "/")
        await p.think()
        await p.request("guide", "GET", "/guia/")
        answers: list[tuple[str, str]] = []
        for name, value in GUIDE:
            if not p.alive():
                return
            await p.think()
            answers.append((name, value))
            await p.request("guide", "POST", "/guia/", data=[*answers, ("step", name)])
        await p.think()
        await p.request("public", "GET", "/servicios/?district=170101")
        await p.think()


async def caseworker(p: Person, account: dict[str, Any], cases: list[str]) -> None:
    if not await p.login(account):
        return
    while p.alive():
        await p.think()
        await p.request("cases-today", "GET", "/casos/hoy/")
        await p.think()
        await p.request("cases-list", "GET", "/casos/")
        code = p.rng.choice(cases)
        await p.think()
        await p.request("case", "GET", f"/casos/{code}/")
        await p.think()
        marker = f"carga {account['username']} {time.time_ns()}"
        if await p.form("case-followup", f"/casos/{code}/seguimiento/",
                        {"done_on": dt.datetime.now(LIMA).date().isoformat(), "note": marker, "next_at": ""}):
            p.stats.followups.append(marker)


async def facilitator(p: Person, account: dict[str, Any]) -> None:
    if not await p.login(account):
        return
    activity, people = account["activity"], list(account["participants"])
    p.rng.shuffle(people)
    while p.alive():
        await p.think()
        _s, body, _l = await p.request("activity", "GET", f"/programa/actividades/{activity}/")
        token = CSRF.search(body)
        if not people or not token:
            continue
        person = people.pop()
        await p.think()
        path = f"/programa/actividades/{activity}/asistencia/agregar/"
        status, _b, _l = await p.request("attendance-save", "POST", path, expect=(302,),
                                         data={"csrfmiddlewaretoken": token.group(1), "participant": str(person)})
        if status == 302:
            p.stats.attendance.append([activity, person])


async def coordinator(p: Person, account: dict[str, Any], programme: int) -> None:
    if not await p.login(account):
        return
    while p.alive():
        await p.think()
        _s, body, _l = await p.request("dashboard", "GET", f"/programa/{programme}/tablero/")
        for chart in re.findall(r'src="(/programa/\d+/tablero/[^"]+\.svg[^"]*)"', body)[:3]:
            await p.request("dashboard-chart", "GET", chart.replace("&amp;", "&"))


async def drive(base: str, setup: dict[str, Any], users: int, seconds: float) -> tuple[Stats, dict[str, float]]:
    stats = Stats()
    rng = random.Random(20261202)
    deadline = time.monotonic() + seconds
    n_cw, n_fac, n_coord = len(setup["caseworkers"]), len(setup["facilitators"]), len(setup["coordinators"])
    people: list[Person] = []
    tasks = []
    for i in range(users):
        p = Person(base, stats, deadline, random.Random(rng.random()))
        people.append(p)
        if i < n_cw:
            tasks.append(caseworker(p, setup["caseworkers"][i], setup["cases"]))
        elif i < n_cw + n_fac:
            tasks.append(facilitator(p, setup["facilitators"][i - n_cw]))
        elif i < n_cw + n_fac + n_coord:
            tasks.append(coordinator(p, setup["coordinators"][i - n_cw - n_fac], setup["programme"]))
        else:
            tasks.append(guide_walker(p))
    before, wall = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    # People arrive over the first think time, not all in the same millisecond.
    async def staggered(k: int, task: Any) -> None:
        await asyncio.sleep(k * THINK[1] / users)
        await task
    await asyncio.gather(*(staggered(k, t) for k, t in enumerate(tasks)))
    after, wall = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter() - wall
    for p in people:
        await p.close()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return stats, {"wall_s": wall, "client_cpu_s": cpu, "client_cpu_share": cpu / wall}


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_up(base: str, timeout: float = 60) -> None:
    import urllib.request

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(base + "/api/v1/health", timeout=2):
                return
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.3)
    raise RuntimeError("the server did not come up")


def _warm_up(base: str, web_workers: int) -> None:
    """Each web worker imports its views on its first requests: not what a person waits for."""
    import urllib.request

    for _ in range(3 * web_workers):
        for path in ("/", "/guia/", "/servicios/?district=170101", "/entrar/"):
            with urllib.request.urlopen(base + path, timeout=30) as r:
                r.read()


def _percentiles(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)

    def at(q: float) -> float:
        return round(s[min(len(s) - 1, int(q * len(s)))], 1)

    return {"n": len(s), "p50": at(0.50), "p95": at(0.95), "p99": at(0.99), "max": round(s[-1], 1)}


def run(*, postgres: bool, users: int, seconds: float, import_rows: int, web_workers: int,
        web_threads: int = 1) -> dict[str, Any]:
    n_cw = max(1, users * 24 // 100)
    n_fac = max(1, users * 16 // 100)
    n_coord = max(1, users * 10 // 100)
    with tempfile.TemporaryDirectory(prefix="ruta-bench-load-") as tmp:
        home = Path(tmp)
        extra = {"DATABASE_URL": fresh_postgres(PG_NAME)} if postgres else {}
        port = _free_port()
        env = {**instance_env(home, **extra), "ALLOWED_HOSTS": "127.0.0.1,localhost",
               "DJANGO_SETTINGS_MODULE": "ruta.settings", "PORT": str(port)}
        for args in (["init_keys"], ["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"],
                     ["load_demo"]):
            subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)
        csv_path = home / "import.csv"
        counts = [import_rows, n_cw, n_fac, n_coord, ACTIVITIES]
        out = subprocess.run([sys.executable, "-c", SETUP, str(csv_path), *map(str, counts)], cwd=ROOT, env=env,
                             capture_output=True, text=True)
        if out.returncode:
            raise RuntimeError(f"setting up the load failed:\n{out.stderr[-3000:]}")
        setup = json.loads(out.stdout.strip().splitlines()[-1])
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([sys.executable, "-m", "ruta.serve", "--bind", f"127.0.0.1:{port}",
                                   "--workers", str(web_workers), "--threads", str(web_threads)], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_up(base)
            _warm_up(base, web_workers)
            stats, client = asyncio.run(drive(base, setup, users, seconds))
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
        acks = home / "acks.json"
        acks.write_text(json.dumps({"followups": stats.followups, "attendance": stats.attendance, "job": setup["job"]}))
        out = subprocess.run([sys.executable, "-c", VERIFY, str(acks)], cwd=ROOT, env=env, capture_output=True,
                             text=True)
        if out.returncode:
            raise RuntimeError(f"verifying the load failed:\n{out.stderr[-3000:]}")
        verified = json.loads(out.stdout.strip().splitlines()[-1])
    total = sum(len(v) for v in stats.samples.values())
    return {
        "database": "postgresql" if postgres else "sqlite", "cores": os.cpu_count(), "users": users,
        "seconds": seconds, "web_workers": web_workers, "web_threads": web_threads,
        "import_rows": import_rows,
        "mix": {"caseworkers": n_cw, "facilitators": n_fac, "coordinators": n_coord,
                "guide": users - n_cw - n_fac - n_coord},
        "requests": total, "requests_per_s": round(total / client["wall_s"], 1),
        "pages": {k: _percentiles(v) for k, v in sorted(stats.samples.items()) if v},
        "errors": sum(stats.errors.values()), "errors_by_kind": dict(stats.errors),
        "error_examples": stats.error_examples,
        "lost_updates": verified["followups_lost"] + verified["attendance_lost"],
        "writes_acknowledged": verified["followups_acknowledged"] + verified["attendance_acknowledged"],
        "import": verified["import"], "client": {k: round(v, 3) for k, v in client.items()},
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench load")
    parser.add_argument("--postgres", action="store_true", help=f"use PostgreSQL (database {PG_NAME})")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--import-rows", type=int, default=300_000)
    parser.add_argument("--web-workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    parser.add_argument("--web-threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)
    r = run(postgres=args.postgres, users=args.users, seconds=args.seconds, import_rows=args.import_rows,
            web_workers=args.web_workers, web_threads=args.web_threads)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = args.out / f"load-{r['database']}-{stamp}.json"
    path.write_text(json.dumps(r, indent=2) + "\n")
    print(f"{r['database']}: {r['users']} people for {r['seconds']:.0f} s, "
          f"{r['web_workers']} web workers × {r['web_threads']} threads, {r['cores']} cores; "
          f"{r['requests']} requests ({r['requests_per_s']}/s); errors {r['errors']}; "
          f"lost updates {r['lost_updates']} of {r['writes_acknowledged']} acknowledged writes; "
          f"load generator CPU {r['client']['client_cpu_share']:.1%} of one core")
    for kind, p in r["pages"].items():
        print(f"  {kind:18} n={p['n']:5}  p50 {p['p50']:7.1f} ms  p95 {p['p95']:7.1f} ms  p99 {p['p99']:7.1f} ms")
    imp = r["import"]
    print(f"  import: {imp['status']} {imp['result'].get('rows', 0) if imp['result'] else 0} rows "
          f"({imp['started_at']} → {imp['finished_at']}) {imp['error'] or ''}")
    if r["error_examples"]:
        print("  errors: " + "; ".join(r["error_examples"][:10]))
    print(f"  written to {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
