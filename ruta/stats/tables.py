"""The CEM register's published tables: counts of persons through the disclosure control
(``ruta.lib.suppression``), as shown on the statistics pages (staff and public) and in their CSV
files.

Every table of one year is published together, so the year's tables are protected as one set
(``protect_set``): the totals by sex and the grand total they share are one figure each, a
province's cases are the sum of its districts', and a cell hidden in one table cannot be worked
out from another. The trend across years reads each year's totals from that year's protected
set, so it shows what each year's page shows."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ruta.geo.models import District, Province
from ruta.lib.codes import MotherTongue, Sex
from ruta.lib.suppression import (
    MIN_BASE,
    ProtectedTable,
    SetPart,
    Shown,
    protect_count,
    protect_set,
    rate,
    share,
)
from ruta.stats import figures
from ruta.stats.models import CemLoad
from ruta.stats.register import AGE_BANDS, CHILD_BANDS

DATA = Path(__file__).parent / "data"
POPULATION = DATA / "minsa_tb_ubigeos_madre_de_dios.csv"
NATIONAL = DATA / "resumen_agregado_cem.csv"
MIMP_SERIES = DATA / "mimp_cem_casos_atendidos_2012_2020_madre_de_dios.csv"
SEXES = (Sex.FEMALE, Sex.MALE)
SEX_NAMES = ("sex:female", "sex:male")
UNKNOWN = "?"


@dataclass
class Table:
    slug: str
    caption: str
    row_header: str
    columns: list[str]
    rows: list[tuple[str, list[str]]]
    has_complement: bool = False
    note: str = ""
    # One bar per row (the figure in column ``chart_column``): (label, figure, width in % or None).
    chart: list[tuple[str, str, float | None]] = field(default_factory=list)

    @property
    def chart_rows(self) -> list[tuple[str, str, int | None, int]]:
        """The bars as drawn: label, figure, bar length (of 170 units, whole numbers) and top."""
        return [(label, figure, None if width is None else round(1.7 * width), 18 * n)
                for n, (label, figure, width) in enumerate(self.chart)]

    @property
    def chart_height(self) -> int:
        return 18 * len(self.chart) + 4

    @property
    def labelled_rows(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Each row's cells with their column's name (``data-label`` on a phone)."""
        return [(label, list(zip(self.columns, cells, strict=True))) for label, cells in self.rows]


@cache
def populations() -> dict[str, int]:
    """District populations of Madre de Dios (MINSA TB_UBIGEOS), by UBIGEO."""
    with POPULATION.open(encoding="utf-8", newline="") as f:
        return {row["ubigeo_inei"]: int(row["pob_distrito"]) for row in csv.DictReader(f)}


@cache
def province_populations() -> dict[str, int]:
    with POPULATION.open(encoding="utf-8", newline="") as f:
        return {row["provincia_inei"]: int(row["pob_provincia"]) for row in csv.DictReader(f)}


def _labels() -> dict[str, dict[str, str]]:
    return {
        "age_band": {b[0]: b[0] for b in AGE_BANDS},
        "violence_type": {"economic": _("Economic or property"), "psychological": _("Psychological"),
                          "physical": _("Physical"), "sexual": _("Sexual")},
        "relationship": {"partner": _("Partner or former partner"), "family": _("Family member"),
                         "none": _("Neither partner nor family"), "unknown": _("Not recorded")},
        "risk": {"mild": _("Mild"), "moderate": _("Moderate"), "severe": _("Severe"), "unknown": _("Not recorded")},
        "complaint_filed": {"yes": _("Had filed a complaint"), "no": _("Had not filed a complaint"),
                            "unknown": _("Not recorded")},
        "first_time": {"repeat": _("Repeat aggression"), "first": _("First aggression"),
                       "unknown": _("Not recorded")},
    }


# The tables of one year: (slug, field) for the tables by sex, in the order they are shown.
BY_SEX = ("age", "age_band"), ("violence", "violence_type"), ("relationship", "relationship"), \
    ("risk", "risk"), ("complaint", "complaint_filed"), ("repeat", "first_time")
KEYS: dict[str, list[str]] = {
    "age_band": [b[0] for b in AGE_BANDS],
    "violence_type": ["economic", "psychological", "physical", "sexual"],
    "relationship": ["partner", "family", "none", "unknown"],
    "risk": ["mild", "moderate", "severe", "unknown"],
    "complaint_filed": ["yes", "no", "unknown"],
    "first_time": ["repeat", "first", "unknown"],
}
# A table's keys as the figures keep them (``figures.value``), where they differ.
FIGURE_VALUES: dict[str, dict[str, str]] = {
    "complaint_filed": {"yes": "true", "no": "false", "unknown": ""},
    "first_time": {"repeat": "false", "first": "true", "unknown": ""},
}


