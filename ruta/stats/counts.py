"""Exact, unsuppressed counts of the CEM register for operators (``cem_stats``, the API).

Not a published figure: whatever is shown to anyone else goes through
``ruta.lib.suppression``. Definitions (register variables, see ``register``):
department = ``DPTO_DOMICILIO``; year of ``FECHA_INGRESO``; ``age_0_17`` = ``EDAD_VICTIMA``
≤ 17; ``sexual`` = ``TIPO_VIOLENCIA`` 3; ``partner`` / ``family`` = ``VINCULO_AGRESOR_VICTIMA``
1 / 2; ``severe`` = ``NIVEL_DE_RIESGO_VICTIMA`` 3; ``complaint_filed`` = ``INTERPUSO_DENUNCIA``
1; ``rape_reports`` = ``VIOLACION`` 1, of which girls = ``SEXO_VICTIMA`` 0 and under 18;
``repeat_aggression`` = ``PRIMERA_VEZ_AGREDE`` 0.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from ruta.stats.models import CemLoad, CemRecord
from ruta.stats.register import CHILD_BANDS

SEXES = ("female", "male")
CHILD = Q(age_band__in=sorted(CHILD_BANDS))
MEASURES: dict[str, Q] = {
    "total": Q(),
    "age_0_17": CHILD,
    "sexual": Q(violence_type="sexual"),
    "partner": Q(relationship="partner"),
    "family": Q(relationship="family"),
    "severe": Q(risk="severe"),
    "complaint_filed": Q(complaint_filed=True),
}


def current_records() -> QuerySet[CemRecord]:
    """The rows of each year's current load: staged and replaced rows never count."""
    return CemRecord.objects.filter(load__status=CemLoad.Status.CURRENT)


def cem_counts(department: str | None = None, year: int | None = None) -> dict[str, Any]:
    rows = current_records()
    if department:
        rows = rows.filter(department=department)
    if year:
        rows = rows.filter(year=year)
    aggregates: dict[str, Any] = {"total": Count("id")}
    for sex in SEXES:
        for name, condition in MEASURES.items():
            aggregates[f"{sex}:{name}"] = Count("id", filter=Q(sex=sex) & condition)
    aggregates["rape_reports"] = Count("id", filter=Q(rape=True))
    aggregates["rape_reports_girls_under_18"] = Count("id", filter=Q(rape=True, sex="female") & CHILD)
    aggregates["repeat_aggression"] = Count("id", filter=Q(first_time=False))
    got = rows.aggregate(**aggregates)
    return {
        "department": department or None,
        "year": year or None,
        "total": got["total"],
        "by_sex": {sex: {name: got[f"{sex}:{name}"] for name in MEASURES} for sex in SEXES},
        "rape_reports": got["rape_reports"],
        "rape_reports_girls_under_18": got["rape_reports_girls_under_18"],
        "repeat_aggression": got["repeat_aggression"],
    }
