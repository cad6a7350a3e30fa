"""The programme's indicators: a registry in code, each with the definition people read
beside its value, computed at read time from individual records with aggregate SQL.

How it stays fast with 200,000 participants and 2,000,000 attendance rows: four aggregate
statements build small *cubes* (people by sex × stakeholder group × district × age at
first attendance; sessions by group × district; new youth and sessions by day), and every
figure on the dashboard (totals, disaggregations, targets, the table by district, the
trend) is a sum over those few hundred cells, indexed once per combination of dimensions.

The people statement reads facts the database keeps on each participant row, in the same
transaction as the rows they come from (triggers, migrations 0002 and 0004; never a cache
refreshed later): ``first_attended_on``, ``last_attended_on``, ``sessions_attended``,
``first_age`` and the latest post-test (``post_taken_on``, ``post_score_percent``,
``knowledge_gain``). When the period holds the programme's every attendance (two index
lookups tell), everyone who came counts with all their sessions. Otherwise one pass over
the covering index ``participant_reach_idx`` decides each person from their facts: whoever
attended only inside the period counts with all their sessions, whoever's first or last
attendance is inside it was reached; only people who attended on both sides of a boundary
and have enough sessions in all have their sessions in the period counted from their
attendance rows (index ``participant, date``), and only people who came before and after
it are looked up there to know whether they came in it. The statements read covering
indexes in the order they group by, so neither tables nor sorts are touched.

Conventions every definition shares:
- A person is *reached in a period* with at least one attendance dated in it.
- Age is the age at the person's first attendance in the programme (completed years;
  estimated from the age at registration when no birth date was given).
- Province and district filters use the participant's district for people, and the
  activity's district for sessions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ruta.program import summaries
from ruta.program.models import ADULT_GROUPS, AgeBand, Programme, Sex, age_band
from ruta.program.summaries import month_number

PASS_PERCENT = summaries.PASS_PERCENT  # 70


@dataclass(frozen=True)
class Filters:
    start: dt.date
    end: dt.date
    province: str = ""  # 4-digit UBIGEO
    district: str = ""  # 6-digit UBIGEO
    group: str = ""  # stakeholder group code

    @classmethod
    def for_programme(cls, programme: Programme) -> Filters:
        return cls(start=programme.starts_on, end=programme.ends_on)


@dataclass(frozen=True)
class Slice:
    """A disaggregation cell: blank means all."""

    sex: str = ""
    age_band: str = ""
    group: str = ""
    province: str = ""
    district: str = ""


DIMENSIONS = ("sex", "age_band", "group", "province", "district")


@dataclass(frozen=True)
class PeopleCell:
    """People sharing sex, group, district and age band at first attendance."""

    sex: str
    group: str
    band: str
    district: str
    reached: int
    completed: int
    posts: int  # latest post-test taken in the period
    passes: int  # … scoring at least PASS_PERCENT
    pairs: int  # … with a pre-test of the same test
    gain_sum: float


@dataclass(frozen=True)
class SessionCell:
    group: str
    district: str
    sessions: int


def _dim(cell: Any, dim: str) -> str:
    if dim == "province":
        return str(cell.district[:4])
    return str(getattr(cell, "band" if dim == "age_band" else dim))


PREDICATES: dict[str, Callable[[Any], bool]] = {
    "all": lambda c: True,
    "youth": lambda c: c.band != "",
    "adult": lambda c: c.group in ADULT_GROUPS,
}


@dataclass
class Cubes:
    people: list[PeopleCell] = field(default_factory=list)
    sessions: list[SessionCell] = field(default_factory=list)
    youth_by_month: dict[str, int] = field(default_factory=dict)  # new youth by month of first attendance
    sessions_by_month: dict[str, int] = field(default_factory=dict)
    _memo: dict[Any, dict[tuple[str, ...], list[float]]] = field(default_factory=dict, repr=False)

    def total(self, table: str, measures: tuple[str, ...], predicate: str, where: Slice) -> list[float]:
        """Sums of ``measures`` over the cells of ``table`` matching ``predicate`` and ``where``.
        One pass per combination of dimensions asked, then a dictionary lookup."""
        dims = tuple(d for d in DIMENSIONS if getattr(where, d))
        key = (table, measures, predicate, dims)
        index = self._memo.get(key)
        if index is None:
            index = {}
            keep = PREDICATES[predicate]
            for cell in getattr(self, table):
                if not keep(cell):
                    continue
                k = tuple(_dim(cell, d) for d in dims)
                values = [getattr(cell, m) for m in measures]
                acc = index.get(k)
                index[k] = values if acc is None else [a + b for a, b in zip(acc, values)]
            self._memo[key] = index
        return index.get(tuple(getattr(where, d) for d in dims), [0] * len(measures))


@dataclass(frozen=True)
class Value:
    """An indicator's value in one slice. ``base`` is the number of people (or results)
    it rests on: suppression looks at it for shares and means."""

    value: float | None
    base: int


@dataclass(frozen=True)
class Indicator:
    code: str
    name: Promise
    definition: Promise
    unit: Promise
    kind: str  # "count" or "share" or "mean"
    dimensions: tuple[str, ...]  # which Slice fields make sense for it
    compute: Callable[[Cubes, Slice], Value]

    def value(self, cubes: Cubes, where: Slice | None = None) -> Value:
        return self.compute(cubes, where or Slice())


def _count(table: str, measure: str, predicate: str) -> Callable[[Cubes, Slice], Value]:
    def compute(cubes: Cubes, where: Slice) -> Value:
        if table == "sessions" and (where.sex or where.age_band):
            return Value(None, 0)
        n = int(cubes.total(table, (measure,), predicate, where)[0])
        return Value(n, n)

    return compute


def _pass_share(cubes: Cubes, where: Slice) -> Value:
    posts, passes = cubes.total("people", ("posts", "passes"), "all", where)
    if not posts:
        return Value(None, 0)
    return Value(round(100 * passes / posts, 1), int(posts))


def _mean_gain(cubes: Cubes, where: Slice) -> Value:
    pairs, gain = cubes.total("people", ("pairs", "gain_sum"), "all", where)
    if not pairs:
        return Value(None, 0)
    return Value(round(gain / pairs, 1), int(pairs))


_youth_reached = _count("people", "reached", "youth")
_youth_completed = _count("people", "completed", "youth")
_adults_trained = _count("people", "reached", "adult")
_sessions = _count("sessions", "sessions", "all")


PEOPLE_DIMENSIONS = ("sex", "age_band", "group", "province", "district")

REGISTRY: dict[str, Indicator] = {
    i.code: i
    for i in [
        Indicator(
            "youth_reached", _("Young people reached"),
            _("Unique participants aged 10–24 at their first attendance who attended at least one "
              "activity in the period. Each person counts once, however many activities they attended."),
            _("people"), "count", PEOPLE_DIMENSIONS, _youth_reached,
        ),
        Indicator(
            "youth_completed", _("Young people completing the programme"),
            _("Unique participants aged 10–24 at their first attendance who attended at least N "
              "sessions in the period, N being the programme's completion threshold."),
            _("people"), "count", PEOPLE_DIMENSIONS, _youth_completed,
        ),
        Indicator(
            "adults_trained", _("Adults trained"),
            _("Unique participants from the teacher, local authority, community organisation, family "
              "and other groups who attended at least one activity in the period, by group."),
            _("people"), "count", ("sex", "group", "province", "district"), _adults_trained,
        ),
        Indicator(
            "sessions_delivered", _("Sessions delivered"),
            _("Activities (workshops, trainings, peer sessions, campaigns, community meetings, school "
              "sessions) held in the period, counted once each whatever their attendance."),
            _("sessions"), "count", ("group", "province", "district"), _sessions,
        ),
        Indicator(
            "post_test_pass_share", _("Post-tests at 70 % or more"),
            _("Of the participants whose latest post-test was taken in the period, the share who scored "
              "at least 70 % of its items correct."),
            _("%"), "share", PEOPLE_DIMENSIONS, _pass_share,
        ),
        Indicator(
            "mean_knowledge_gain", _("Mean knowledge gain"),
            _("For each participant whose latest post-test was taken in the period and who also took "
              "the pre-test of the same test: post-test score minus pre-test score, in percentage points. "
              "The mean over those participants."),
            _("percentage points"), "mean", PEOPLE_DIMENSIONS, _mean_gain,
        ),
    ]
}


# --- SQL ---------------------------------------------------------------------------------------
# Four aggregate statements; each reads one covering index in the order it groups by.

def _month(day: Any) -> str:
    return str(day)[:7]



def _indexed_by(name: str) -> str:
    """SQLite's planner guesses ranges without statistics; name the index it must read."""
    return f" INDEXED BY {name}" if connection.vendor == "sqlite" else ""


