"""The programme's indicators: a registry in code, each with the definition people read
beside its value, computed at read time from individual records with aggregate SQL.

How it stays fast with 200,000 participants and 2,000,000 attendance rows: three
aggregate queries build small *cubes* (counts by sex × stakeholder group × age band ×
district × month), and every figure on the dashboard (totals, disaggregations, targets,
the table by district, the trend) is a sum over those few hundred cells.

People in a period are found from facts the database keeps on each participant row
(``first_attended_on``, ``last_attended_on``, ``sessions_attended``; triggers in
migration 0002): whoever attended only inside the period counts with all their sessions
straight from a covering index; only people whose attendance straddles a boundary of the
period have their sessions in it counted from the attendance rows (index
``participant, date``). Nothing is cached between requests.

Conventions every definition shares:
- A person is *reached in a period* with at least one attendance dated in it.
- Age is the age at the person's first attendance in the programme (completed years;
  estimated from the age at registration when no birth date was given).
- Province and district filters use the participant's district for people, and the
  activity's district for sessions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ruta.program.models import ADULT_GROUPS, AgeBand, Programme, Sex, StakeholderGroup

PASS_PERCENT = 70


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

    def matches(self, cell: Any) -> bool:
        return (
            (not self.sex or getattr(cell, "sex", None) == self.sex)
            and (not self.age_band or getattr(cell, "band", None) == self.age_band)
            and (not self.group or cell.group == self.group)
            and (not self.province or cell.district[:4] == self.province)
            and (not self.district or cell.district == self.district)
        )


@dataclass(frozen=True)
class PeopleCell:
    sex: str
    group: str
    band: str
    district: str
    month: str  # month of first attendance in the programme, "YYYY-MM"
    reached: int
    completed: int


@dataclass(frozen=True)
class SessionCell:
    group: str
    district: str
    month: str
    sessions: int


@dataclass(frozen=True)
class ResultCell:
    sex: str
    group: str
    band: str
    district: str
    posts: int
    passes: int
    pairs: int
    gain_sum: float


@dataclass
class Cubes:
    people: list[PeopleCell] = field(default_factory=list)
    sessions: list[SessionCell] = field(default_factory=list)
    results: list[ResultCell] = field(default_factory=list)


@dataclass(frozen=True)
class Value:
    """An indicator's value in one slice. ``base`` is the number of people (or results)
    it rests on: suppression looks at it for shares and means."""

    value: float | None
    base: int

    @property
    def is_count(self) -> bool:
        return isinstance(self.value, int)


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


def _youth(c: PeopleCell) -> bool:
    return c.band != ""


def _sum(cells: Iterable[Any], attr: str) -> int:
    return sum(getattr(c, attr) for c in cells)


def _youth_reached(cubes: Cubes, where: Slice) -> Value:
    n = _sum((c for c in cubes.people if _youth(c) and where.matches(c)), "reached")
    return Value(n, n)


def _youth_completed(cubes: Cubes, where: Slice) -> Value:
    n = _sum((c for c in cubes.people if _youth(c) and where.matches(c)), "completed")
    return Value(n, n)


def _adults_trained(cubes: Cubes, where: Slice) -> Value:
    n = _sum((c for c in cubes.people if c.group in ADULT_GROUPS and where.matches(c)), "reached")
    return Value(n, n)


def _sessions(cubes: Cubes, where: Slice) -> Value:
    n = _sum((c for c in cubes.sessions if where.matches(c)), "sessions")
    return Value(n, n)


def _pass_share(cubes: Cubes, where: Slice) -> Value:
    cells = [c for c in cubes.results if where.matches(c)]
    posts = _sum(cells, "posts")
    if not posts:
        return Value(None, 0)
    return Value(round(100 * _sum(cells, "passes") / posts, 1), posts)


def _mean_gain(cubes: Cubes, where: Slice) -> Value:
    cells = [c for c in cubes.results if where.matches(c)]
    pairs = _sum(cells, "pairs")
    if not pairs:
        return Value(None, 0)
    return Value(round(sum(c.gain_sum for c in cells) / pairs, 1), pairs)


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
            _("Of the post-tests taken in the period (one per participant and test), the share that "
              "scored at least 70 % of the items correct."),
            _("%"), "share", PEOPLE_DIMENSIONS, _pass_share,
        ),
        Indicator(
            "mean_knowledge_gain", _("Mean knowledge gain"),
            _("For each participant with both a pre-test and a post-test of the same test, post-test "
              "score minus pre-test score, in percentage points; the mean over all such pairs whose "
              "post-test was taken in the period."),
            _("percentage points"), "mean", PEOPLE_DIMENSIONS, _mean_gain,
        ),
    ]
}


# --- SQL -------------------------------------------------------------------------------------

def _ymd(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(to_char({column}, 'YYYYMMDD') AS INTEGER)"
    return f"CAST(REPLACE({column}, '-', '') AS INTEGER)"


def _month(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"to_char({column}, 'YYYY-MM')"
    return f"substr({column}, 1, 7)"


def age_band_sql(at: str, birth: str) -> str:
    age = f"(({_ymd(at)} - {_ymd(birth)}) / 10000)"
    return (
        f"CASE WHEN {age} BETWEEN 10 AND 14 THEN '10-14' WHEN {age} BETWEEN 15 AND 19 THEN '15-19' "
        f"WHEN {age} BETWEEN 20 AND 24 THEN '20-24' ELSE '' END"
    )


def _place_sql(f: Filters, column: str) -> tuple[str, list[Any]]:
    if f.district:
        return f" AND {column} = %s", [f.district]
    if f.province:
        return f" AND {column} BETWEEN %s AND %s", [f.province + "00", f.province + "99"]
    return "", []


def _people_where(f: Filters) -> tuple[str, list[Any]]:
    sql, params = _place_sql(f, "p.district_id")
    if f.group:
        sql += ' AND p."group" = %s'
        params.append(f.group)
    return sql, params


def people_sql(programme_id: int, threshold: int, f: Filters) -> tuple[str, list[Any]]:
    where, wp = _people_where(f)
    cols = (
        f'p.sex AS sex, p."group" AS grp, p.district_id AS district, '
        f"{age_band_sql('p.first_attended_on', 'p.birth_date')} AS band, "
        f"{_month('p.first_attended_on')} AS month"
    )
    in_period = (
        "(SELECT COUNT(*) FROM program_attendance a"
        " WHERE a.participant_id = p.id AND a.date >= %s AND a.date <= %s)"
    )
    sql = f"""
