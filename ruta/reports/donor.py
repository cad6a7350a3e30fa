"""What a donor report says: built once, then rendered as HTML (preview), PDF and XLSX.

Every figure comes from :mod:`ruta.program.indicators` (computed at read time from the
individual records), in whole months up to the last closed month, and is published through
the disclosure control: every count of people in the report (targets, tables, the monthly
line, the people trained and tested) comes from the one protected set the donor's dashboard
publishes too (:mod:`ruta.program.disclosure`, ``protect_set``), a count of 1 to 4 shows
"<5", a cell that would let a reader work it out shows "x", zero shows 0. Shares and means
resting on fewer than 10 people or results are not shown either. The programme's own cases
(consented only) follow, up to the last closed month too (:mod:`ruta.stats.programme`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ruta.geo.models import District, Province
from ruta.lib import numbers, suppression
from ruta.program import indicators as ind
from ruta.program.disclosure import (
    ADULTS,
    NEW_YOUTH,
    PAIRS,
    YOUTH,
    PeopleFigures,
    closed_period,
    counts_people,
    figure,
    people_figures,
)
from ruta.program.models import ADULT_GROUPS, AgeBand, Programme, Sex, StakeholderGroup, Target
from ruta.program.progress import Assessment, assess, headline_first, parse_plan
from ruta.reports.models import DonorNarrative

MIN = suppression.MINIMUM

SUPPRESSION_NOTE = gettext_lazy(
    "Counts of 1 to 4 people are shown as “<5” to protect the people behind them; a cell from which such "
    "a count could be worked out (by subtraction, from this table or another in the report) is shown as "
    "“x”; zero is shown as 0. Shares and means resting on fewer than 10 people or results are not shown. "
    "Totals therefore may not add up to the cells shown. Figures are computed from individual records when "
    "the report is produced."
)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

    @property
    def slug(self) -> str:
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"


class PeriodError(ValueError):
    pass


def parse_period(programme: Programme, start: str | None, end: str | None) -> Period:
    """The period asked for in the query string; the programme's whole period by default."""
    try:
        first = dt.date.fromisoformat(start) if start else programme.starts_on
        last = dt.date.fromisoformat(end) if end else programme.ends_on
    except ValueError:
        raise PeriodError(_("Dates are written as 2025-03-31.")) from None
    if not (programme.starts_on <= first <= programme.ends_on and programme.starts_on <= last <= programme.ends_on):
        raise PeriodError(_("The period must fall within the programme's ({start} – {end}).").format(
            start=programme.starts_on.isoformat(), end=programme.ends_on.isoformat()))
    if last < first:
        raise PeriodError(_("The period ends before it starts."))
    return Period(first, last)


def quarters(programme: Programme) -> list[Period]:
    """Calendar quarters overlapping the programme, clipped to it, plus the whole period."""
    out = []
    y, q = programme.starts_on.year, (programme.starts_on.month - 1) // 3
    while True:
        start = dt.date(y, 3 * q + 1, 1)
        if start > programme.ends_on:
            break
        end = (dt.date(y + (q == 3), (3 * q + 3) % 12 + 1, 1)) - dt.timedelta(days=1)
        out.append(Period(max(start, programme.starts_on), min(end, programme.ends_on)))
        y, q = (y + 1, 0) if q == 3 else (y, q + 1)
    out.append(Period(programme.starts_on, programme.ends_on))
    return out


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: Promise
    definition: Promise
    unit: Promise
    value: str  # as published: a number, "<5", or "—"
    raw: float | None  # the published number, None when hidden


@dataclass(frozen=True)
class TargetRow:
    indicator: str
    name: Promise
    slice_label: str
    target: Decimal
    actual: str
    actual_raw: float | None
    progress: int | None  # percent of target, None when hidden
    expected: str = "—"  # expected by the end of the report's period (or today), as published
    check: Assessment | None = None  # on track / behind / at risk (ruta.program.progress); None when hidden

    @property
    def progress_text(self) -> str:
        return numbers.percent(self.progress) if self.progress is not None else "—"


@dataclass(frozen=True)
class CrossTable:
    title: str
    row_label: str
    columns: list[str]
    rows: list[tuple[str, list[str], str]]  # label, cells, row total
    totals: list[str]
    total: str
    totals_shown: bool = True  # False: a table of figures side by side, no total column or row


