"""The CEM register's published tables: counts of persons through the disclosure control
(``ruta.lib.suppression.protect_*``), as shown on the statistics page and in its CSV files."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ruta.geo.models import District
from ruta.lib.codes import MotherTongue, Sex
from ruta.lib.suppression import MIN_BASE, Shown, protect_line, protect_table, rate
from ruta.stats.counts import current_records
from ruta.stats.register import AGE_BANDS, CHILD_BANDS

POPULATION = Path(__file__).parent / "data" / "minsa_tb_ubigeos_madre_de_dios.csv"
SEXES = (Sex.FEMALE, Sex.MALE)


@dataclass
class Table:
    slug: str
    caption: str
    row_header: str
    columns: list[str]
    rows: list[tuple[str, list[str]]]
    has_complement: bool = False
    note: str = ""


@cache
def populations() -> dict[str, int]:
    """District populations of Madre de Dios (MINSA TB_UBIGEOS), by UBIGEO."""
    with POPULATION.open(encoding="utf-8", newline="") as f:
        return {row["ubigeo_inei"]: int(row["pob_distrito"]) for row in csv.DictReader(f)}


def _labels() -> dict[str, dict[str, str]]:
    return {
        "violence_type": {"economic": _("Economic or property"), "psychological": _("Psychological"),
                          "physical": _("Physical"), "sexual": _("Sexual")},
        "relationship": {"partner": _("Partner or former partner"), "family": _("Family member"),
                         "none": _("Neither partner nor family"), "unknown": _("Not recorded")},
        "risk": {"mild": _("Mild"), "moderate": _("Moderate"), "severe": _("Severe"), "unknown": _("Not recorded")},
    }


def _by_sex(rows: Any, field: str, keys: list[str], labels: dict[str, str], slug: str, caption: str,
            header: str) -> Table:
    got = {(r[field], r["sex"]): r["n"] for r in rows.values(field, "sex").annotate(n=Count("id"))}
    cells = [[got.get((k, str(s)), 0) for s in SEXES] for k in keys]
    protected = protect_table(cells)
    body = [(labels.get(k, k), [*map(str, line), str(total)])
            for k, line, total in zip(keys, protected.cells, protected.row_totals, strict=True)]
    body.append((_("Total"), [*map(str, protected.column_totals), str(protected.total)]))
    return Table(slug, caption, header, [str(s.label) for s in SEXES] + [_("Total")], body,
                 protected.has_complement)


def build(department: str, year: int) -> list[Table]:
    rows = current_records().filter(department=department, year=year, sex__in=[str(s) for s in SEXES])
    labels = _labels()
    tables = []
    # By month.
    months = {r["month"]: r["n"] for r in rows.values("month").annotate(n=Count("id"))}
    line = protect_line([months.get(m, 0) for m in range(1, 13)])
    tables.append(Table("month", _("Cases by month of intake"), _("Month"), [_("Cases")],
                        [(str(m), [str(s)]) for m, s in zip(range(1, 13), line.cells, strict=True)]
                        + [(_("Total"), [str(line.total)])], any(s.mark == "x" for s in line.cells)))
    tables.append(_by_sex(rows, "age_band", [b[0] for b in AGE_BANDS], {b[0]: b[0] for b in AGE_BANDS}, "age",
                          _("Cases by age band (MIMP) and sex"), _("Age")))
    for field, slug, caption, header in (
        ("violence_type", "violence", _("Cases by type of violence and sex"), _("Type of violence")),
        ("relationship", "relationship", _("Cases by the aggressor's relationship and sex"), _("Relationship")),
        ("risk", "risk", _("Cases by risk level and sex"), _("Risk")),
    ):
        tables.append(_by_sex(rows, field, list(labels[field]), labels[field], slug, caption, header))
    tongues = {r["mother_tongue"]: r["n"] for r in rows.values("mother_tongue").annotate(n=Count("id"))}
    keys = [str(t) for t in MotherTongue]
    line = protect_line([tongues.get(k, 0) for k in keys])
    tables.append(Table("tongue", _("Cases by mother tongue"), _("Mother tongue"), [_("Cases")],
                        [(str(MotherTongue(k).label), [str(s)]) for k, s in zip(keys, line.cells, strict=True)]
                        + [(_("Total"), [str(line.total)])], any(s.mark == "x" for s in line.cells)))
    tables.append(_districts(rows, department))
    return tables


def _districts(rows: Any, department: str) -> Table:
    counts = {r["ubigeo"]: r["n"] for r in rows.values("ubigeo").annotate(n=Count("id"))}
    people = populations()
    codes = sorted(c for c in people if c.startswith(department))
    names = dict(District.objects.filter(code__in=codes).values_list("code", "name"))
    line = protect_line([counts.get(c, 0) for c in codes])
    body = []
    for code, shown in zip(codes, line.cells, strict=True):
        per = rate(shown.value, people[code]) if shown.value is not None else None
        body.append((names.get(code, code), [str(shown), f"{people[code]:,}",
                                             "—" if per is None else f"{per:,.1f}"]))
    return Table("district", _("Cases by district of residence, per 100,000 inhabitants"), _("District"),
                 [_("Cases"), _("Population"), _("Per 100,000")], body, any(s.mark == "x" for s in line.cells),
                 _("A rate is shown only from %(n)s cases. Population: MINSA (TB_UBIGEOS).") % {"n": MIN_BASE})


def fact(department: str, year: int) -> str | None:
    """“Of every 5 rape cases handled by the CEMs, N are of girls under 18”, or ``None`` below
    10 cases (no share from fewer than 10 persons)."""
    rows = current_records().filter(department=department, year=year, rape=True)
    total = rows.count()
    if total < MIN_BASE:
        return None
    girls = rows.filter(sex=Sex.FEMALE, age_band__in=sorted(CHILD_BANDS)).count()
    return pgettext("fact sheet", "Of every 5 rape cases handled by the CEMs, %(n)s are of girls under 18.") % {
        "n": round(5 * girls / total)}


def csv_rows(table: Table) -> list[list[str]]:
    return [[table.row_header, *table.columns], *([label, *cells] for label, cells in table.rows)]


__all__ = ["Shown", "Table", "build", "csv_rows", "fact", "populations"]