SELECT sex, grp, band, district, month,
       SUM(CASE WHEN n > 0 THEN 1 ELSE 0 END), SUM(CASE WHEN n >= %s THEN 1 ELSE 0 END)
FROM (
  SELECT {cols}, p.sessions_attended AS n FROM program_participant p
   WHERE p.programme_id = %s AND p.first_attended_on >= %s AND p.first_attended_on <= %s
     AND p.last_attended_on <= %s{where}
  UNION ALL
  SELECT {cols}, {in_period} AS n FROM program_participant p
   WHERE p.programme_id = %s AND p.first_attended_on < %s AND p.last_attended_on >= %s{where}
  UNION ALL
  SELECT {cols}, {in_period} AS n FROM program_participant p
   WHERE p.programme_id = %s AND p.last_attended_on > %s
     AND p.first_attended_on >= %s AND p.first_attended_on <= %s{where}
) s
GROUP BY sex, grp, band, district, month"""
    s, e = f.start, f.end
    params = [threshold, programme_id, s, e, e, *wp, s, e, programme_id, s, s, *wp, s, e, programme_id, e, s, e, *wp]
    return sql, params


def sessions_sql(programme_id: int, f: Filters) -> tuple[str, list[Any]]:
    where, params = _place_sql(f, "district_id")
    if f.group:
        where += " AND target_group = %s"
        params.append(f.group)
    sql = f"""
SELECT target_group, district_id, {_month('date')} AS month, COUNT(*) FROM program_activity
 WHERE programme_id = %s AND date >= %s AND date <= %s{where}
 GROUP BY target_group, district_id, month"""
    return sql, [programme_id, f.start, f.end, *params]


def results_sql(programme_id: int, f: Filters) -> tuple[str, list[Any]]:
    where, wp = _people_where(f)
    band = age_band_sql("p.first_attended_on", "p.birth_date")
    sql = f"""
SELECT p.sex, p."group", {band} AS band, p.district_id,
       COUNT(*), SUM(CASE WHEN r.score_percent >= %s THEN 1 ELSE 0 END),
       COUNT(pre.id), SUM(r.score_percent - pre.score_percent)
  FROM program_assessmentresult r
  JOIN program_participant p ON p.id = r.participant_id
  LEFT JOIN program_assessmentresult pre
    ON pre.participant_id = r.participant_id AND pre.instrument_code = r.instrument_code AND pre.phase = 'pre'
 WHERE r.programme_id = %s AND r.phase = 'post' AND r.taken_on >= %s AND r.taken_on <= %s{where}
 GROUP BY p.sex, p."group", band, p.district_id"""
    return sql, [PASS_PERCENT, programme_id, f.start, f.end, *wp]


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _num(value: Any) -> float:
    if value is None:
        return 0.0
    return float(value) if not isinstance(value, Decimal) else float(value)


def build_cubes(programme: Programme, f: Filters) -> Cubes:
    cubes = Cubes()
    for sex, grp, band, district, month, reached, completed in _rows(
        *people_sql(programme.pk, programme.completion_sessions, f)
    ):
        if reached:
            cubes.people.append(PeopleCell(sex, grp, band, district, month, int(reached), int(completed or 0)))
    for grp, district, month, n in _rows(*sessions_sql(programme.pk, f)):
        cubes.sessions.append(SessionCell(grp, district, month, int(n)))
    for sex, grp, band, district, posts, passes, pairs, gain in _rows(*results_sql(programme.pk, f)):
        cubes.results.append(ResultCell(sex, grp, band, district, int(posts), int(passes or 0), int(pairs),
                                        _num(gain)))
    return cubes


# --- Reading the cubes ------------------------------------------------------------------------

SEXES = [s.value for s in Sex]
BANDS = [b.value for b in AgeBand]
GROUPS = [g.value for g in StakeholderGroup]


def months_between(start: dt.date, end: dt.date) -> list[str]:
    months = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def youth_reached_by_month(cubes: Cubes, months: list[str]) -> list[int]:
    """New young people reached per month: those whose first attendance fell in it."""
    by_month: dict[str, int] = {}
    for c in cubes.people:
        if _youth(c):
            by_month[c.month] = by_month.get(c.month, 0) + c.reached
    return [by_month.get(m, 0) for m in months]


def sessions_by_month(cubes: Cubes, months: list[str]) -> list[int]:
    by_month: dict[str, int] = {}
    for c in cubes.sessions:
        by_month[c.month] = by_month.get(c.month, 0) + c.sessions
    return [by_month.get(m, 0) for m in months]


def districts_in(cubes: Cubes) -> list[str]:
    return sorted({c.district for c in cubes.people} | {c.district for c in cubes.sessions}
                  | {c.district for c in cubes.results})


def compute(programme: Programme, f: Filters | None = None) -> dict[str, Value]:
    """Every indicator for the whole selection (a convenience for tests and the API)."""
    cubes = build_cubes(programme, f or Filters.for_programme(programme))
    return {code: ind.value(cubes) for code, ind in REGISTRY.items()}