@dataclass
class DonorReport:
    programme: Programme
    period: Period
    narrative: DonorNarrative | None
    generated_at: dt.datetime
    indicators: list[IndicatorRow] = field(default_factory=list)
    targets: list[TargetRow] = field(default_factory=list)
    tables: list[CrossTable] = field(default_factory=list)
    months: list[str] = field(default_factory=list)
    youth_by_month: list[int | None] = field(default_factory=list)
    youth_by_month_shown: list[str] = field(default_factory=list)  # as published: a number, "<5" or "x"
    district_codes: list[str] = field(default_factory=list)  # the rows of the table by district
    # The set of counts of people behind the report and its protection (for the disclosure tests).
    people_set: tuple[list[Any], list[Any]] = field(default_factory=lambda: ([], []))
    sessions_by_month: list[int] = field(default_factory=list)
    note: Promise = SUPPRESSION_NOTE
    case_note: Promise | None = None
    figures_period: Period | None = None  # the period the figures cover: whole months, up to the last closed one

    @property
    def minimum(self) -> int:
        return MIN

    @property
    def figures_label(self) -> str:
        """The period the programme's figures cover (whole months, up to the last closed one)."""
        closed = self.figures_period
        if closed is None or closed.end < closed.start:
            return str(_("No month of this period has closed yet."))
        return closed.label


def _fmt(value: float | None) -> str:
    """As the screens write numbers (ruta.lib.numbers): ``1 250`` and ``12,5`` in Spanish."""
    if value is None:
        return f"<{MIN}"
    if isinstance(value, float) and not value.is_integer():
        return numbers.decimal(value, 1)
    return numbers.count(int(value))


def _text(shown: suppression.Shown) -> str:
    return str(shown) if shown.hidden else _fmt(shown.value)


def _published(indicator: ind.Indicator, value: ind.Value, people: PeopleFigures,
               where: dict[str, str] | None = None) -> tuple[str, float | None]:
    if indicator.kind == "count" and not counts_people(indicator):
        count = int(value.value or 0)
        return _fmt(count), count
    if indicator.kind == "count":
        shown = people[figure(indicator.code, **(where or {}))]
        return _text(shown), shown.value
    if value.value is None:
        return "—", None
    if value.base < suppression.MIN_BASE:
        return f"n<{suppression.MIN_BASE}", None
    return _fmt(float(value.value)), float(value.value)


def _labels(choices: Any) -> dict[str, str]:
    return {str(v): str(label) for v, label in choices.choices}


def _slice_of(target: Target) -> ind.Slice:
    return ind.Slice(sex=target.sex, age_band=target.age_band, group=target.group,
                     province=target.province_id or "")


def _slice_label(target: Target) -> str:
    parts = []
    if target.sex:
        parts.append(_labels(Sex).get(target.sex, target.sex))
    if target.age_band:
        parts.append(target.age_band)
    if target.group:
        parts.append(_labels(StakeholderGroup).get(target.group, target.group))
    if target.province_id:
        parts.append(str(target.province))
    return " · ".join(parts) or _("All")


def _target_rows(programme: Programme, cubes: ind.Cubes, people: PeopleFigures,
                 period: Period | None = None) -> list[TargetRow]:
    order = list(ind.REGISTRY)
    targets = sorted(
        Target.objects.filter(programme=programme).select_related("province")
        .order_by("indicator", "sex", "age_band", "group", "province_id"),
        # The youth, female and male targets first, as on every screen.
        key=lambda t: headline_first(t.indicator, t.sex, bool(t.age_band or t.group or t.province_id), order))
    today = timezone.localdate()
    rows = []
    for t in targets:
        found = ind.REGISTRY.get(t.indicator)
        if found is None:
            continue
        value = found.value(cubes, _slice_of(t))
        where = {d: v for d, v in (("sex", t.sex), ("age_band", t.age_band), ("group", t.group),
                                   ("province", t.province_id or "")) if v}
        shown, raw = _published(found, value, people, where)
        progress = None
        if raw is not None and t.value:
            progress = int(round(100 * Decimal(str(raw)) / t.value))
        check = None
        expected = "—"
        if raw is not None:
            window = (period.start, period.end) if period else None
            check = assess(raw, t.value, starts_on=programme.starts_on, ends_on=programme.ends_on, today=today,
                           cumulative=found.kind == "count", window=window, plan=parse_plan(t.plan))
            expected = _fmt(int(round(check.expected)) if found.kind == "count" else float(check.expected))
        rows.append(TargetRow(t.indicator, found.name, _slice_label(t), t.value, shown, raw, progress,
                              expected, check))
    return rows


def _cross(title: str, row_label: str, rows: Sequence[tuple[str, str]], cols: Sequence[tuple[str, str]],
           count: Any) -> CrossTable:
    """A table of counts that are not of people (sessions): published as they are."""
    grid = [[count(r, c) for c, _cl in cols] for r, _rl in rows]
    table = suppression.protect_table(grid, persons=False) if grid and cols else None
    return _cross_table(title, row_label, rows, cols, table)


