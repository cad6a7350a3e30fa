"""Monthly per-cell summaries of people reached, completing and tested, so that a dashboard
or donor report of whole months reads a few thousand summary rows instead of 200,000
participants and 2,000,000 attendance rows.

Distinct people are not additive over months ("reached in a quarter" is not the sum of the
three months' reach), so each person contributes, per cell (sex × stakeholder group ×
district × age band at first attendance), rows keyed by three months that make any range
of months an exact sum:

- ``r`` (reached): one row per month ``m`` the person attended, with ``prev`` the month they
  attended before it (0: none). In months ``a..b`` they were reached iff exactly one of their
  rows has ``a <= m <= b`` and ``prev < a`` (their first month inside the range).
- ``c`` (completed: at least N sessions in the period, N = ``Programme.completion_sessions``):
  for each attended month ``m``, ``lo(m)`` is the latest month ``s`` such that they attended
  at least N sessions in ``s..m`` (none when they had fewer than N up to ``m``); ``lo`` never
  decreases. A row ``(m, lo(m), prev = lo of the month attended before, 0: none)`` is kept
  where ``lo`` first appears or grows. They completed in ``a..b`` iff exactly one row has
  ``m <= b``, ``lo >= a`` and ``prev < a`` (the first month their last N sessions all fall
  on or after ``a``). ``r`` is the case N = 1 with ``lo = m``.
- ``p`` (latest post-test): one row in the month of ``Participant.post_taken_on``, with the
  pass, pair and gain (hundredths of a point, exact) the participant facts hold.

``program_reachfact`` holds each person's rows; ``program_reachsummary`` their sums per
cell and key. Both change only in :func:`settle`, which recomputes the people listed in
``program_summarypending``. Database triggers (migration 0013) add a person to that list in
the same transaction as ANY write that can change their rows (attendance inserted, moved or
deleted; a participant inserted, edited, merged, erased or deleted; an import published;
a programme's completion threshold changed), whoever writes: screens, imports, merges,
retention, raw SQL. So summaries plus pending list are exact in every transaction, and the
indicators read the summaries only when no one of the programme is pending
(:func:`ready`); otherwise they read the raw tables as before.

Writers call :func:`settle` at the end of their transaction (set-based: a few statements
per batch of people), so that the next read finds nothing pending. :func:`rebuild` (the
``rebuild_program_summaries`` command) recomputes everything from the raw tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.db import connection, transaction

from ruta.program.models import age_band

P = ParamSpec("P")
R = TypeVar("R")
BATCH = 2000
PASS_PERCENT = 70  # as indicators.PASS_PERCENT (indicators imports this module)
KEY = ("programme_id", "kind", "month", "lo", "prev", "sex", '"group"', "district_id", "band")
MEASURES = ("people", "passes", "pairs", "gain_cents")


def month_number(day: dt.date | str) -> int:
    """2025-05-17 → 202505."""
    text = str(day)
    return int(text[:4]) * 100 + int(text[5:7])


def _month_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(to_char({column}, 'YYYYMM') AS INTEGER)"
    return f"CAST(strftime('%%Y%%m', {column}) AS INTEGER)"


def month_rows(months: Sequence[tuple[int, int]], threshold: int) -> list[tuple[str, int, int, int]]:
    """``(kind, month, lo, prev)`` rows of one person from their ``(month, sessions)``, months ascending."""
    rows: list[tuple[str, int, int, int]] = []
    prev = 0
    for m, _n in months:
        rows.append(("r", m, m, prev))
        prev = m
    # before[i]: sessions in months before months[i]; lo(m_j) = the last months[i] (i <= j)
    # with sessions(i..j) = cum_j - before[i] >= threshold.
    before: list[int] = []
    total = 0
    for _m, n in months:
        before.append(total)
        total += n
    last_lo = 0
    i = -1  # the candidate start index only moves forward (lo never decreases)
    cum = 0
    for j, (m, n) in enumerate(months):
        cum += n
        while i + 1 <= j and cum - before[i + 1] >= threshold:
            i += 1
        if i >= 0:
            lo = months[i][0]
            if lo > last_lo:
                rows.append(("c", m, lo, last_lo))
                last_lo = lo
    return rows


def _chunks(ids: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for k in range(0, len(ids), size):
        yield ids[k:k + size]


def _marks(ids: Sequence[int]) -> str:
    return ", ".join(["%s"] * len(ids))


def _facts_of(ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """The summary rows of these people now, from the raw tables (people of an import still
    being staged have none: no one sees them yet)."""
    people: dict[int, tuple[Any, ...]] = {}
    months: dict[int, list[tuple[int, int]]] = {}
    with connection.cursor() as cur:
        for part in _chunks(ids):
            cur.execute(
                f"""SELECT p.id, p.programme_id, pr.completion_sessions, p.sex, p."group", p.district_id,
                           p.first_age, p.post_taken_on, p.post_score_percent, p.knowledge_gain
                      FROM program_participant p JOIN program_programme pr ON pr.id = p.programme_id
                     WHERE p.id IN ({_marks(part)})
                       AND (p.import_job IS NULL
                            OR p.import_job NOT IN (SELECT job_id FROM program_stagedimport))""",  # noqa: S608
                list(part))
            for row in cur.fetchall():
                people[row[0]] = row
            cur.execute(
                f"""SELECT participant_id, {_month_sql("date")} AS m, COUNT(*) FROM program_attendance
                     WHERE participant_id IN ({_marks(part)})
                     GROUP BY participant_id, m ORDER BY participant_id, m""",  # noqa: S608
                list(part))
            for pid, m, n in cur.fetchall():
                months.setdefault(pid, []).append((int(m), int(n)))
    return _rows_for(people, months)


def _rows_for(people: dict[int, tuple[Any, ...]], months: dict[int, list[tuple[int, int]]]) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for pid, (_id, programme_id, threshold, sex, grp, district, first_age, post_on, post_pct, gain) in people.items():
        cell = (sex, grp, district, age_band(first_age))
        for kind, m, lo, prev in month_rows(months.get(pid, []), int(threshold)):
            out.append((pid, programme_id, kind, m, lo, prev, *cell, 1, 0, 0, 0))
        if post_on is not None:
            passes = int(post_pct is not None and Decimal(str(post_pct)) >= PASS_PERCENT)
            cents = 0 if gain is None else int((Decimal(str(gain)) * 100).to_integral_value())
            out.append((pid, programme_id, "p", month_number(post_on), 0, 0, *cell, 1, passes,
                        int(gain is not None), cents))
    return out


FACT_COLUMNS = ("participant_id", *KEY, *MEASURES)


def _add(deltas: dict[tuple[Any, ...], list[int]], rows: Iterable[Sequence[Any]], sign: int) -> None:
    """Sum fact rows (``participant_id, *KEY, *MEASURES``) into deltas by key."""
    for row in rows:
        key = tuple(row[1:1 + len(KEY)])
        acc = deltas.setdefault(key, [0, 0, 0, 0])
        for k, v in enumerate(row[1 + len(KEY):]):
            acc[k] += sign * int(v)


def _apply(deltas: dict[tuple[Any, ...], list[int]]) -> None:
    # In key order, so that two writers never wait on each other's rows in opposite orders.
    changes = sorted((*key, *values) for key, values in deltas.items() if any(values))
    if not changes:
        return
    cols = ", ".join(KEY + MEASURES)
    marks = ", ".join(["%s"] * (len(KEY) + len(MEASURES)))
    update = ", ".join(f"{m} = program_reachsummary.{m} + EXCLUDED.{m}" for m in MEASURES)
    with connection.cursor() as cur:
        cur.executemany(
            f"INSERT INTO program_reachsummary ({cols}) VALUES ({marks}) "  # noqa: S608
            f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET {update}", changes)
        programmes = sorted({key[0] for key in deltas})
        cur.execute(f"DELETE FROM program_reachsummary WHERE programme_id IN ({_marks(programmes)}) "  # noqa: S608
                    "AND people = 0", programmes)


def _recompute(ids: Sequence[int]) -> None:
    """Replace these people's rows by their rows now and move the summaries by the difference."""
    deltas: dict[tuple[Any, ...], list[int]] = {}
    with connection.cursor() as cur:
        for part in _chunks(ids):
            if connection.vendor == "postgresql":
                # Whoever else recomputes one of them waits for this transaction's end, then reads
                # what it wrote (the attendance triggers lock these rows too).
                cur.execute(f"SELECT id FROM program_participant WHERE id IN ({_marks(part)}) "  # noqa: S608
                            "ORDER BY id FOR UPDATE", list(part))
            cur.execute(f"SELECT {', '.join(FACT_COLUMNS)} FROM program_reachfact "  # noqa: S608
                        f"WHERE participant_id IN ({_marks(part)})", list(part))
            _add(deltas, cur.fetchall(), -1)
            cur.execute(f"DELETE FROM program_reachfact WHERE participant_id IN ({_marks(part)})",  # noqa: S608
                        list(part))
    new = _facts_of(ids)
    _add(deltas, new, +1)
    if new:
        with connection.cursor() as cur:
            cur.executemany(f"INSERT INTO program_reachfact ({', '.join(FACT_COLUMNS)}) "  # noqa: S608
                            f"VALUES ({', '.join(['%s'] * len(FACT_COLUMNS))})", new)
    _apply(deltas)


