"""What the dashboard shows, built from the indicator cubes: headline values with their
definitions, progress to targets, disaggregations, the monthly trend and the table by
district. With ``suppress`` (donors) every published count below 5 becomes "<5", with
complementary cells (``ruta.lib.suppression``), and shares and means resting on fewer
than 5 people are withheld."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ruta.geo.models import District
from ruta.lib import suppression
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
from ruta.program.models import ADULT_GROUPS, AgeBand, Programme, Sex, StakeholderGroup, Target

WITHHELD = "—"


def _fmt(value: float | int | None, kind: str) -> str:
    if value is None:
        return WITHHELD
    if kind == "count":
        return number_format(int(value), force_grouping=True)
    return number_format(value, decimal_pos=1)


def _count_text(value: int | suppression.Shown | None) -> str:
    if isinstance(value, suppression.Shown):
        return str(value) if value.value is None else number_format(value.value, force_grouping=True)
    return suppression.PRIMARY if value is None else number_format(value, force_grouping=True)


def value_text(ind: Indicator, v: Value, suppress: bool) -> str:
    if ind.kind == "count":
        return _count_text(suppression.protect_count(int(v.value or 0)) if suppress else int(v.value or 0))
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


def _table(caption: str, row_labels: list[str], col_labels: list[str], cells: list[list[int]],
           suppress: bool) -> TableData:
    shown_cells: list[list[Any]]
    row_totals: list[Any]
    col_totals: list[Any]
    total: Any
    if suppress:
        t = suppression.protect_table(cells)
        shown_cells, row_totals, col_totals, total = t.cells, t.row_totals, t.column_totals, t.total
    else:
        shown_cells = [list(r) for r in cells]
        row_totals = [sum(r) for r in cells]
        col_totals = [sum(c) for c in zip(*cells)] if cells else [0] * len(col_labels)
        total = sum(sum(r) for r in cells)
    rows = [(label, [*map(_count_text, r), _count_text(rt)])
            for label, r, rt in zip(row_labels, shown_cells, row_totals)]
    return TableData(caption, [*col_labels, _("Total")], rows, _("Total"),
                     [*map(_count_text, col_totals), _count_text(total)])


def _cube_table(ind: Indicator, cubes: Cubes, caption: str, rows: list[tuple[str, str]], row_dim: str,
                cols: list[tuple[str, str]], col_dim: str, suppress: bool) -> TableData:
    cells = [[int(ind.value(cubes, Slice(**{row_dim: r, col_dim: c})).value or 0) for c, _l in cols]
             for r, _label in rows]
    table = _table(caption, [label for _r, label in rows], [label for _c, label in cols], cells, suppress)
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
    cubes = build_cubes(programme, filters)
    values = {code: ind.value(cubes) for code, ind in REGISTRY.items()}

    targets: list[dict[str, Any]] = []
    overall: dict[str, Decimal] = {}
    for t in Target.objects.filter(programme=programme).select_related("province").order_by("indicator", "pk"):
        ind = REGISTRY.get(t.indicator)
        if ind is None:
            continue
        where = Slice(sex=t.sex, age_band=t.age_band, group=t.group, province=t.province_id or "")
        if not (t.sex or t.age_band or t.group or t.province_id):
            overall[t.indicator] = t.value
        v = ind.value(cubes, where)
        hidden = suppress and ind.kind == "count" and suppression.protect_count(int(v.value or 0)).hidden
        hidden = hidden or (suppress and ind.kind != "count" and v.base < suppression.MIN_BASE)
        percent = None
        if v.value is not None and t.value and not hidden:
            percent = round(100 * float(v.value) / float(t.value))
        targets.append({
            "indicator": ind, "slice": slice_label(t), "actual": value_text(ind, v, suppress),
            "target": _fmt(float(t.value) if ind.kind != "count" else int(t.value), ind.kind),
            "percent": percent, "bar": min(percent or 0, 100),
        })

    order = list(REGISTRY)
    targets.sort(key=lambda t: order.index(t["indicator"].code))
    headline = []
    for code, ind in REGISTRY.items():
        v = values[code]
        target = overall.get(code)
        percent = None
        shown = value_text(ind, v, suppress)
        if target and v.value is not None and shown not in (WITHHELD, suppression.PRIMARY, suppression.COMPLEMENT):
            percent = round(100 * float(v.value) / float(target))
        headline.append({
            "code": code, "name": ind.name, "definition": ind.definition, "unit": ind.unit, "value": shown,
            "target": _fmt(float(target) if ind.kind != "count" else int(target), ind.kind) if target else "",
            "percent": percent, "bar": min(percent or 0, 100),
        })

    sexes = [(s, str(Sex(s).label)) for s in SEXES]
    bands = [(b, str(AgeBand(b).label)) for b in BANDS]
    adult_groups = [(str(g), str(StakeholderGroup(g).label)) for g in ADULT_GROUPS]
    tables = [
        _cube_table(REGISTRY["youth_reached"], cubes, _("Young people reached by age band and sex"),
                    bands, "age_band", sexes, "sex", suppress),
        _cube_table(REGISTRY["youth_completed"], cubes, _("Young people completing by age band and sex"),
                    bands, "age_band", sexes, "sex", suppress),
        _cube_table(REGISTRY["adults_trained"], cubes, _("Adults trained by group and sex"),
                    adult_groups, "group", sexes, "sex", suppress),
    ]

    months = months_between(filters.start, filters.end)
    new_youth = youth_reached_by_month(cubes, months)
    sessions = sessions_by_month(cubes, months)
    if suppress:
        line = suppression.protect_line(new_youth)
        new_cells: list[Any] = line.cells
        new_shown: list[int | None] = [c.value for c in line.cells]
    else:
        new_cells = new_shown = list(new_youth)
    cumulative: list[int] = []
    running = 0
    for n in new_youth:
        running += n
        cumulative.append(running)
    trend = {
        "months": months,
        "rows": [
            {"month": m, "new": _count_text(n), "cumulative": "" if suppress else _count_text(c),
             "sessions": _count_text(s)}
            for m, n, c, s in zip(months, new_cells, cumulative, sessions)
        ],
        "new": new_shown, "cumulative": None if suppress else cumulative, "sessions": sessions,
    }

    by_district = _district_table(cubes, suppress)
    return {"headline": headline, "targets": targets, "tables": tables, "trend": trend,
            "districts": by_district, "suppressed": suppress, "filters": filters}


def _district_table(cubes: Cubes, suppress: bool) -> dict[str, Any]:
    codes = districts_in(cubes)
    names = dict(District.objects.filter(code__in=codes).values_list("code", "name"))
    count_inds = [REGISTRY[c] for c in ("youth_reached", "youth_completed", "adults_trained", "sessions_delivered")]
    rate_inds = [REGISTRY[c] for c in ("post_test_pass_share", "mean_knowledge_gain")]
    columns: list[list[str]] = []
    totals: list[str] = []
    youth: list[int | None] = []
    for ind in count_inds:
        raw = [int(ind.value(cubes, Slice(district=code)).value or 0) for code in codes]
        if suppress and ind.code != "sessions_delivered":  # sessions are events, not people
            line = suppression.protect_line(raw)
            columns.append([_count_text(v) for v in line.cells])
            totals.append(_count_text(line.total))
            if ind.code == "youth_reached":
                youth = [c.value for c in line.cells]
        else:
            if ind.code == "youth_reached":
                youth = list(raw)
            columns.append([_count_text(v) for v in raw])
            totals.append(_count_text(sum(raw)))
    for ind in rate_inds:
        columns.append([value_text(ind, ind.value(cubes, Slice(district=code)), suppress) for code in codes])
        totals.append(value_text(ind, ind.value(cubes), suppress))
    rows = [{"code": code, "name": names.get(code, code), "cells": [col[i] for col in columns]}
            for i, code in enumerate(codes)]
    return {"columns": [ind.name for ind in [*count_inds, *rate_inds]], "rows": rows, "totals": totals,
            "youth": youth, "names": [names.get(code, code) for code in codes]}
