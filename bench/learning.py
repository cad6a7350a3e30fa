"""Live test under load: 60 phones answer a 10-question test at once against gunicorn on loopback.

Each phone (a thread) joins by code, is admitted, makes an anonymous pairing code, then answers
its form's ten questions as the JavaScript does (POST, ``Accept: application/json``); one answer
in ten is sent twice, as a phone retrying after a lost reply. Meanwhile the facilitator's live
screen is polled every half second. Reports the answer save p50/p95, the live screen p95, and
the lost and duplicated answers (both must be 0).

SQLite in a temporary instance; PostgreSQL in ``ruta_bench_learning`` (created and dropped) when
a server answers at 127.0.0.1:5432.

Run: python -m bench learning [--phones 60] [--workers 2] [--think 3] [--backend sqlite|postgres|all]
(``--think 0``: no reading time, every phone posts flat out: the saturation case.)
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from bench.common import percentiles
from ruta.testing.browser import gunicorn, manage, new_instance

FIXTURE = Path(__file__).resolve().parent.parent / "ruta" / "learning" / "tests" / "content"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH = "postgres://postgres@127.0.0.1:5432/ruta_bench_learning"

SETUP = """
from pathlib import Path
from django.conf import settings
from django.test import Client
from ruta.learning import actions
from ruta.learning.loader import load_courses
from ruta.learning.models import Course
from ruta.program.tests import fixtures
from ruta.testing.cast import login, make_cast
load_courses(Path({fixture!r}))
cast = make_cast()
course = Course.objects.get(code="sample")
session = actions.open_session(cast.alpha["facilitator"], fixtures.activity(cast), course, "pre")
c = Client()
login(c, cast.alpha["facilitator"])
print("BENCH", session.pk, session.code, settings.SESSION_COOKIE_NAME, c.cookies[settings.SESSION_COOKIE_NAME].value)
"""
ADMIT = "from ruta.learning.models import Seat\nprint('ADMITTED', Seat.objects.update(state='admitted'))"
COUNT = ("from django.db.models import Count\nfrom ruta.learning.models import Answer, Seat\n"
         "print('COUNT', Answer.objects.count(), Seat.objects.count(),"
         " Answer.objects.values('seat', 'question').annotate(n=Count('pk')).filter(n__gt=1).count())")
HEADERS = {"Sec-Fetch-Site": "same-origin"}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(NoRedirect)


def _request(url: str, data: dict[str, Any] | None = None, headers: dict[str, str] | None = None,
             ) -> tuple[int, bytes, dict[str, str], float]:
    body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, headers={**HEADERS, **(headers or {})})  # noqa: S310
    start = time.perf_counter()
    try:
        with _opener.open(req, timeout=30) as r:
            payload, status, hdrs = r.read(), r.status, dict(r.headers)
    except urllib.error.HTTPError as e:
        payload, status, hdrs = e.read(), e.code, dict(e.headers)
    return status, payload, hdrs, (time.perf_counter() - start) * 1000


def _phone(base: str, code: str, i: int, admitted: threading.Event, out: dict[str, Any], think: float) -> None:
    status, _b, hdrs, _ms = _request(f"{base}/t/", {"code": code})
    if status != 302:
        out["errors"].append(f"join {status}")
        return
    place = base + hdrs["Location"] if hdrs["Location"].startswith("/") else hdrs["Location"]
    admitted.wait()
    token_url = place.rstrip("/")
    status, _b, _h, _ms = _request(f"{token_url}/quien/", {"anonymous": "1", "mother": "m", "day": str(1 + i % 28),
                                                           "town": "abcdefghijklmnopqrstuvwxyz"[i % 26]})
    status, page, _h, _ms = _request(place)
    text = page.decode()
    first = re.search(r'name="question" value="([^"]+)"', text)
    pending = re.search(r'data-pending="([^"]*)"', text)
    if not first or not pending:
        out["errors"].append(f"question page {status}")
        return
    codes = [first[1]] + [q["code"] for q in json.loads(html.unescape(pending[1]))["questions"]]
    rng = random.Random(i)
    for q in codes:
        if think:  # reading the question: uniform around the mean
            time.sleep(rng.uniform(0.2 * think, 1.8 * think))
        sends = 2 if rng.random() < 0.1 else 1
        for _ in range(sends):
            status, _b, _h, ms = _request(f"{token_url}/responder/",
                                          {"question": q, "choice": [str(rng.randint(0, 1))]},
                                          {"Accept": "application/json"})
            with out["lock"]:
                out["save"].append(ms)
                if status != 200:
                    out["errors"].append(f"answer {status}")
    with out["lock"]:
        out["expected"] += len(codes)


def _facilitator(base: str, session: int, cookie: str, stop: threading.Event, out: dict[str, Any]) -> None:
    while not stop.is_set():
        status, _b, _h, ms = _request(f"{base}/aprendizaje/sesion/{session}/estado/", headers={"Cookie": cookie})
        if status == 200:
            out["live"].append(ms)
        else:
            out["errors"].append(f"live {status}")
        stop.wait(0.5)


def run(backend: str, phones: int, workers: int, think: float) -> None:
    extra = {"LEARNING_JOIN_LIMIT": "100000", "LEARNING_ANSWER_LIMIT": "100000"}
    if backend == "postgres":
        extra["DATABASE_URL"] = PG_BENCH
        _pg("DROP DATABASE IF EXISTS ruta_bench_learning")
        _pg("CREATE DATABASE ruta_bench_learning")
    try:
        with new_instance("ruta-bench-learning-", demo=False, **extra) as (env, port):
            line = next(x for x in manage(env, "shell", "--no-imports", "-c", SETUP.format(fixture=str(FIXTURE)))
                        .splitlines() if x.startswith("BENCH"))
            _tag, session, code, cookie_name, cookie = line.split()
            with gunicorn(env, port, workers=workers) as (base, _proc):
                out: dict[str, Any] = {"save": [], "live": [], "errors": [], "expected": 0, "lock": threading.Lock()}
                admitted, stop = threading.Event(), threading.Event()
                threads = [threading.Thread(target=_phone, args=(base, code, i, admitted, out, think))
                           for i in range(phones)]
                for t in threads:
                    t.start()
                time.sleep(1.0)
                for _ in range(30):  # until every phone has joined
                    done = manage(env, "shell", "--no-imports", "-c", ADMIT)
                    if int(next(x for x in done.splitlines() if x.startswith("ADMITTED")).split()[1]) >= phones:
                        break
                admitted.set()
                live = threading.Thread(target=_facilitator,
                                        args=(base, int(session), f"{cookie_name}={cookie}", stop, out))
                live.start()
                started = time.perf_counter()
                for t in threads:
                    t.join()
                elapsed = time.perf_counter() - started
                stop.set()
                live.join()
            counts = next(x for x in manage(env, "shell", "--no-imports", "-c", COUNT).splitlines()
                          if x.startswith("COUNT")).split()
            stored, seats, duplicated = int(counts[1]), int(counts[2]), int(counts[3])
            save, live_p = percentiles(out["save"]), percentiles(out["live"] or [0.0])
            print(f"{backend}: {phones} phones ({seats} joined), {workers} gunicorn workers, "
                  f"thinking {think:g} s per question on average, {elapsed:.1f} s")
            print(f"  answer save: p50 {save['p50']:.0f} ms, p95 {save['p95']:.0f} ms, max {save['max']:.0f} ms "
                  f"({save['n']:.0f} POSTs incl. retries)")
            print(f"  live screen: p95 {live_p['p95']:.0f} ms ({live_p['n']:.0f} polls)")
            print(f"  answers expected {out['expected']}, stored {stored}: lost {out['expected'] - stored}, "
                  f"duplicated {duplicated}; errors {len(out['errors'])} {sorted(set(out['errors']))[:5]}")
    finally:
        if backend == "postgres":
            _pg("DROP DATABASE IF EXISTS ruta_bench_learning")


def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def _postgres_available() -> bool:
    try:
        _pg("SELECT 1")
    except Exception:  # noqa: BLE001
        return False
    return True


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench learning")
    parser.add_argument("--phones", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "all"], default="all")
    parser.add_argument("--think", type=float, default=3.0,
                        help="mean seconds a phone spends on a question (0: every phone answers flat out)")
    args = parser.parse_args(argv)
    for backend in (["sqlite", "postgres"] if args.backend == "all" else [args.backend]):
        if backend == "postgres" and not _postgres_available():
            print("postgres: no server at 127.0.0.1:5432, skipped")
            continue
        run(backend, args.phones, args.workers, args.think)
