"""Case work benchmark: the "today" page and the case list with 100,000 cases and 300,000 referrals.

Generates the data without the ORM (COPY on PostgreSQL, ``executemany`` on SQLite; see
``_generate`` for the distributions and what is encrypted per row), so 1,000,000 cases and
3,000,000 referrals take minutes, into a throw-away database, then asks each page
through Django's test client, logged in as a case worker and as a case supervisor, and
reports the server time p50/p95 (docs/architecture.md, "Budgets": p95 ≤ 150 ms).

Each backend runs in its own process with its own settings: SQLite in a temporary
RUTA_HOME, and PostgreSQL in ``ruta_bench_cases`` (created and dropped here) when a server
answers at 127.0.0.1:5432.

Run: python -m bench cases [--cases N] [--referrals N] [--requests N] [--backend sqlite|postgres|all]
[--keep DIR] (keep the generated databases and reuse them: a 1,000,000-case run generates once).
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
ORGS = 5
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench cases")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--referrals", type=int, default=300_000)
    parser.add_argument("--requests", type=int, default=60, help="timed requests per page and role")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "all"], default="all")
    parser.add_argument("--workers-per-org", type=int, default=0,
                        help="case workers per organisation (default: one per 2,000 cases, at least 10)")
    parser.add_argument("--keep", metavar="DIR", default="",
                        help="keep the keys and the SQLite database in DIR, and the PostgreSQL database "
                             "ruta_bench_cases_<DIR's digest>, and reuse them on the next run")
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
        home = args.keep or tmp
        (Path(home) / "static").mkdir(parents=True, exist_ok=True)  # whitenoise looks for it
        create_missing_key_files(Path(home))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
        env.update({
            "RUTA_HOME": home, "DJANGO_SETTINGS_MODULE": "ruta.settings", "DEBUG": "false",
            "ALLOWED_HOSTS": "testserver", "SECURE_SSL_REDIRECT": "false", "SECURE_COOKIES": "false",
            "SECURE_HSTS_SECONDS": "0", "RUTA_DEMO": "false", "LOG_LEVEL": "ERROR", "RUTA_MANIFEST_STATIC": "false",
        })
        if backend == "postgres" and args.keep:
            import hashlib

            import psycopg

            # Named after DIR, whose keys encrypted it.
            kept = "ruta_bench_cases_" + hashlib.sha256(str(Path(args.keep).resolve()).encode()).hexdigest()[:8]
            with psycopg.connect(PG_ADMIN) as conn:
                if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [kept]).fetchone():
                    _pg_admin(f"CREATE DATABASE {kept}")
            print(f"postgres: database {kept} kept", flush=True)
            env["DATABASE_URL"] = PG_BENCH.replace("ruta_bench_cases", kept)
        elif backend == "postgres":
            _pg_admin("DROP DATABASE IF EXISTS ruta_bench_cases")
            _pg_admin("CREATE DATABASE ruta_bench_cases")
            env["DATABASE_URL"] = PG_BENCH
        else:
            env["DATABASE_URL"] = f"sqlite:///{home}/bench.sqlite3"
        try:
            print(f"\n--- {backend}", flush=True)
            cmd = [sys.executable, "-m", "bench", "cases", "--worker", "--cases", str(args.cases),
                   "--referrals", str(args.referrals), "--requests", str(args.requests),
                   "--workers-per-org", str(args.workers_per_org or max(10, args.cases // (ORGS * 2000)))]
            subprocess.run(cmd, cwd=ROOT, env=env, check=True)
        finally:
            if backend == "postgres" and not args.keep:
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
        users = _generate(args.cases, args.referrals, args.workers_per_org)
    with connection.cursor() as cur:
        # PostgreSQL: what autovacuum does after a big load (statistics and the visibility map that
        # index-only scans need); SQLite: the statistics.
        cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    _measure(users, args.requests)


class _Table:
    """Rows for one model's table, written in batches without the ORM: COPY on PostgreSQL,
    ``executemany`` on SQLite. Ids are given here (rows reference each other without reading
    ids back); every column the caller leaves out gets the model field's default, as
    ``Model()`` would. Values go in as the database stores them: encrypted fields must be
    given ciphertext."""

    def __init__(self, model: Any, connection: Any) -> None:
        fields = [f for f in model._meta.concrete_fields if not f.generated]
        self.table, self.vendor, self.connection = model._meta.db_table, connection.vendor, connection
        self.columns = [f.column for f in fields]
        self.index = {f.attname: i for i, f in enumerate(fields)}
        self.template = [f.get_default() if f.has_default() or f.null or f.empty_strings_allowed else None
                         for f in fields]
        self.temporal = [i for i, f in enumerate(fields)
                         if f.get_internal_type() in ("DateTimeField", "DateField")]
        self.rows: list[list[Any]] = []
        self.written = 0

    def add(self, **values: Any) -> None:
        row = self.template.copy()
        index = self.index
        for name, value in values.items():
            row[index[name]] = value
        self.rows.append(row)

    def flush(self) -> None:
        if not self.rows:
            return
        cols = ", ".join(self.columns)
        if self.vendor == "postgresql":
            with self.connection.connection.cursor() as cur, cur.copy(f"COPY {self.table} ({cols}) FROM STDIN") as cp:
                for row in self.rows:
                    cp.write_row(row)
        else:
            from datetime import UTC, date, datetime

            for row in self.rows:  # as Django's SQLite backend writes them: naive UTC text
                for i in self.temporal:
                    v = row[i]
                    if isinstance(v, datetime):
                        row[i] = str(v.astimezone(UTC).replace(tzinfo=None))
                    elif isinstance(v, date):
                        row[i] = v.isoformat()
            marks = ", ".join("?" * len(self.columns))
            self.connection.connection.executemany(f"INSERT INTO {self.table} ({cols}) VALUES ({marks})", self.rows)
        self.written += len(self.rows)
        self.rows = []


class _BulkLoad:
    """While the tables fill: their secondary indexes dropped (built once at the end, from sorted
    data, instead of row by row in random order), and on PostgreSQL their foreign-key triggers
    off (every id is given here, consistently). Indexes backing a primary key or a unique
    constraint stay. The indexes are put back exactly as the migrations made them."""

    def __init__(self, connection: Any, tables: list[str]) -> None:
        self.connection, self.tables = connection, tables
        self.saved: list[str] = []

    def __enter__(self) -> None:
        with self.connection.cursor() as cur:
            for table in self.tables:
                if self.connection.vendor == "postgresql":
                    cur.execute("SELECT indexname, indexdef FROM pg_indexes i WHERE tablename = %s AND NOT EXISTS "
                                "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)", [table])
                    rows = cur.fetchall()
                    cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
                else:
                    cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                                "AND sql IS NOT NULL", [table])
                    rows = cur.fetchall()
                for name, sql in rows:
                    cur.execute(f'DROP INDEX "{name}"')
                    self.saved.append(sql)
            if self.connection.vendor == "sqlite":
                cur.execute("PRAGMA cache_size = -500000")  # 500 MB while loading

    def __exit__(self, *exc: object) -> None:
        start = time.perf_counter()
        with self.connection.cursor() as cur:
            for sql in self.saved:
                cur.execute(sql)
            if self.connection.vendor == "postgresql":
                for table in self.tables:
                    cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER ALL")
        print(f"indexes rebuilt in {time.perf_counter() - start:.1f} s", flush=True)


def _generate(n_cases: int, n_referrals: int, workers_per_org: int) -> dict[str, Any]:
    """The cases, their survivors, incidents, consents, assignments and referrals.

    Distributions: ``ORGS`` organisations sharing the cases evenly, ``workers_per_org`` case
    workers each owning an equal share of their organisation's; 30 % of cases active (open or
    reopened), with their referrals due from 10 days ago to 20 days ahead and half of them
    still pending; closed cases' referrals all settled within 30 days of opening; 10 % of cases
    with a second worker assigned. Survivors' names are Peruvian-style (two given names, two
    family names) drawn from pools of synthetic parts with a skewed frequency (some family names
    are very common, as Quispe or Mamani are), each encrypted per row with a fresh nonce; the
    name search's keyed hashes are written as ``Survivor.save`` writes them. Fields no measured
    page shows (document number, phone, address, narrative, outcome) reuse a small pool of
    ciphertexts encrypted once: the rows hold real ciphertext of realistic length."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
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

    rnd = random.Random(4)  # noqa: S311 - synthetic data
    now = timezone.now()
    orgs = [Organisation.objects.create(name=f"Bench NGO {i}", kind=OrganisationKind.NGO, district_id="170101")
            for i in range(ORGS)]
    workers: list[list[User]] = []
    supervisors: list[User] = []
    for i, org in enumerate(orgs):
        team = [User(username=f"worker{i}_{j}", role=Role.CASEWORKER, organisation=org)
                for j in range(workers_per_org)]
        for u in team:
            u.set_unusable_password()
        User.objects.bulk_create(team)
        workers.append(list(User.objects.filter(username__in=[u.username for u in team]).order_by("id")))
        supervisors.append(User.objects.create_user(username=f"supervisor{i}", password=None,
                                                    role=Role.CASE_SUPERVISOR, organisation=org))
    TOTPDevice.objects.bulk_create([TOTPDevice(user=u, name="bench", confirmed=True)
                                    for u in [*supervisors, *(w for team in workers for w in team)]])
    worker_ids = [[w.id for w in team] for team in workers]

    districts = ["170101", "170102", "170103", "170104", "170201", "170202", "170204", "170301"]
    steps = ["health_care", "report_to_authorities", "cem_care", "mental_health_followup", "legal_aid",
             "protection_measures", "forensic_exam", "single_interview", "health_emergency_kit", "school_report"]
    relationships = ["partner", "ex_partner", "parent_or_caregiver", "other_family", "schoolmate", "acquaintance",
                     "stranger", "unknown"]
    ring, hasher = keyring(), keyed_hasher(NAME_PART_HASH_PURPOSE)
    doc_hasher = keyed_hasher(DOCUMENT_HASH_PURPOSE)
    given_pool = [f"Nombre {_letters(k)}".split()[1] for k in range(600)]
    family_pool = [f"Apellido{_letters(k)}" for k in range(5000)]
    # A few family names carry much of the population (Zipf-like), given names less so.
    family_weights = [1 / (k + 1) for k in range(len(family_pool))]
    given_weights = [1 / (k + 1) ** 0.7 for k in range(len(given_pool))]
    part_hash: dict[str, str] = {}

    def hashed(part: str) -> str:
        if part not in part_hash:
            part_hash[part] = hasher(part)
        return part_hash[part]

    pool = {name: [ring.encrypt(v, f"{model._meta.label_lower}.{name}") for v in values] for model, name, values in [
        (Survivor, "document_number", [f"{40000000 + k}" for k in range(50)]),
        (Survivor, "phone", [f"9{k:08d}" for k in range(50)]),
        (Survivor, "address", [f"Jr. Sintético {k}, Puerto Maldonado" for k in range(50)]),
        (Incident, "narrative", [f"Relato sintético {k}: " + "lo que pasó, en sus palabras. " * 8 for k in range(50)]),
        (Referral, "outcome", [f"Atendida (sintético {k})" for k in range(50)]),
    ]}
    ctx_given, ctx_family = "cases.survivor.given_names", "cases.survivor.family_names"
    tables = {m: _Table(m, connection) for m in (Survivor, SurvivorNamePart, Case, Incident, Consent,
                                                  CaseAssignment, Referral)}
    per_case = n_referrals / n_cases
    ids = {"part": 0, "ref": 0, "assign": 0}
    encrypted = 0
    start = time.perf_counter()
    batch = 20_000
    loading = _BulkLoad(connection, [m._meta.db_table for m in tables])
    loading.__enter__()  # noqa: PLC2801 - left in __exit__ below, after the sequences
    for lo in range(0, n_cases, batch):
        hi = min(lo + batch, n_cases)
        givens = rnd.choices(given_pool, given_weights, k=2 * (hi - lo))
        families = rnd.choices(family_pool, family_weights, k=2 * (hi - lo))
        for i in range(lo, hi):
            sid = cid = i + 1
            k = 2 * (i - lo)
            given, family = f"{givens[k]} {givens[k + 1]}", f"{families[k]} {families[k + 1]}"
            if i == 5:  # one survivor found by a name nobody else has ("name search, 1 case")
                given = f"Nombre {_letters(5)}"
            district = rnd.choice(districts)
            sex = "female" if rnd.random() < 0.85 else "male"
            age = rnd.randint(10, 24)
            tables[Survivor].add(
                id=sid, code=_code("S-", i), given_names=ring.encrypt(given, ctx_given),
                family_names=ring.encrypt(family, ctx_family), document_type="dni",
                document_number=pool["document_number"][i % 50], document_hash=doc_hasher(f"{40000000 + i}"),
                phone=pool["phone"][i % 50], address=pool["address"][i % 50], sex=sex, age_years=age,
                age_recorded_on=now.date(), district_id=district,
                mother_tongue="spanish" if rnd.random() < 0.8 else "quechua", disability="no")
            encrypted += 2
            for h in {hashed(part) for part in name_parts(given, family)}:
                ids["part"] += 1
                tables[SurvivorNamePart].add(id=ids["part"], survivor_id=sid, hash=h)
            org_i = i % ORGS
            owner = worker_ids[org_i][(i // ORGS) % workers_per_org]
            opened = now - timedelta(days=rnd.uniform(0, 3 * 365))
            active = rnd.random() < 0.3
            plan = []
            for _ in range(int(per_case) + (1 if rnd.random() < per_case - int(per_case) else 0)):
                if active:
                    status = rnd.choice(["attended", "attended", "requested", "accepted"])
                    due = now + timedelta(hours=rnd.uniform(-24 * 10, 24 * 20))
                else:
                    status = rnd.choice(["attended", "attended", "attended", "declined", "cancelled"])
                    due = opened + timedelta(days=rnd.uniform(0, 30))
                plan.append((rnd.choice(steps), due, status))
            pending = [due for _s, due, st in plan if st in PENDING_REFERRAL_STATUSES]
            code = _code("C-", i)
            tables[Case].add(
                id=cid, code=code, organisation_id=orgs[org_i].id, owner_id=owner, survivor_id=sid,
                status=("reopened" if rnd.random() < 0.05 else "open") if active else "closed",
                reporter_role="teacher", opened_at=opened,
                closed_at=None if active else opened + timedelta(days=rnd.randint(10, 200)),
                risk_level=rnd.choice([None, 1, 2, 3]), next_referral_due_at=min(pending, default=None),
                next_followup_at=now + timedelta(hours=rnd.uniform(-48, 24 * 14)) if active else None)
            answers = {q: False for q in ("q_penetration", "q_sexual_contact", "q_physical", "q_forced_marriage",
                                          "q_denial", "q_psychological")}
            answers[rnd.choice(list(answers))] = True
            occurred = (opened - timedelta(days=rnd.randint(0, 30))).date()
            tables[Incident].add(
                id=cid, case_id=cid, code=f"{code}-1", survivor_code=_code("S-", i), occurred_on=occurred,
                reported_on=opened.date(), **answers, gbv_type=classify(answers), vt_sexual=True,
                aggressor_relationship=rnd.choice(relationships), aggressor_sex="male", place_type="street",
                district_id=district, survivor_age=age, survivor_sex=sex, narrative=pool["narrative"][i % 50],
                created_at=opened)
            tables[Consent].add(id=cid, case_id=cid, given_by="survivor", for_services=True, for_sharing=True,
                                for_statistics=True, given_on=occurred, recorded_by_id=owner, recorded_at=opened)
            if rnd.random() < 0.1:
                ids["assign"] += 1
                helper = worker_ids[org_i][(i // ORGS + 1) % workers_per_org]
                tables[CaseAssignment].add(id=ids["assign"], case_id=cid, user_id=helper, assigned_at=opened)
            for step, due, status in plan:
                ids["ref"] += 1
                tables[Referral].add(
                    id=ids["ref"], case_id=cid, organisation_id=orgs[org_i].id, step_code=step,
                    service_name="Servicio sintético", due_at=due, status=status,
                    outcome=pool["outcome"][ids["ref"] % 50] if status == "attended" else None,
                    created_by_id=owner, updated_by_id=owner, created_at=opened, updated_at=opened)
        with transaction.atomic():
            for table in tables.values():
                table.flush()
        print(f"  {hi:,} cases…", end="\r", flush=True)
    loading.__exit__()
    with connection.cursor() as cur:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(tables)):
            cur.execute(sql)
    elapsed = time.perf_counter() - start
    rows = sum(t.written for t in tables.values())
    print(f"generated {n_cases:,} cases (with survivors, name parts, incidents, consents, assignments) and "
          f"{tables[Referral].written:,} referrals: {rows:,} rows in {elapsed:.1f} s; {encrypted:,} names "
          f"encrypted one by one", flush=True)
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
             ("case list, page 20", "/casos/?page=20", None),
             ("case list, closed", "/casos/?status=closed", None),
             ("case list, all, page 1,000", "/casos/?status=all&page=1000", None),
             ("document search", "/casos/", {"q": "40000005"}),
             # One survivor's given name; then the commonest family name (about one survivor in five).
             ("name search, 1 case", "/casos/", {"q": f"nombre {_letters(5)}"}),
             ("name search, commonest", "/casos/", {"q": f"apellido{_letters(0)}"})]
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
            times, cpu = [], []
            for _ in range(n):
                c0, t0 = _cpu_ns(), time.perf_counter()
                response = ask()
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((_cpu_ns() - c0) / 1e6)
                assert response.status_code == 200
            times.sort()
            cpu.sort()
            p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
            cpu95 = cpu[min(len(cpu) - 1, round(0.95 * len(cpu)) - 1)]
            print(f"  {label:27} p50 {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms   "
                  f"({len(response.content) / 1024:.0f} KB)   cpu: median {statistics.median(cpu):6.1f}, "
                  f"95th {cpu95:6.1f}", flush=True)


def _cpu_ns() -> int:
    """CPU time spent so far by this process and, on PostgreSQL, by its server process: what a
    request costs whatever else the machine runs (on a busy machine the wall time also counts
    the wait for a core)."""
    from django.db import connection

    total = time.process_time_ns()
    if connection.vendor == "postgresql":
        global _PG_PID  # noqa: PLW0603 - one server process per benchmark run
        if _PG_PID is None:
            with connection.cursor() as cur:
                cur.execute("SELECT pg_backend_pid()")
                _PG_PID = cur.fetchone()[0]
        try:  # the first field of schedstat: nanoseconds on a CPU
            total += int(Path(f"/proc/{_PG_PID}/schedstat").read_text().split()[0])
        except OSError:
            pass
    return total


_PG_PID: int | None = None


if __name__ == "__main__":
    main(sys.argv[1:])
