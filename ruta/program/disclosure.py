"""The counts of people a donor sees for one period, protected as one set.

The donor's dashboard and the donor report publish the same programme figures for the same
period: the totals, the lines by sex, age band, group, province and district, the tables
young people (reached, completing) by sex × age band, adults by group × sex, young people by
district × sex, new young people by month, the targets' slices and the people with a pre- and
post-test. They share their totals, so they are protected together
(``ruta.lib.suppression.protect_set``), once: every figure has one name (:func:`figure`), the
same name in every table and on both publications, and shows the same everywhere. A page
publishes a part of the set, which tells a reader less than the whole set, and the whole set
is what the disclosure tests attack.

Donor figures stand at the last closed month, in whole months (:func:`closed_period`), so
two periods a donor can ask for never differ by one day's reach.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ruta.lib import suppression
from ruta.program.indicators import (
    BANDS,
    REGISTRY,
    SEXES,
    Cubes,
    Indicator,
    Slice,
    districts_in,
    youth_reached_by_month,
)
from ruta.program.models import ADULT_GROUPS, StakeholderGroup, Target

Name = tuple[object, ...]
YOUTH, COMPLETED, ADULTS = "youth_reached", "youth_completed", "adults_trained"
NEW_YOUTH = "youth_new"  # new young people by month (first attendance)
PAIRS = "pairs"  # people with a pre- and a post-test of the same test, young people and adult groups


def figure(code: str, **where: str) -> Name:
    """The one name of a published figure: the indicator and the slice it counts."""
    return (code, *sorted(where.items()))


def counts_people(indicator: Indicator) -> bool:
    """Counts of people are protected; counts of sessions (no one behind them) are not.
    People indicators are the ones that can be split by sex."""
    return indicator.kind == "count" and "sex" in indicator.dimensions


def closed_period(start: dt.date, end: dt.date, today: dt.date) -> tuple[dt.date, dt.date]:
    """The period a donor's figures cover: whole months, from the first day of ``start``'s
    month to the last day of ``end``'s month, and no later than the last closed month
    (``suppression.last_closed_month``). Empty (end before start) when no month of it has closed."""
    end_of_month = suppression.last_closed_month(end.replace(day=28) + dt.timedelta(days=4))
    return start.replace(day=1), min(end_of_month, suppression.last_closed_month(today))


@dataclass(frozen=True)
class PeopleFigures:
    """The protected set: each figure by name, and the parts with their protection (for the tests)."""

    shown: dict[object, suppression.Shown]  # by name (:func:`figure`)
    parts: list[suppression.SetPart]
    tables: list[suppression.ProtectedTable]

    def __getitem__(self, name: Name) -> suppression.Shown:
        return self.shown[name]


class _Set:
    def __init__(self) -> None:
        self.parts: list[suppression.SetPart] = []
        self.values: dict[Name, int] = {}

    def name(self, name: Name, value: int) -> Name | None:
        """``name`` when the figure agrees with the one already published under it, else ``None``
        (published apart: only figures that truly are the same are linked)."""
        return name if self.values.setdefault(name, value) == value else None

    def add(self, cells: list[list[int]], names: dict[tuple[int, int], Name]) -> None:
        n_c = len(cells[0])
        grid = [[*r, sum(r)] for r in cells] + [[*(sum(r[j] for r in cells) for j in range(n_c)), sum(map(sum, cells))]]
        kept = {k: n for k, v in names.items() if (n := self.name(v, grid[k[0]][k[1]])) is not None}
        self.parts.append(suppression.SetPart(cells, dict(kept)))

    def line(self, cells: list[int], total: Name | None, names: Sequence[Name | None]) -> None:
        named: dict[tuple[int, int], Name] = {(0, j): n for j, n in enumerate(names) if n is not None}
        if total is not None:
            named[(0, len(cells))] = total
        self.add([list(cells)], named)

    def table(self, code: str, cells: list[list[int]], rows: tuple[str, Sequence[str]],
              columns: tuple[str, Sequence[str]]) -> None:
        (row_dim, row_values), (col_dim, col_values) = rows, columns
        n_r, n_c = len(row_values), len(col_values)
        named: dict[tuple[int, int], Name] = {(n_r, n_c): figure(code)}
        for i, r in enumerate(row_values):
            named[(i, n_c)] = figure(code, **{row_dim: r})
            for j, c in enumerate(col_values):
                named[(i, j)] = figure(code, **{row_dim: r, col_dim: c})
        for j, c in enumerate(col_values):
            named[(n_r, j)] = figure(code, **{col_dim: c})
        self.add(cells, named)


def _count(cubes: Cubes, code: str, **where: str) -> int:
    return int(REGISTRY[code].value(cubes, Slice(**where)).value or 0)


def _target_slices(targets: Iterable[Target]) -> list[tuple[str, dict[str, str]]]:
    out = []
    for t in targets:
        where = {d: v for d, v in (("sex", t.sex), ("age_band", t.age_band), ("group", t.group),
                                   ("province", t.province_id or "")) if v}
        indicator = REGISTRY.get(t.indicator)
        if indicator is not None and counts_people(indicator) and where:
            out.append((t.indicator, where))
    return out


def people_figures(cubes: Cubes, months: list[str], targets: Iterable[Target] = ()) -> PeopleFigures:
    """Every count of people a donor can see for the period of ``cubes``, protected as one set."""
    codes = districts_in(cubes)
    provinces = sorted({c[:4] for c in codes})
    values: dict[str, Sequence[str]] = {"sex": SEXES, "age_band": BANDS, "group": [g.value for g in StakeholderGroup],
                                        "province": provinces, "district": codes}
    s = _Set()
    for code, indicator in REGISTRY.items():
        if not counts_people(indicator):
            continue
        dims = [d for d in values if d in indicator.dimensions and values[d]]
        for dim in dims:
            s.line([_count(cubes, code, **{dim: v}) for v in values[dim]], figure(code),
                   [figure(code, **{dim: v}) for v in values[dim]])
        if not dims:
            s.line([_count(cubes, code)], figure(code), [None])
        if "province" in dims:  # a province's people are its districts' people
            for p in provinces:
                inside = [d for d in codes if d.startswith(p)]
                s.line([_count(cubes, code, district=d) for d in inside], figure(code, province=p),
                       [figure(code, district=d) for d in inside])
    adult_groups = [g.value for g in ADULT_GROUPS]
    for code in (YOUTH, COMPLETED):
        s.table(code, [[_count(cubes, code, sex=x, age_band=b) for b in BANDS] for x in SEXES],
                ("sex", SEXES), ("age_band", BANDS))
    s.table(ADULTS, [[_count(cubes, ADULTS, group=g, sex=x) for x in SEXES] for g in adult_groups],
            ("group", adult_groups), ("sex", SEXES))
    if codes:
        s.table(YOUTH, [[_count(cubes, YOUTH, district=d, sex=x) for x in SEXES] for d in codes],
                ("district", codes), ("sex", SEXES))
    if months:
        monthly = youth_reached_by_month(cubes, months)
        s.line(list(monthly), figure(YOUTH), [figure(NEW_YOUTH, month=m) for m in months])
    youth_pairs = int(cubes.total("people", ("pairs",), "youth", Slice())[0])
    s.line([youth_pairs], None, [figure(PAIRS, group="youth_10_24")])
    s.line([int(cubes.total("people", ("pairs",), "adult", Slice(group=g))[0]) for g in adult_groups],
           figure(PAIRS, group="adults"), [figure(PAIRS, group=g) for g in adult_groups])
    # A target on a slice no table has (women of one province; a province with no one yet): its
    # cell beside the rest of the first slice (of everyone, for a slice of one dimension).
    for code, where in _target_slices(targets):
        name = figure(code, **where)
        if name in s.values:
            continue
        first = dict([next(iter(where.items()))]) if len(where) > 1 else {}
        value, parent = _count(cubes, code, **where), _count(cubes, code, **first)
        s.line([value, parent - value], figure(code, **first), [name, None])
    tables = suppression.protect_set(s.parts)
    return PeopleFigures(suppression.shown_by_name(s.parts, tables), s.parts, tables)
