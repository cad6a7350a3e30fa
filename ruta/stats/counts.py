"""Exact, unsuppressed counts of the CEM register for operators (``cem_stats``, the API).

Not a published figure: whatever is shown to anyone else goes through
``ruta.lib.suppression``. Definitions (register variables, see ``register``):
department = ``DPTO_DOMICILIO``; year of ``FECHA_INGRESO``; ``age_0_17`` = ``EDAD_VICTIMA``
≤ 17; ``sexual`` = ``TIPO_VIOLENCIA`` 3; ``partner`` / ``family`` = ``VINCULO_AGRESOR_VICTIMA``
1 / 2; ``severe`` = ``NIVEL_DE_RIESGO_VICTIMA`` 3; ``complaint_filed`` = ``INTERPUSO_DENUNCIA``
1; ``rape_reports`` = ``VIOLACION`` 1, of which girls = ``SEXO_VICTIMA`` 0 and under 18;
``repeat_aggression`` = ``PRIMERA_VEZ_AGREDE`` 0. Counted from the precomputed figures
(``figures``), which hold each of these as one variable by sex.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ruta.stats import figures
from ruta.stats.models import CemLoad, CemRecord
from ruta.stats.register import CHILD_BANDS

SEXES = ("female", "male")
# Each measure: the figures' variable and the values it counts (``figures``).
MEASURES: dict[str, tuple[str, frozenset[str]]] = {
    "total": ("month", frozenset(str(m) for m in range(1, 13))),
    "age_0_17": ("age_band", CHILD_BANDS),
    "sexual": ("violence_type", frozenset({"sexual"})),
    "partner": ("relationship", frozenset({"partner"})),
    "family": ("relationship", frozenset({"family"})),
    "severe": ("risk", frozenset({"severe"})),
    "complaint_filed": ("complaint_filed", frozenset({"true"})),
}


def current_records() -> QuerySet[CemRecord]:
    """The rows of each year's current load: staged and replaced rows never count."""
    return CemRecord.objects.filter(load__status=CemLoad.Status.CURRENT)


def cem_counts(department: str | None = None, year: int | None = None) -> dict[str, Any]:
    """The counts, summed from the current loads' precomputed figures (never the rows)."""
    loads = CemLoad.objects.filter(status=CemLoad.Status.CURRENT)
    if year:
        loads = loads.filter(year=year)
    got = figures.read(loads.values_list("pk", flat=True), department)

    def count(variable: str, values: frozenset[str], sexes: tuple[str, ...] | None = None) -> int:
        return sum(n for (var, val, sex), n in got.items()
                   if var == variable and val in values and (sexes is None or sex in sexes))

    months = MEASURES["total"][1]
    return {
        "department": department or None,
        "year": year or None,
        "total": count("month", months),
        "by_sex": {sex: {name: count(variable, values, (sex,)) for name, (variable, values) in MEASURES.items()}
                   for sex in SEXES},
        "rape_reports": sum(n for (var, _val, _sex), n in got.items() if var == "rape"),
        "rape_reports_girls_under_18": count("rape", CHILD_BANDS, ("female",)),
        "repeat_aggression": count("first_time", frozenset({"false"})),
    }