def settle(*, limit: int | None = None) -> int:
    """Bring the summaries up to date for every pending person (or the first ``limit`` of
    them), set-based in batches of :data:`BATCH`; call it inside the writer's transaction
    after its writes. Returns how many people were recomputed."""
    done = 0
    with connection.cursor() as cur:
        while limit is None or done < limit:
            size = BATCH if limit is None else min(BATCH, limit - done)
            cur.execute("SELECT DISTINCT participant_id FROM program_summarypending "
                        "ORDER BY participant_id LIMIT %s", [size])
            ids = [row[0] for row in cur.fetchall()]
            if not ids:
                break
            _recompute(ids)
            for part in _chunks(ids):
                cur.execute(f"DELETE FROM program_summarypending WHERE participant_id IN ({_marks(part)})",  # noqa: S608
                            list(part))
            done += len(ids)
    return done


def settles(fn: Callable[P, R]) -> Callable[P, R]:
    """A writer (under ``transaction.atomic``) that settles the summaries before it returns,
    so in its own transaction."""

    @wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        result = fn(*args, **kwargs)
        settle()
        return result

    return run


def settle_in_steps(step: int = BATCH) -> int:
    """:func:`settle` in short transactions of ``step`` people each (after a large import:
    no lock is held long; reads stay exact meanwhile, on the raw tables)."""
    done = 0
    while True:
        with transaction.atomic():
            n = settle(limit=step)
        done += n
        if n < step:
            return done