def _cross_table(title: str, row_label: str, rows: Sequence[tuple[str, str]], cols: Sequence[tuple[str, str]],
                 table: suppression.ProtectedTable | None) -> CrossTable:
    if table is None or not rows:
        return CrossTable(title, row_label, [str(cl) for _c, cl in cols], [], [], _fmt(0))
    return CrossTable(
        title=title, row_label=row_label, columns=[str(cl) for _c, cl in cols],
        rows=[(str(rl), [_text(v) for v in cells], _text(t))
              for (_r, rl), cells, t in zip(rows, table.cells, table.row_totals, strict=True)],
        totals=[_text(v) for v in table.column_totals], total=_text(table.total),
    )


def _training_table(cubes: ind.Cubes, people: PeopleFigures) -> CrossTable:
    """Young people reached beside the adults trained (by group), with the knowledge gain of
    each (mean of post minus pre of the same test, the learning app's live and paper tests
    included) and the share of post-tests at 70 % or more. The counts of people are figures of
    the report's protected set; a mean or share is shown only from 10 results
    (``suppression.MIN_BASE``), and the all-adults one only when the groups withheld rest on
    none or on 10 results or more (else it would give theirs away)."""
    measures = ("reached", "pairs", "gain_sum", "posts", "passes")
    base = suppression.MIN_BASE
    youth = cubes.total("people", measures, "youth", ind.Slice())
    groups = [cubes.total("people", measures, "adult", ind.Slice(group=g)) for g in ADULT_GROUPS]
    adults = cubes.total("people", measures, "adult", ind.Slice())
    labels = [_("Young people (10–24)"), *[str(g.label) for g in ADULT_GROUPS], _("All adults trained")]
    raw = [youth, *groups, adults]
    reached = [people[figure(YOUTH)], *(people[figure(ADULTS, group=g.value)] for g in ADULT_GROUPS),
               people[figure(ADULTS)]]
    pairs = [people[figure(PAIRS, group="youth_10_24")], *(people[figure(PAIRS, group=g.value)] for g in ADULT_GROUPS),
             people[figure(PAIRS, group="adults")]]
    # The all-adults mean (share) minus the groups shown would give the mean (share) of the
    # groups withheld: it is withheld too when those rest on 1 to 9 results.
    withheld_pairs = sum(int(g[1]) for g in groups if g[1] < base)
    withheld_posts = sum(int(g[3]) for g in groups if g[3] < base)
    rows = []
    for i, (label, values, n_people, n_pairs) in enumerate(zip(labels, raw, reached, pairs, strict=True)):
        last = i == len(labels) - 1
        gain = "—" if not values[1] else (
            f"n<{base}" if values[1] < base or (last and 0 < withheld_pairs < base)
            else _fmt(round(values[2] / values[1], 1)))
        share = "—" if not values[3] else (
            f"n<{base}" if values[3] < base or (last and 0 < withheld_posts < base)
            else _fmt(round(100 * values[4] / values[3], 1)))
        rows.append((label, [_text(n_people), _text(n_pairs), gain, share], ""))
    return CrossTable(
        _("People trained and their knowledge gain (pre- and post-tests), young people beside adults"), _("Group"),
        [_("People"), _("With pre- and post-test"), _("Mean knowledge gain (percentage points)"),
         _("Post-tests at 70 % or more (%)")], rows, [], "", totals_shown=False)