@dataclass(frozen=True)
class YearSet:
    """One year's tables as published: counts behind them and their protection (no labels, so
    it can be kept between requests in any language)."""

    year: int
    slugs: list[str]
    protected: dict[str, ProtectedTable]
    districts: list[str]
    provinces: list[str]
    rape: int
    rape_girls: int
    parts: dict[str, SetPart]  # the counts behind the tables (never published as they are)


def _load_key(year: int) -> tuple[int, str] | None:
    load = CemLoad.objects.filter(status=CemLoad.Status.CURRENT, year=year).values_list("pk", "digest").first()
    return load


def year_set(department: str, year: int) -> YearSet:
    return _year_set(department, year, _load_key(year))


@lru_cache(maxsize=64)
def _year_set(department: str, year: int, load: tuple[int, str] | None) -> YearSet:
    """The year's tables protected as one set, from the load's precomputed figures
    (``ruta.stats.figures``: the counts of its rows). Kept per load (its id and digest), so a
    new import is read at once."""
    got = figures.read([load[0]] if load else [], department)
    sexes = [str(s) for s in SEXES]

    def by_value(variable: str) -> Counter[str]:
        """Both sexes together (the tables count female and male cases only)."""
        out: Counter[str] = Counter()
        for (var, val, sex), n in got.items():
            if var == variable and sex in sexes:
                out[val] += n
        return out

    parts: dict[str, SetPart] = {}
    months = by_value("month")
    parts["month"] = SetPart.line([months[str(m)] for m in range(1, 13)], total="all")
    for slug, name in BY_SEX:
        keys = [FIGURE_VALUES.get(name, {}).get(k, k) for k in KEYS[name]]
        parts[slug] = SetPart.table([[got[(name, k, sex)] for sex in sexes] for k in keys],
                                    total="all", columns=SEX_NAMES)
    tongues = by_value("mother_tongue")
    parts["tongue"] = SetPart.line([tongues[str(t)] for t in MotherTongue], total="all")
    # Districts × provinces: a district's cases are its row, a province's its column (a district
    # lies in one province; the other cells are 0), so the two published tables are one system.
    districts = sorted(c for c in populations() if c.startswith(department))
    provinces = sorted({c[:4] for c in districts})
    d_index = {c: i for i, c in enumerate(districts)}
    p_index = {c: j for j, c in enumerate(provinces)}
    geo = [[0] * (len(provinces) + 1) for _ in range(len(districts) + 1)]
    for place, n in by_value("place").items():
        ubigeo, _sep, province = place.partition(":")
        code = ubigeo if ubigeo in d_index else ""
        prov = code[:4] if code else (province if province in p_index else "")
        geo[d_index[code] if code else len(districts)][p_index[prov] if prov else len(provinces)] += n
    parts["geo"] = SetPart.table(geo, total="all")
    slugs = list(parts)
    protected = dict(zip(slugs, protect_set([parts[s] for s in slugs]), strict=True))
    rape = sum(n for (var, _band, _sex), n in got.items() if var == "rape")
    rape_girls = sum(n for (var, band, sex), n in got.items()
                     if var == "rape" and sex == Sex.FEMALE and band in CHILD_BANDS)
    return YearSet(year, slugs, protected, districts, provinces, rape, rape_girls, parts)


def _complement(*lines: list[Shown]) -> bool:
    return any(s.mark == "x" for line in lines for s in line)


def _chart(rows: list[tuple[str, list[str]]], values: Sequence[Shown | float | None], column: int = -1
           ) -> list[tuple[str, str, float | None]]:
    """Bars for a chart drawn beside its table: hidden figures get no bar (their mark is written)."""
    numbers = [v.value if isinstance(v, Shown) else v for v in values]
    top = max((n for n in numbers if n), default=0)
    out = []
    for (label, cells), n, v in zip(rows, numbers, values, strict=False):
        figure = str(v) if isinstance(v, Shown) else cells[column]
        out.append((label, figure, None if n is None or not top else round(100 * n / top, 1)))
    return out


def _line_table(slug: str, caption: str, header: str, labels: list[str], table: ProtectedTable) -> Table:
    cells = table.cells[0]
    body = [(label, [str(s)]) for label, s in zip(labels, cells, strict=True)]
    out = Table(slug, caption, header, [_("Cases")], [*body, (_("Total"), [str(table.total)])],
                _complement(cells, [table.total]))
    out.chart = _chart(body, list(cells))
    return out


def _sex_table(slug: str, caption: str, header: str, labels: list[str], table: ProtectedTable) -> Table:
    body = [(label, [*map(str, line), str(total)])
            for label, line, total in zip(labels, table.cells, table.row_totals, strict=True)]
    out = Table(slug, caption, header, [str(s.label) for s in SEXES] + [_("Total")],
                [*body, (_("Total"), [*map(str, table.column_totals), str(table.total)])], table.has_complement)
    out.chart = _chart(body, list(table.row_totals))
    return out


