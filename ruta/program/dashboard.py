"""What the dashboard shows, built from the indicator cubes: headline values with their
definitions, progress to targets, disaggregations, the monthly trend and the table by
district. With ``suppress`` (donors, and every role that is not shown exact counts) the page
stands at the last closed month, in whole months, and publishes its counts of people from
the one protected set the donor report publishes too (``ruta.program.disclosure``): a count
of 1 to 4 shows "<5", a figure that would let a reader work it out from any table of the
page or of the donor report for the period shows "x", zero shows 0; shares and means resting
on fewer than 10 people (``suppression.MIN_BASE``) are withheld ("—")."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.geo.models import District
from ruta.lib import numbers, suppression
from ruta.program.disclosure import NEW_YOUTH, PeopleFigures, closed_period, counts_people, figure
from ruta.program.indicators import (
    BANDS,
    REGISTRY,
    SEXES,
    Cubes,
    Filters,
    Indicator,
    Slice,
    Value,
    build_cubes,
    districts_in,
    months_between,
    sessions_by_month,
    youth_reached_by_month,
)
from ruta.program.models import ADULT_GROUPS, AgeBand, Participant, Programme, Sex, StakeholderGroup, Target
from ruta.program.progress import Assessment, assess, headline_first, parse_plan

WITHHELD = "—"


def _fmt(value: float | int | None, kind: str) -> str:
    if value is None:
        return WITHHELD
    if kind == "count":
        return numbers.count(value)
    return numbers.decimal(value, 1)


def _count_text(value: int | suppression.Shown | None) -> str:
    if isinstance(value, suppression.Shown):
        return str(value) if value.value is None else numbers.count(value.value)
    return suppression.PRIMARY if value is None else numbers.count(value)


def _where(where: Slice) -> dict[str, str]:
    return {d: getattr(where, d) for d in ("sex", "age_band", "group", "province", "district") if getattr(where, d)}


def value_text(ind: Indicator, v: Value, people: PeopleFigures | None, where: Slice | None = None) -> str:
    """An indicator's value as published: with ``people`` (the protected set), a count of people
    as the set shows it and a share or mean only from 10 persons."""
    suppress = people is not None
    if ind.kind == "count":
        if people is not None and counts_people(ind):
            return _count_text(people[figure(ind.code, **_where(where or Slice()))])
        return _count_text(int(v.value or 0))
    if v.value is None:
        return WITHHELD
    if suppress and v.base < suppression.MIN_BASE:  # no share or mean from fewer than 10 persons
        return WITHHELD
    return _fmt(v.value, ind.kind)


@dataclass
class TableData:
    caption: str
    columns: list[str]
    rows: list[tuple[str, list[str]]]
    total_label: str = ""
    totals: list[str] = field(default_factory=list)
    row_label: str = ""


def _table(caption: str, row_labels: list[str], col_labels: list[str], cells: list[list[Any]],
           row_totals: list[Any], col_totals: list[Any], total: Any) -> TableData:
    rows = [(label, [*map(_count_text, r), _count_text(rt)])
            for label, r, rt in zip(row_labels, cells, row_totals, strict=True)]
    return TableData(caption, [*col_labels, _("Total")], rows, _("Total"),
                     [*map(_count_text, col_totals), _count_text(total)])


def _cube_table(ind: Indicator, cubes: Cubes, caption: str, rows: list[tuple[str, str]], row_dim: str,
                cols: list[tuple[str, str]], col_dim: str, people: PeopleFigures | None) -> TableData:
    """Exact counts, or with ``people`` the figures of the protected set, each under its name."""
    cells: list[list[Any]]
    if people is None:
        cells = [[int(ind.value(cubes, Slice(**{row_dim: r, col_dim: c})).value or 0) for c, _l in cols]
                 for r, _label in rows]
        row_totals: list[Any] = [sum(r) for r in cells]
        col_totals: list[Any] = [sum(c) for c in zip(*cells, strict=True)] if cells else [0] * len(cols)
        total: Any = sum(row_totals)
    else:
        code = ind.code
        cells = [[people[figure(code, **{row_dim: r, col_dim: c})] for c, _l in cols] for r, _label in rows]
        row_totals = [people[figure(code, **{row_dim: r})] for r, _label in rows]
        col_totals = [people[figure(code, **{col_dim: c})] for c, _l in cols]
        total = people[figure(code)]
    table = _table(caption, [label for _r, label in rows], [label for _c, label in cols], cells,
                   row_totals, col_totals, total)
    table.row_label = str(_("Age band") if row_dim == "age_band" else _("Stakeholder group"))
    return table


def slice_label(target: Target) -> str:
    parts: list[Any] = []
    if target.sex:
        parts.append(Sex(target.sex).label)
    if target.age_band:
        parts.append(AgeBand(target.age_band).label)
    if target.group:
        parts.append(StakeholderGroup(target.group).label)
    if target.province_id:
        parts.append(target.province.name if target.province else target.province_id)
    return " · ".join(str(p) for p in parts) or _("All")


def build(programme: Programme, filters: Filters, *, suppress: bool) -> dict[str, Any]:
    people: PeopleFigures | None = None
    if suppress:  # donor figures: whole months, up to the last closed month
        start, end = closed_period(filters.start, filters.end, timezone.localdate())
        filters = dataclasses.replace(filters, start=start, end=end)
    cubes = build_cubes(programme, filters)
    months = months_between(filters.start, filters.end)
    if suppress:
        from ruta.program.disclosure import people_figures

        people = people_figures(cubes, months, Target.objects.filter(programme=programme))
    values = {code: ind.value(cubes) for code, ind in REGISTRY.items()}

    targets = target_progress(programme, cubes, filters, people=people)
    overall = {r["indicator"].code: r for r in targets if r["overall"]}

    headline = []
    for code, ind in REGISTRY.items():
        v = values[code]
        shown = value_text(ind, v, people)
        target_row = overall.get(code)
        headline.append({
            "code": code, "name": ind.name, "definition": ind.definition, "unit": ind.unit, "value": shown,
            "target": target_row["target"] if target_row else "",
            "percent": target_row["percent"] if target_row else None,
            "percent_text": target_row["percent_text"] if target_row else "",
            "bar": target_row["bar"] if target_row else 0,
            "check": target_row["check"] if target_row else None,
            "expected": target_row["expected"] if target_row else "",
        })
    # The youth, female and male targets lead the page: they are the grant's promise.
    first = [r for r in targets if r["lead"]]

    sexes = [(s, str(Sex(s).label)) for s in SEXES]
    bands = [(b, str(AgeBand(b).label)) for b in BANDS]
    adult_groups = [(str(g), str(StakeholderGroup(g).label)) for g in ADULT_GROUPS]
    tables = [
        _cube_table(REGISTRY["youth_reached"], cubes, _("Young people reached by age band and sex"),
                    bands, "age_band", sexes, "sex", people),
        _cube_table(REGISTRY["youth_completed"], cubes, _("Young people completing by age band and sex"),
                    bands, "age_band", sexes, "sex", people),
        _cube_table(REGISTRY["adults_trained"], cubes, _("Adults trained by group and sex"),
                    adult_groups, "group", sexes, "sex", people),
    ]

    new_youth = youth_reached_by_month(cubes, months)
    sessions = sessions_by_month(cubes, months)
    new_cells: list[Any] = list(new_youth)
    new_shown: list[int | None] = list(new_youth)
    if people is not None:
        new_cells = [people[figure(NEW_YOUTH, month=m)] for m in months]
        new_shown = [c.value for c in new_cells]
    cumulative: list[int] = []
    running = 0
    for n in new_youth:
        running += n
        cumulative.append(running)
    trend = {
        "months": months,
        "rows": [
            # A running total is not published to donors: the months it adds up are.
            {"month": m, "new": _count_text(n), "cumulative": "" if suppress else _count_text(c),
             "sessions": _count_text(s)}
            for m, n, c, s in zip(months, new_cells, cumulative, sessions, strict=True)
        ],
        "new": new_shown, "cumulative": None if suppress else cumulative, "sessions": sessions,
    }

    by_district = _district_table(cubes, people)
    return {"headline": headline, "targets": targets, "first_targets": first, "tables": tables, "trend": trend,
            "districts": by_district, "suppressed": suppress, "filters": filters, "people": people,
            "unknown_sex": None if suppress else _unknown_sex(programme)}


def target_progress(programme: Programme, cubes: Cubes, filters: Filters, *,
                    people: PeopleFigures | None) -> list[dict[str, Any]]:
    """Each target with the value reached, what is expected by now and its status; the youth,
    female and male targets first."""
    targets: list[dict[str, Any]] = []
    today = timezone.localdate()
    order = list(REGISTRY)
    rows = Target.objects.filter(programme=programme).select_related("province").order_by("indicator", "pk")
    for t in sorted(rows, key=lambda t: (*target_order(t, order), t.pk)):
        ind = REGISTRY.get(t.indicator)
        if ind is None:
            continue
        where = Slice(sex=t.sex, age_band=t.age_band, group=t.group, province=t.province_id or "")
        v = ind.value(cubes, where)
        hidden = people is not None and counts_people(ind) and people[figure(ind.code, **_where(where))].hidden
        hidden = hidden or (people is not None and ind.kind != "count" and v.base < suppression.MIN_BASE)
        percent = None
        if v.value is not None and t.value and not hidden:
            percent = round(100 * float(v.value) / float(t.value))
        check = target_assessment(programme, t, ind, v.value, hidden=hidden, today=today,
                                  window=(filters.start, filters.end))
        row = {
            "pk": t.pk, "value": t.value, "plan": t.plan,
            "indicator": ind, "slice": slice_label(t), "actual": value_text(ind, v, people, where),
            "target": _fmt(float(t.value) if ind.kind != "count" else int(t.value), ind.kind),
            "percent": percent, "percent_text": numbers.percent(percent) if percent is not None else WITHHELD,
            "bar": min(percent or 0, 100), "check": check,
            "expected": _fmt(float(check.expected), ind.kind) if check else WITHHELD,
        }
        row["lead"] = target_order(t, order)[0] == 0
        row["overall"] = not (t.sex or t.age_band or t.group or t.province_id)
        targets.append(row)
    return targets



def target_order(t: Target, order: list[str]) -> tuple[int, int]:
    """The youth, female and male targets first, then by indicator (``progress.headline_first``)."""
    return headline_first(t.indicator, t.sex, bool(t.age_band or t.group or t.province_id), order)


def target_assessment(programme: Programme, t: Target, ind: Indicator, reached: Decimal | float | None, *,
                      hidden: bool, today: Any, window: tuple[Any, Any] | None = None) -> Assessment | None:
    """Expected by now and the status of one target (``progress.assess``); None when its value is hidden."""
    if hidden or reached is None:
        return None
    return assess(reached, t.value, starts_on=programme.starts_on, ends_on=programme.ends_on, today=today,
                  cumulative=ind.kind == "count", window=window, plan=parse_plan(t.plan))


def _unknown_sex(programme: Programme) -> int:
    """Participants whose sex was not recorded: a data-quality figure (they count in no sex target)."""
    return Participant.objects.filter(programme=programme, merged_into__isnull=True, sex=Sex.UNKNOWN).count()


def _district_table(cubes: Cubes, people: PeopleFigures | None) -> dict[str, Any]:
    codes = districts_in(cubes)
    names = dict(District.objects.filter(code__in=codes).values_list("code", "name"))
    count_inds = [REGISTRY[c] for c in ("youth_reached", "youth_completed", "adults_trained", "sessions_delivered")]
    rate_inds = [REGISTRY[c] for c in ("post_test_pass_share", "mean_knowledge_gain")]
    columns: list[list[str]] = []
    totals: list[str] = []
    youth: list[int | None] = []
    for ind in count_inds:
        if people is not None and counts_people(ind):  # sessions are events, not people
            cells: list[Any] = [people[figure(ind.code, district=code)] for code in codes]
            total: Any = people[figure(ind.code)]
            shown = [c.value for c in cells]
        else:
            cells = [int(ind.value(cubes, Slice(district=code)).value or 0) for code in codes]
            total, shown = sum(cells), list(cells)
        if ind.code == "youth_reached":
            youth = shown
        columns.append([_count_text(v) for v in cells])
        totals.append(_count_text(total))
    for ind in rate_inds:
        columns.append([value_text(ind, ind.value(cubes, Slice(district=code)), people) for code in codes])
        totals.append(value_text(ind, ind.value(cubes), people))
    rows = [{"code": code, "name": names.get(code, code), "cells": [col[i] for col in columns]}
            for i, code in enumerate(codes)]
    return {"columns": [ind.name for ind in [*count_inds, *rate_inds]], "rows": rows, "totals": totals,
            "youth": youth, "names": [names.get(code, code) for code in codes]}