def _no_seek(column: str) -> str:
    """On SQLite, a unary plus keeps the planner from skip-scanning on this column, which
    would lose the index's group order and sort every row."""
    return f"+{column}" if connection.vendor == "sqlite" else column


def _place_sql(f: Filters, column: str) -> tuple[str, list[Any]]:
    if f.district:
        return f" AND {column} = %s", [f.district]
    if f.province:
        return f" AND {column} BETWEEN %s AND %s", [f.province + "00", f.province + "99"]
    return "", []


# People of an import still being staged (SQLite only: see ``imports.importer``). Written for
# the covering indexes: SQLite's index entries carry the row id, so the indexes stay covering,
# and with nothing staged the subquery is an empty set read once.
STAGED_PEOPLE = (" AND p.id NOT IN (SELECT s.id FROM program_participant s"
                 " WHERE s.import_job IN (SELECT job_id FROM program_stagedimport))")


def _people_where(f: Filters) -> tuple[str, list[Any]]:
    sql, params = _place_sql(f, "p.district_id")
    if connection.vendor == "sqlite":
        sql += STAGED_PEOPLE
    if f.group:
        sql += ' AND p."group" = %s'
        params.append(f.group)
    return sql, params


GROUP_COLUMNS = 'p.sex, p."group", p.district_id, p.first_age'