def ready(programme_id: int) -> bool:
    """True when nothing of the programme waits for :func:`settle`: the summaries are exact."""
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM program_summarypending WHERE programme_id = %s LIMIT 1", [programme_id])
        return cur.fetchone() is None


def rebuild(programme_id: int | None = None) -> int:
    """Recompute the summaries of one programme (or all) from the raw tables. Returns the
    number of people summarised."""
    where, params = ("WHERE programme_id = %s", [programme_id]) if programme_id is not None else ("", [])
    with connection.cursor() as cur:
        for table in ("program_reachfact", "program_reachsummary", "program_summarypending"):
            cur.execute(f"DELETE FROM {table} {where}", params)  # noqa: S608
        cur.execute(f"SELECT id FROM program_participant {where} ORDER BY id", params)  # noqa: S608
        ids = [row[0] for row in cur.fetchall()]
    total = 0
    deltas: dict[tuple[Any, ...], list[int]] = {}
    for k in range(0, len(ids), 20_000):
        part = ids[k:k + 20_000]
        rows = _facts_of(part)
        _add(deltas, rows, +1)
        with connection.cursor() as cur:
            cur.executemany(f"INSERT INTO program_reachfact ({', '.join(FACT_COLUMNS)}) "  # noqa: S608
                            f"VALUES ({', '.join(['%s'] * len(FACT_COLUMNS))})", rows)
        total += len(part)
    _apply(deltas)
    return total