def build(programme: Programme, period: Period, *, narrative: DonorNarrative | None = None) -> DonorReport:
    if narrative is None:
        narrative = DonorNarrative.objects.filter(programme=programme, period_start=period.start,
                                                  period_end=period.end).first()
    report = DonorReport(programme, period, narrative, timezone.now())
    # Donor figures: whole months, up to the last closed month (empty when none has closed yet).
    closed = report.figures_period = Period(*closed_period(period.start, period.end, timezone.localdate()))
    filters = ind.Filters(start=closed.start, end=closed.end)
    cubes = ind.build_cubes(programme, filters)
    report.months = ind.months_between(filters.start, filters.end)

    # Every count of people in the report, from the one protected set (the donor's dashboard's too).
    people = people_figures(cubes, report.months, Target.objects.filter(programme=programme))
    report.people_set = (people.parts, people.tables)
    for code, indicator in ind.REGISTRY.items():
        text, raw = _published(indicator, indicator.value(cubes), people)
        report.indicators.append(IndicatorRow(code, indicator.name, indicator.definition, indicator.unit, text, raw))
    report.targets = _target_rows(programme, cubes, people, closed)

    sexes = [(s.value, str(s.label)) for s in Sex]
    bands = [(b.value, str(b.label)) for b in AgeBand]
    adult_groups = [(g.value, str(g.label)) for g in ADULT_GROUPS]
    codes = ind.districts_in(cubes)
    names = dict(District.objects.filter(code__in=codes).values_list("code", "name"))
    district_rows = [(c, names.get(c, c)) for c in codes]
    report.district_codes = list(codes)
    report.tables.append(_people_table(_("Young people reached, by sex and age band"), _("Sex"), people, YOUTH,
                                       ("sex", sexes), ("age_band", bands)))
    report.tables.append(_people_table(_("Adults trained, by group and sex"), _("Group"), people, ADULTS,
                                       ("group", adult_groups), ("sex", sexes)))
    report.tables.append(_people_table(_("Young people reached, by district and sex"), _("District"), people, YOUTH,
                                       ("district", district_rows), ("sex", sexes)))
    provinces = dict(Province.objects.filter(code__in={c[:4] for c in codes}).values_list("code", "name"))
    report.tables.append(_cross(
        _("Sessions delivered, by province and target group"), _("Province"),
        [(p, provinces[p]) for p in sorted(provinces)], [(g.value, str(g.label)) for g in StakeholderGroup],
        lambda p, g: int(ind.REGISTRY["sessions_delivered"].value(cubes, ind.Slice(province=p, group=g)).value or 0)))
    report.tables.append(_training_table(cubes, people))

    month_cells = [people[figure(NEW_YOUTH, month=m)] for m in report.months]
    report.youth_by_month = [c.value for c in month_cells]
    report.youth_by_month_shown = [_text(c) for c in month_cells]
    report.sessions_by_month = ind.sessions_by_month(cubes, report.months)  # activities, not people
    if programme.organisation_id:
        _add_case_figures(report, programme, closed)
    return report


def _people_table(title: str, row_label: str, people: PeopleFigures, code: str,
                  rows: tuple[str, Sequence[tuple[str, str]]], cols: tuple[str, Sequence[tuple[str, str]]]
                  ) -> CrossTable:
    """A table of counts of people, each cell and total as the report's protected set shows it."""
    (row_dim, row_values), (col_dim, col_values) = rows, cols
    if not row_values:
        return CrossTable(title, row_label, [str(cl) for _c, cl in col_values], [], [], _fmt(0))
    return CrossTable(
        title=title, row_label=row_label, columns=[str(cl) for _c, cl in col_values],
        rows=[(str(rl), [_text(people[figure(code, **{row_dim: r, col_dim: c})]) for c, _cl in col_values],
               _text(people[figure(code, **{row_dim: r})])) for r, rl in row_values],
        totals=[_text(people[figure(code, **{col_dim: c})]) for c, _cl in col_values],
        total=_text(people[figure(code)]),
    )


CASES_NOTE = gettext_lazy(
    "The programme's own cases: only cases whose survivor consented to statistics, incidents reported in "
    "the period up to the last closed month. <5: from 1 to 4. x: hidden so that small numbers cannot be "
    "worked out from the totals. No share or median from fewer than 10 incidents.")


def _add_case_figures(report: DonorReport, programme: Programme, period: Period) -> None:
    """The programme's own cases as aggregates through the same disclosure control (``protect_set``)."""
    from ruta.stats import programme as case_statistics

    start, end = period.start, period.end
    if end < start:
        return
    got = case_statistics.figures(programme.organisation, start, end)
    for t in got.tables:
        *body, (_label, totals) = t.rows
        report.tables.append(CrossTable(t.caption, t.row_header, t.columns[:-1],
                                        [(label, cells[:-1], cells[-1]) for label, cells in body],
                                        totals[:-1], totals[-1]))
    median = got.median_days
    report.indicators.append(IndicatorRow(
        "cases_days_to_first_contact", gettext_lazy("Median days from the incident to first contact"),
        gettext_lazy("Median of the days from the incident to its report to the programme, over incidents of "
                     "cases with statistics consent reported in the period; withheld below 10 incidents."),
        gettext_lazy("days"), "—" if median is None else _fmt(median), median))
    kit = got.kit_share
    report.indicators.append(IndicatorRow(
        "cases_kit_in_time", gettext_lazy("Emergency kit attended in time (sexual violence seen within 72 hours)"),
        gettext_lazy("Of the survivors of rape or sexual assault who reported within 72 hours (the report dated "
                     "no later than the third day after the incident), the share whose emergency-kit referral "
                     "was attended by its deadline; withheld below 10 survivors."),
        gettext_lazy("%"), "—" if kit is None else _fmt(round(100 * kit, 1)), None if kit is None else 100 * kit))
    report.case_note = CASES_NOTE