def inside_sql(programme_id: int, threshold: int, f: Filters) -> tuple[str, list[Any]]:
    """People whose attendance lies wholly inside the period: their facts say it all. When the
    period holds every attendance of the programme (see ``attendance_span``) this is everyone."""
    where, wp = _people_where(f)
    sql = f"""
SELECT {GROUP_COLUMNS}, COUNT(*), SUM(CASE WHEN p.sessions_attended >= %s THEN 1 ELSE 0 END)
  FROM program_participant p{_indexed_by("participant_reach_idx")}
 WHERE p.programme_id = %s AND p.first_attended_on >= %s AND p.last_attended_on <= %s{where}
 GROUP BY {GROUP_COLUMNS}"""
    return sql, [threshold, programme_id, f.start, f.end, *wp]


def attendance_span(programme_id: int) -> tuple[Any, Any]:
    """The programme's first and last attendance: two index lookups (``participant_first_idx``,
    ``participant_last_idx``)."""
    rows = _rows("SELECT (SELECT MIN(first_attended_on) FROM program_participant WHERE programme_id = %s),"
                 " (SELECT MAX(last_attended_on) FROM program_participant WHERE programme_id = %s)",
                 [programme_id, programme_id])
    first, last = rows[0]
    if isinstance(first, str):  # SQLite hands dates back as text here
        first, last = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    return first, last


def people_sql(programme_id: int, threshold: int, f: Filters) -> tuple[str, list[Any]]:
    """People who attended in the period, in one pass over the covering index in the order it
    groups by. Whoever's attendance lies wholly inside the period is told by their facts; so
    is whoever's first or last attendance falls inside it (they came). Only people who came
    before the period and again after it are looked up in their attendance rows (index
    ``participant, date``) to know whether they came in it, and only people with enough
    sessions in all who attended on both sides of a boundary have their sessions in the
    period counted there."""
    where, wp = _people_where(f)
    s, e = f.start, f.end
    in_period = "FROM program_attendance a WHERE a.participant_id = p.id AND a.date >= %s AND a.date <= %s"
    sql = f"""
SELECT {GROUP_COLUMNS},
       SUM(CASE WHEN p.first_attended_on >= %s OR p.last_attended_on <= %s THEN 1
                WHEN EXISTS (SELECT 1 {in_period}) THEN 1 ELSE 0 END),
       SUM(CASE WHEN p.sessions_attended < %s THEN 0
                WHEN p.first_attended_on >= %s AND p.last_attended_on <= %s THEN 1
                WHEN (SELECT COUNT(*) {in_period}) >= %s THEN 1 ELSE 0 END)
  FROM program_participant p{_indexed_by("participant_reach_idx")}
 WHERE p.programme_id = %s AND p.first_attended_on <= %s AND p.last_attended_on >= %s{where}
 GROUP BY {GROUP_COLUMNS}"""
    return sql, [s, e, s, e, threshold, s, e, s, e, threshold, programme_id, e, s, *wp]