def build(department: str, year: int) -> list[Table]:
    """The year's published tables, in the reader's language."""
    ys = year_set(department, year)
    labels = _labels()
    p = ys.protected
    tables = [_line_table("month", _("Cases by month of intake"), _("Month"),
                          [_month(m) for m in range(1, 13)], p["month"])]
    captions = {
        "age": (_("Cases by age band (MIMP) and sex"), _("Age")),
        "violence": (_("Cases by type of violence and sex"), _("Type of violence")),
        "relationship": (_("Cases by the aggressor's relationship and sex"), _("Relationship")),
        "risk": (_("Cases by risk level and sex"), _("Risk")),
        "complaint": (_("Cases by complaint filed before coming to the CEM, and sex"), _("Complaint")),
        "repeat": (_("Cases by repeat aggression and sex"), _("Aggression")),
    }
    for slug, name in BY_SEX:
        caption, header = captions[slug]
        tables.append(_sex_table(slug, caption, header, [labels[name][k] for k in KEYS[name]], p[slug]))
    tables.append(_line_table("tongue", _("Cases by mother tongue"), _("Mother tongue"),
                              [str(t.label) for t in MotherTongue], p["tongue"]))
    tables += _geography(ys)
    return tables


def _month(m: int) -> str:
    from django.utils.dates import MONTHS
    return str(MONTHS[m])


def _geography(ys: YearSet) -> list[Table]:
    geo = ys.protected["geo"]
    people = populations()
    names = dict(District.objects.filter(code__in=ys.districts).values_list("code", "name"))
    province_names = dict(Province.objects.filter(code__in=ys.provinces).values_list("code", "name"))
    note = _("A rate is shown only from %(n)s cases. Population: MINSA (TB_UBIGEOS).") % {"n": MIN_BASE}
    columns = [_("Cases"), _("Population"), _("Per 100,000")]

    def rows(codes: list[str], shown: list[Shown], population: Callable[[str], int], label: Callable[[str], str]
             ) -> tuple[list[tuple[str, list[str]]], list[float | None]]:
        body, rates = [], []
        for code, s in zip(codes, shown, strict=False):
            per = rate(s.value, population(code)) if s.value is not None else None
            rates.append(per)
            body.append((label(code), [str(s), f"{population(code):,}", "—" if per is None else f"{per:,.1f}"]))
        return body, rates

    d_body, d_rates = rows(ys.districts, geo.row_totals, people.__getitem__, lambda c: names.get(c, c))
    d_body.append((_("Not recorded"), [str(geo.row_totals[-1]), "", ""]))
    districts = Table("district", _("Cases by district of residence, per 100,000 inhabitants"), _("District"),
                      columns, d_body, _complement(geo.row_totals), note)
    districts.chart = _chart(d_body, list(d_rates))
    pp = province_populations()
    p_body, p_rates = rows(ys.provinces, geo.column_totals, pp.__getitem__, lambda c: province_names.get(c, c))
    p_body.append((_("Not recorded"), [str(geo.column_totals[-1]), "", ""]))
    provinces = Table("province", _("Cases by province of residence, per 100,000 inhabitants"), _("Province"),
                      columns, p_body, _complement(geo.column_totals), note)
    provinces.chart = _chart(p_body, list(p_rates))
    return [provinces, districts]


def trend(department: str, years: list[int]) -> Table:
    """Cases by year and sex, each year's figures as its own protected set publishes them."""
    body, values = [], []
    for year in sorted(years):
        t = year_set(department, year).protected["age"]
        body.append((str(year), [*map(str, t.column_totals), str(t.total)]))
        values.append(t.total)
    out = Table("years", _("Cases by year of intake and sex"), _("Year"),
                [str(s.label) for s in SEXES] + [_("Total")], body,
                any(s == "x" for _label, cells in body for s in cells))
    out.chart = _chart(body, values)
    return out


def fact(department: str, year: int) -> str | None:
    """“Of every 5 rape cases handled by the CEMs, N are of girls under 18”, or ``None`` below
    10 cases (no share from fewer than 10 persons)."""
    ys = year_set(department, year)
    got = share(ys.rape_girls, ys.rape)
    if got is None:
        return None
    return pgettext("fact sheet", "Of every 5 rape cases handled by the CEMs, %(n)s are of girls under 18.") % {
        "n": round(5 * got)}


