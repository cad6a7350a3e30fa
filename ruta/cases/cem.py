"""Codes of the official CEM case register (see ``data/README.md``), as Django choices.

The labels are the register's own Spanish text, with Ruta's English translation for
English screens; the stored value is always the register's integer code.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from django.utils.functional import lazy
from django.utils.translation import get_language

DATA = Path(__file__).resolve().parent / "data" / "cem_codes.csv"


@cache
def _table() -> dict[str, list[tuple[int, str, str]]]:
    table: dict[str, list[tuple[int, str, str]]] = {}
    with DATA.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            table.setdefault(row["variable"], []).append((int(row["code"]), row["label_es"], row["label_en"]))
    return table


def _label(variable: str, code: int) -> str:
    lang = (get_language() or "es").lower()
    for c, es, en in _table()[variable]:
        if c == code:
            return es if lang.startswith("es") else en
    return str(code)


_lazy_label = lazy(_label, str)


def choices(variable: str) -> list[tuple[int, str]]:
    """``[(code, label)]`` for a register variable; the labels follow the active language."""
    return [(code, _lazy_label(variable, code)) for code, _es, _en in _table()[variable]]


def label(variable: str, code: int | None) -> str:
    return "" if code is None else _label(variable, code)


MOTHER_TONGUE = "LENGUA_MATERNA_VICTIMA"
RISK_LEVEL = "NIVEL_DE_RIESGO_VICTIMA"
LIVES_WITH = "AGRESOR_VIVE_CASA_VICTIMA"
FIRST_TIME = "PRIMERA_VEZ_AGREDE"
VIOLENCE_TYPE = "TIPO_VIOLENCIA"
RELATIONSHIP_GROUP = "VINCULO_AGRESOR_VICTIMA"

# Ruta's stable violence-type codes (docs/architecture.md, "Stable codes") ↔ the register's TIPO_VIOLENCIA codes.
VIOLENCE_TYPE_CODES = {"economic": 0, "psychological": 1, "physical": 2, "sexual": 3}