def posts_sql(programme_id: int, f: Filters) -> tuple[str, list[Any]]:
    """People whose latest post-test was taken in the period."""
    where, wp = _people_where(f)
    sql = f"""
SELECT {GROUP_COLUMNS}, COUNT(*), SUM(CASE WHEN p.post_score_percent >= %s THEN 1 ELSE 0 END),
       COUNT(p.knowledge_gain), SUM(p.knowledge_gain)
  FROM program_participant p{_indexed_by("participant_post_idx")}
 WHERE p.programme_id = %s AND {_no_seek("p.post_taken_on")} >= %s AND {_no_seek("p.post_taken_on")} <= %s{where}
 GROUP BY {GROUP_COLUMNS}"""
    return sql, [PASS_PERCENT, programme_id, f.start, f.end, *wp]


def youth_trend_sql(programme_id: int, f: Filters) -> tuple[str, list[Any]]:
    where, wp = _people_where(f)
    sql = f"""
SELECT p.first_attended_on, COUNT(*) FROM program_participant p
 WHERE p.programme_id = %s AND p.first_attended_on >= %s AND p.first_attended_on <= %s
   AND p.first_age >= 10 AND p.first_age <= 24{where}
 GROUP BY p.first_attended_on"""
    return sql, [programme_id, f.start, f.end, *wp]


def _activity_where(f: Filters) -> tuple[str, list[Any]]:
    where, params = _place_sql(f, "district_id")
    if f.group:
        where += " AND target_group = %s"
        params.append(f.group)
    return where, params


def sessions_sql(programme_id: int, f: Filters) -> tuple[str, list[Any]]:
    """Activities by day, district and target group: one pass over the covering index
    (programme, date, district, target group) in its own order; the cube and the trend
    are sums over its rows."""
    where, params = _activity_where(f)
    sql = f"""
SELECT date, district_id, target_group, COUNT(*) FROM program_activity
 WHERE programme_id = %s AND date >= %s AND date <= %s{where}
 GROUP BY date, district_id, target_group"""
    return sql, [programme_id, f.start, f.end, *params]


def raw_statements(programme: Programme, f: Filters) -> list[tuple[str, list[Any]]]:
    """The statements over the raw tables (participants and their facts, attendance,
    activities): the indicators' definition, read for periods that are not whole months."""
    n = programme.completion_sessions
    first, last = attendance_span(programme.pk)
    everyone_inside = first is None or (f.start <= first and last <= f.end)
    people = inside_sql if everyone_inside else people_sql
    return [people(programme.pk, n, f), posts_sql(programme.pk, f), youth_trend_sql(programme.pk, f),
            sessions_sql(programme.pk, f)]


def month_aligned(f: Filters) -> bool:
    """The period runs from the first day of a month to the last day of a month."""
    return f.start.day == 1 and (f.end + dt.timedelta(days=1)).day == 1 and f.start <= f.end


def _summary_where(f: Filters) -> tuple[str, list[Any]]:
    sql, params = _place_sql(f, "district_id")
    if f.group:
        sql += ' AND "group" = %s'
        params.append(f.group)
    return sql, params


SUMMARY_COLUMNS = 'sex, "group", district_id, band'


def summary_statements(programme: Programme, f: Filters) -> list[tuple[str, list[Any]]]:
    """The same four statements over the monthly summaries (``ruta.program.summaries``), for
    whole months: the first three return the band instead of the age, and months as 202505."""
    a, b = month_number(f.start), month_number(f.end)
    where, wp = _summary_where(f)
    pid = programme.pk
    people = f"""
SELECT {SUMMARY_COLUMNS}, SUM(CASE WHEN kind = 'r' THEN people ELSE 0 END),
       SUM(CASE WHEN kind = 'c' THEN people ELSE 0 END)
  FROM program_reachsummary
 WHERE programme_id = %s AND kind IN ('c', 'r') AND month >= %s AND month <= %s AND lo >= %s AND prev < %s{where}
 GROUP BY {SUMMARY_COLUMNS}"""
    posts = f"""
SELECT {SUMMARY_COLUMNS}, SUM(people), SUM(passes), SUM(pairs), SUM(gain_cents)
  FROM program_reachsummary
 WHERE programme_id = %s AND kind = 'p' AND month >= %s AND month <= %s{where}
 GROUP BY {SUMMARY_COLUMNS}"""
    youth = f"""
SELECT month, SUM(people) FROM program_reachsummary
 WHERE programme_id = %s AND kind = 'r' AND month >= %s AND month <= %s AND prev = 0 AND band <> ''{where}
 GROUP BY month"""
    return [(people, [pid, a, b, a, a, *wp]), (posts, [pid, a, b, *wp]), (youth, [pid, a, b, *wp]),
            sessions_sql(pid, f)]


