"""Case work benchmark: the "today" page and the case list with 100,000 cases and 300,000 referrals.

Generates the data with ``bulk_create`` into a throw-away database (every personal field
really encrypted, so generation time includes the encryption cost), then asks each page
through Django's test client, logged in as a case worker and as a case supervisor, and
reports the server time p50/p95 (docs/architecture.md, "Budgets": p95 ≤ 150 ms).

Each backend runs in its own process with its own settings: SQLite in a temporary
RUTA_HOME, and PostgreSQL in ``ruta_bench_cases`` (created and dropped here) when a server
answers at 127.0.0.1:5432.

Run: python -m bench cases [--cases N] [--referrals N] [--requests N] [--backend sqlite|postgres|all]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from ruta.lib.keys import create_missing_key_files

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgres://postgres@127.0.0.1:5432/ruta_bench_cases"
ORGS, WORKERS_PER_ORG = 5, 10
BATCH = 5_000
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench cases")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--referrals", type=int, default=300_000)
    parser.add_argument("--requests", type=int, default=60, help="timed requests per page and role")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "all"], default="all")
    parser.add_argument("--keep", metavar="DIR", default="",
                        help="SQLite only: keep the database in DIR and reuse it on the next run")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args)
        return
    backends = ["sqlite", "postgres"] if args.backend == "all" else [args.backend]
    for backend in backends:
        if backend == "postgres" and not _postgres_available():
            print("postgres: no server at 127.0.0.1:5432, skipped")
            continue
        _run_backend(backend, args)


def _postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001 - any failure means "not available here"
        return False


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(sql)


def _run_backend(backend: str, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="ruta-bench-cases-") as tmp:
        home = args.keep if args.keep and backend == "sqlite" else tmp
        (Path(home) / "static").mkdir(parents=True, exist_ok=True)  # whitenoise looks for it
        create_missing_key_files(Path(home))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
        env.update({
            "RUTA_HOME": home, "DJANGO_SETTINGS_MODULE": "ruta.settings", "DEBUG": "false",
            "ALLOWED_HOSTS": "testserver", "SECURE_SSL_REDIRECT": "false", "SECURE_COOKIES": "false",
            "SECURE_HSTS_SECONDS": "0", "RUTA_DEMO": "false", "LOG_LEVEL": "ERROR", "RUTA_MANIFEST_STATIC": "false",
        })
        if backend == "postgres":
            _pg_admin("DROP DATABASE IF EXISTS ruta_bench_cases")
            _pg_admin("CREATE DATABASE ruta_bench_cases")
            env["DATABASE_URL"] = PG_BENCH
        else:
            env["DATABASE_URL"] = f"sqlite:///{home}/bench.sqlite3"
        try:
            print(f"\n--- {backend}", flush=True)
            cmd = [sys.executable, "-m", "bench", "cases", "--worker", "--cases", str(args.cases),
                   "--referrals", str(args.referrals), "--requests", str(args.requests)]
            subprocess.run(cmd, cwd=ROOT, env=env, check=True)
        finally:
            if backend == "postgres":
                _pg_admin("DROP DATABASE IF EXISTS ruta_bench_cases")


def _code(prefix: str, n: int) -> str:
    out = []
    for _ in range(7):
        n, r = divmod(n, len(ALPHABET))
        out.append(ALPHABET[r])
    return prefix + "".join(reversed(out))


def _worker(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - start:.1f} s", flush=True)
    from ruta.accounts.models import User

    if User.objects.filter(username="supervisor0").exists():  # a kept database (--keep)
        users = {"caseworker": User.objects.get(username="worker0_0"),
                 "case_supervisor": User.objects.get(username="supervisor0")}
    else:
        users = _generate(args.cases, args.referrals)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    _measure(users, args.requests)


def _generate(n_cases: int, n_referrals: int) -> dict[str, Any]:
    from django.db import transaction
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ruta.accounts.models import Organisation, User
    from ruta.accounts.roles import OrganisationKind, Role
    from ruta.cases.classification import classify
    from ruta.cases.codes import PENDING_REFERRAL_STATUSES
    from ruta.cases.models import (
        DOCUMENT_HASH_PURPOSE,
        NAME_PART_HASH_PURPOSE,
        Case,
        CaseAssignment,
        Consent,
        Incident,
        Referral,
        Survivor,
        SurvivorNamePart,
        name_parts,
    )
    from ruta.lib.crypto import keyed_hasher, keyring
    from ruta.lib.fields import search_hash

    hasher = keyed_hasher(NAME_PART_HASH_PURPOSE)

    def name_hash(part: str) -> str:
        return hasher(part)

    rnd = random.Random(4)  # noqa: S311 - synthetic data
    now = timezone.now()
    orgs = [Organisation.objects.create(name=f"Bench NGO {i}", kind=OrganisationKind.NGO, district_id="170101")
            for i in range(ORGS)]
    workers: list[list[User]] = []
    supervisors: list[User] = []
    for i, org in enumerate(orgs):
        team = [User.objects.create_user(username=f"worker{i}_{j}", password=None, role=Role.CASEWORKER,
                                         organisation=org) for j in range(WORKERS_PER_ORG)]
        workers.append(team)
        supervisors.append(User.objects.create_user(username=f"supervisor{i}", password=None,
                                                    role=Role.CASE_SUPERVISOR, organisation=org))
    for u in [*supervisors, *(w for team in workers for w in team)]:
        TOTPDevice.objects.create(user=u, name="bench", confirmed=True)

    districts = ["170101", "170102", "170103", "170104", "170201", "170202", "170204", "170301"]
    steps = ["health_care", "report_to_authorities", "cem_care", "mental_health_followup", "legal_aid",
             "protection_measures", "forensic_exam", "single_interview", "health_emergency_kit", "school_report"]
    relationships = ["partner", "ex_partner", "parent_or_caregiver", "other_family", "schoolmate", "acquaintance",
                     "stranger", "unknown"]
    per_case = n_referrals / n_cases
    made_refs = encrypted = 0
    # What one encryption costs here (AES-256-GCM, a fresh nonce each), to say its share below.
    ring = keyring()
    t0 = time.perf_counter()
    for k in range(20_000):
        ring.encrypt(f"Nombre{k} Sintético", "cases.survivor.given_names")
    per_encryption = (time.perf_counter() - t0) / 20_000
    start = time.perf_counter()
    for lo in range(0, n_cases, BATCH):
        hi = min(lo + BATCH, n_cases)
        survivors = [Survivor(
            code=_code("S-", i), given_names=f"Nombre {_letters(i)}", family_names=f"Sintético{i % 7} Bench",
            document_type="dni", document_number=f"{40000000 + i}", phone=f"9{i:08d}",
            address=f"Jr. Sintético {i}", sex="female" if rnd.random() < 0.85 else "male",
            age_years=rnd.randint(10, 24), age_recorded_on=now.date(), district_id=rnd.choice(districts),
            mother_tongue="spanish" if rnd.random() < 0.8 else "quechua", disability="no",
            document_hash=search_hash(f"{40000000 + i}", DOCUMENT_HASH_PURPOSE),
        ) for i in range(lo, hi)]
        encrypted += 5 * len(survivors)
        with transaction.atomic():
            Survivor.objects.bulk_create(survivors, batch_size=1000)
            # The name search's index, as Survivor.save writes it (bulk_create skips save()).
            SurvivorNamePart.objects.bulk_create(
                [SurvivorNamePart(survivor=s, hash=name_hash(part))
                 for s in survivors for part in name_parts(s.given_names, s.family_names)], batch_size=5000)
            cases, incidents, refs, consents, assigns = [], [], [], [], []
            plans: list[list[tuple[str, Any, str]]] = []
            for i, s in zip(range(lo, hi), survivors, strict=True):
                org_i = i % ORGS
                owner = workers[org_i][(i // ORGS) % WORKERS_PER_ORG]
                opened = now - timedelta(days=rnd.uniform(0, 3 * 365))
                active = rnd.random() < 0.3
                # The case's referrals are drawn first, so its next deadline goes in with it.
                plan = []
                for _ in range(int(per_case) + (1 if rnd.random() < per_case - int(per_case) else 0)):
                    if active:
                        status = rnd.choice(["attended", "attended", "requested", "accepted"])
                        due = now + timedelta(hours=rnd.uniform(-24 * 10, 24 * 20))
                    else:
                        status = rnd.choice(["attended", "attended", "attended", "declined", "cancelled"])
                        due = opened + timedelta(days=rnd.uniform(0, 30))
                    plan.append((rnd.choice(steps), due, status))
                plans.append(plan)
                pending = [due for _s, due, st in plan if st in PENDING_REFERRAL_STATUSES]
                cases.append(Case(
                    code=_code("C-", i), organisation=orgs[org_i], owner=owner, survivor=s,
                    status="open" if active else "closed", reporter_role="teacher", opened_at=opened,
                    closed_at=None if active else opened + timedelta(days=rnd.randint(10, 200)),
                    risk_level=rnd.choice([None, 1, 2, 3]), next_referral_due_at=min(pending, default=None),
                    next_followup_at=now + timedelta(hours=rnd.uniform(-48, 24 * 14)) if active else None,
                ))
            Case.objects.bulk_create(cases, batch_size=1000)
            for i, case, plan in zip(range(lo, hi), cases, plans, strict=True):
                answers = {q: False for q in ("q_penetration", "q_sexual_contact", "q_physical", "q_forced_marriage",
                                              "q_denial", "q_psychological")}
                answers[rnd.choice(list(answers))] = True
                occurred = (case.opened_at - timedelta(days=rnd.randint(0, 30))).date()
                incidents.append(Incident(
                    case=case, code=f"{case.code}-1", survivor_code=case.survivor.code, occurred_on=occurred,
                    reported_on=case.opened_at.date(), **answers, gbv_type=classify(answers), vt_sexual=True,
                    aggressor_relationship=rnd.choice(relationships), aggressor_sex="male", place_type="street",
                    district_id=case.survivor.district_id, survivor_age=case.survivor.age_years,
                    survivor_sex=case.survivor.sex, narrative=f"Relato sintético {i}",
                ))
                consents.append(Consent(case=case, given_by="survivor", for_services=True, for_sharing=True,
                                        for_statistics=True, given_on=occurred, recorded_by=case.owner))
                if rnd.random() < 0.1:
                    team = workers[i % ORGS]
                    helper = team[(i // ORGS + 1) % WORKERS_PER_ORG]
                    assigns.append(CaseAssignment(case=case, user=helper))
                refs += [Referral(
                    case=case, organisation_id=case.organisation_id, step_code=step, service_name="Servicio sintético",
                    due_at=due, status=status, outcome="Atendida (sintético)" if status == "attended" else None,
                    created_by=case.owner, updated_by=case.owner, created_at=case.opened_at,
                    updated_at=case.opened_at) for step, due, status in plan]
            Incident.objects.bulk_create(incidents, batch_size=1000)
            Consent.objects.bulk_create(consents, batch_size=1000)
            CaseAssignment.objects.bulk_create(assigns, batch_size=1000)
            Referral.objects.bulk_create(refs, batch_size=1000)
            made_refs += len(refs)
            encrypted += len(incidents) + sum(1 for r in refs if r.outcome)
    elapsed = time.perf_counter() - start
    rows = n_cases * 4 + made_refs  # survivors, cases, incidents, consents, referrals
    print(f"generated {n_cases:,} cases (with survivors, incidents, consents) and {made_refs:,} referrals: "
          f"{rows:,} rows in {elapsed:.1f} s ({rows / elapsed:,.0f} rows/s); {encrypted:,} values encrypted at "
          f"{per_encryption * 1e6:.1f} µs each = {encrypted * per_encryption:.1f} s of it", flush=True)
    return {"caseworker": workers[0][0], "case_supervisor": supervisors[0]}


def _letters(i: int) -> str:
    """A number as letters (a name part has no digits): 0 → "Aa", 27 → "Bb"…"""
    out = ""
    for _ in range(4):
        i, r = divmod(i, 26)
        out = "abcdefghijklmnopqrstuvwxyz"[r] + out
    return out.capitalize()


def _measure(users: dict[str, Any], n: int) -> None:
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ruta.cases import policy
    from ruta.cases.views import HIDE_NAMES

    pages = [("today", "/casos/hoy/", None), ("case list", "/casos/", None),
             ("case list, names hidden", "/casos/", None),
             ("case list, page 20", "/casos/?page=20", None), ("document search", "/casos/", {"q": "40000005"}),
             # One survivor's given name; then a part every fifth… seventh survivor has.
             ("name search, 1 case", "/casos/", {"q": f"nombre {_letters(5)}"}),
             ("name search, 1/7 of all", "/casos/", {"q": "sintetico3 bench"})]
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        session = client.session
        session["otp_device_id"] = TOTPDevice.objects.get(user=user).persistent_id
        session.save()
        visible = policy.visible_cases(user).count()
        print(f"{role} ({user.username}, sees {visible:,} cases):", flush=True)
        for label, url, post in pages:
            session = client.session
            session[HIDE_NAMES] = label == "case list, names hidden"
            session.save()
            def ask(url: str = url, post: dict[str, str] | None = post, client: Any = client) -> Any:
                return client.post(url, post) if post else client.get(url)

            for _ in range(5):  # warm-up
                assert ask().status_code == 200, url
            times = []
            for _ in range(n):
                t0 = time.perf_counter()
                response = ask()
                times.append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 200
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
            print(f"  {label:24} p50 {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms   "
                  f"({len(response.content) / 1024:.0f} KB)", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