def facts(department: str, year: int) -> list[str]:
    """The fact sheet: the programme's kind of claims, each from at least 10 cases (no share from
    fewer than 10 persons) and only from figures the tables show."""
    ys = year_set(department, year)
    out = [f] if (f := fact(department, year)) else []
    total = ys.protected["age"].total.value or 0

    def row_total(slug: str, name: str, key: str) -> int | None:
        return ys.protected[slug].row_totals[KEYS[name].index(key)].value

    claims = [
        (row_total("risk", "risk", "severe"),
         pgettext("fact sheet", "Of every 10 cases handled by the CEMs, %(n)s were at severe risk.")),
        (row_total("repeat", "first_time", "repeat"),
         pgettext("fact sheet", "Of every 10 cases handled by the CEMs, %(n)s were of a person the aggressor "
                                "had attacked before.")),
        (row_total("complaint", "complaint_filed", "no"),
         pgettext("fact sheet", "Of every 10 cases handled by the CEMs, %(n)s had not filed a complaint "
                                "before coming.")),
    ]
    for part, sentence in claims:
        if part is not None and (got := share(part, total)) is not None:
            out.append(sentence % {"n": round(10 * got)})
    return out


@cache
def national_rows() -> list[tuple[int, str, str, int]]:
    with NATIONAL.open(encoding="utf-8", newline="") as f:
        return [(int(r["AÑO"]), r["DEPARTAMENTO"], r["NIVEL_RIESGO"], int(r["Casos"])) for r in csv.DictReader(f)]


def beside_peru() -> Table:
    """Madre de Dios beside Peru: cases handled and the share at severe risk, from the figures the
    ministry published by year, department and risk level."""
    years = sorted({r[0] for r in national_rows()})
    body, values = [], []
    for year in years:
        rows = [r for r in national_rows() if r[0] == year]
        mdd = [r for r in rows if r[1] == "Madre de Dios"]
        all_mdd, all_pe = sum(r[3] for r in mdd), sum(r[3] for r in rows)
        sev_mdd = sum(r[3] for r in mdd if r[2] == "Severo")
        sev_pe = sum(r[3] for r in rows if r[2] == "Severo")
        s_mdd, s_pe = share(sev_mdd, all_mdd), share(sev_pe, all_pe)
        shown = protect_count(all_mdd)
        values.append(s_mdd)
        body.append((str(year), [str(shown), f"{all_pe:,}", "—" if s_mdd is None else f"{100 * s_mdd:.0f} %",
                                 "—" if s_pe is None else f"{100 * s_pe:.0f} %"]))
    out = Table("peru", _("Madre de Dios beside Peru: cases handled by the CEMs and the share at severe risk"),
                _("Year"), [_("Madre de Dios"), _("Peru"), _("Severe risk, Madre de Dios"), _("Severe risk, Peru")],
                body, note=_("Source: MIMP, CEM cases by year, department and risk level, as published."))
    out.chart = _chart(body, [v * 100 if v is not None else None for v in values], column=2)
    return out


@cache
def _mimp_series() -> dict[int, tuple[str, int, int, int]]:
    out: dict[int, tuple[str, int, int, int]] = {}
    with MIMP_SERIES.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter=";"):
            year = int(r["AÑO"])
            period, total, men, women = out.get(year, (r["PERIODO"].strip(), 0, 0, 0))
            out[year] = (period, total + int(r["N° CASOS ATENDIDOS-TOTAL"]),
                         men + int(r["N° CASOS ATENDIDOS - HOMBRES - TOTAL"]),
                         women + int(r["N° CASOS ATENDIDOS - MUJERES - TOTAL"]))
    return out


def earlier_years() -> Table:
    """Cases handled by the department's CEMs each year 2012–2020, as the ministry published them."""
    body, values = [], []
    for year, (period, total, men, women) in sorted(_mimp_series().items()):
        label = str(year) if period.replace(" ", "") == "ENE-DIC" else f"{year} ({_('part of the year')})"
        line = [protect_count(women), protect_count(men), protect_count(total)]
        body.append((label, [*map(str, line)]))
        values.append(line[-1])
    out = Table("mimp", _("Cases handled by the CEMs of Madre de Dios, 2012–2020"), _("Year"),
                [str(s.label) for s in SEXES] + [_("Total")], body,
                note=_("Source: MIMP, cases handled per CEM and year, as published; by the CEM's location."))
    out.chart = _chart(body, values)
    return out


def table_by_slug(department: str, year: int | None, slug: str, years: list[int]) -> Table | None:
    if slug == "years":
        return trend(department, years)
    if slug == "peru":
        return beside_peru()
    if slug == "mimp":
        return earlier_years()
    if year is None:
        return None
    return next((t for t in build(department, year) if t.slug == slug), None)


def csv_rows(table: Table) -> list[list[str]]:
    return [[table.row_header, *table.columns], *([label, *cells] for label, cells in table.rows)]


__all__ = ["Shown", "Table", "beside_peru", "build", "csv_rows", "earlier_years", "facts", "populations", "trend"]