def uses_summaries(programme: Programme, f: Filters) -> bool:
    return month_aligned(f) and summaries.ready(programme.pk)


def statements(programme: Programme, f: Filters) -> list[tuple[str, list[Any]]]:
    """Every statement the indicators run, in order (the benchmark times them bare): over the
    monthly summaries for whole months when they are up to date, else over the raw tables."""
    if uses_summaries(programme, f):
        return summary_statements(programme, f)
    return raw_statements(programme, f)


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _num(value: Any) -> float:
    return 0.0 if value is None else float(value)


def build_cubes(programme: Programme, f: Filters) -> Cubes:
    summarised = uses_summaries(programme, f)
    made = summary_statements(programme, f) if summarised else raw_statements(programme, f)
    return cubes_from(*(_rows(sql, params) for sql, params in made), summarised=summarised)


def _month_text(month: int) -> str:
    return f"{month // 100:04d}-{month % 100:02d}"


def cubes_from(reach: list[tuple[Any, ...]], posts: list[tuple[Any, ...]], youth: list[tuple[Any, ...]],
               sessions: list[tuple[Any, ...]], *, summarised: bool = False) -> Cubes:
    """The cubes from the rows of :func:`raw_statements` or of :func:`summary_statements`
    (``summarised``: bands instead of ages, gains in hundredths, months instead of days)."""
    band = (lambda v: str(v)) if summarised else age_band
    people: dict[tuple[str, str, str, str], list[float]] = {}
    for sex, grp, district, first_age, reached, completed in reach:
        acc = people.setdefault((sex, grp, district, band(first_age)), [0, 0, 0, 0, 0, 0.0])
        acc[0] += int(reached or 0)
        acc[1] += int(completed or 0)
    for sex, grp, district, first_age, n, passes, pairs, gain in posts:
        acc = people.setdefault((sex, grp, district, band(first_age)), [0, 0, 0, 0, 0, 0.0])
        acc[2] += int(n or 0)
        acc[3] += int(passes or 0)
        acc[4] += int(pairs or 0)
        acc[5] += int(gain or 0) if summarised else _num(gain)  # summaries: hundredths, summed exactly
    cubes = Cubes()
    for (sex, grp, district, b), (reached, completed, n, passes, pairs, gain) in people.items():
        if reached or n:
            cubes.people.append(PeopleCell(sex, grp, b, district, int(reached), int(completed), int(n),
                                           int(passes), int(pairs), gain / 100 if summarised else float(gain)))
    if summarised:
        youth = [(_month_text(int(m)), n) for m, n in youth]
    month_of: dict[Any, str] = {}  # thousands of rows, a few hundred days
    for day, n in youth:
        m = month_of.get(day) or month_of.setdefault(day, _month(day))
        cubes.youth_by_month[m] = cubes.youth_by_month.get(m, 0) + int(n)
    by_place: dict[tuple[str, str], int] = {}
    for day, district, grp, n in sessions:
        by_place[(grp, district)] = by_place.get((grp, district), 0) + int(n)
        m = month_of.get(day) or month_of.setdefault(day, _month(day))
        cubes.sessions_by_month[m] = cubes.sessions_by_month.get(m, 0) + int(n)
    cubes.sessions = [SessionCell(grp, district, n) for (grp, district), n in by_place.items()]
    return cubes


# --- Reading the cubes ------------------------------------------------------------------------

SEXES = [s.value for s in Sex]
BANDS = [b.value for b in AgeBand]


def months_between(start: dt.date, end: dt.date) -> list[str]:
    months = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def youth_reached_by_month(cubes: Cubes, months: list[str]) -> list[int]:
    """New young people reached per month: those whose first attendance fell in it."""
    return [cubes.youth_by_month.get(m, 0) for m in months]


def sessions_by_month(cubes: Cubes, months: list[str]) -> list[int]:
    return [cubes.sessions_by_month.get(m, 0) for m in months]


def districts_in(cubes: Cubes) -> list[str]:
    return sorted({c.district for c in cubes.people} | {c.district for c in cubes.sessions})


def compute(programme: Programme, f: Filters | None = None) -> dict[str, Value]:
    """Every indicator for the whole selection (a convenience for tests and the API)."""
    cubes = build_cubes(programme, f or Filters.for_programme(programme))
    return {code: ind.value(cubes) for code, ind in REGISTRY.items()}
