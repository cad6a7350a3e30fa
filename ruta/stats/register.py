"""The CEM register's format and how one of its rows becomes what Ruta keeps.

The ministry publishes the register of the Centros Emergencia Mujer as yearly microdata in
the format of ``data/diccionario_cem_estructurado.csv`` (168 variables). Ruta keeps only what
its statistics need, mapped to its stable codes (DESIGN.md "Stable codes"); free text, dates
of birth, ages in years and everything else are dropped as the row is read.

A coded variable is accepted as its code (``0``, ``"0"``, ``0.0`` from a spreadsheet or an
SPSS file) or as the label the dictionary gives it (``Mujer``, in any case, with or without
accents), because files exported with value labels exist.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from ruta.lib.codes import MotherTongue

DICTIONARY = Path(__file__).parent / "data" / "diccionario_cem_estructurado.csv"

# MIMP's age bands for statistics (DESIGN.md), as (code, first age, last age).
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("0-5", 0, 5), ("6-11", 6, 11), ("12-17", 12, 17), ("18-29", 18, 29), ("30-59", 30, 59), ("60+", 60, 150),
)
CHILD_BANDS = frozenset({"0-5", "6-11", "12-17"})  # under 18
MAX_AGE = 120

SEX = {"0": "female", "1": "male"}
VIOLENCE_TYPE = {"0": "economic", "1": "psychological", "2": "physical", "3": "sexual"}
# The register's relationship is coarser than Ruta's case codes: "partner" includes former
# partners, "family" any relative, "none" neither.
RELATIONSHIP = {"1": "partner", "2": "family", "3": "none"}
RISK = {"1": "mild", "2": "moderate", "3": "severe"}
YES_NO = {"0": False, "1": True}
RAPE = {"0": False, "1": True}  # the register leaves it blank when not rape
MOTHER_TONGUE = {
    "1": MotherTongue.QUECHUA, "2": MotherTongue.AYMARA, "3": MotherTongue.OTHER_NATIVE,  # Asháninka
    "4": MotherTongue.OTHER_NATIVE,  # Awajún
    "5": MotherTongue.SHIPIBO_KONIBO, "6": MotherTongue.OTHER_NATIVE,  # Shawi
    "7": MotherTongue.MATSIGENKA, "8": MotherTongue.OTHER_NATIVE,  # Achuar
    "9": MotherTongue.OTHER_NATIVE, "10": MotherTongue.SPANISH, "11": MotherTongue.FOREIGN,  # Portuguese
    "12": MotherTongue.FOREIGN, "13": MotherTongue.SIGN_LANGUAGE,
    "14": MotherTongue.UNKNOWN,  # does not hear or speak
    "15": MotherTongue.UNKNOWN,
}

# The register's variables Ruta reads (every other column is skipped unread).
CEM = "CEM"
DATE = "FECHA_INGRESO"
AGE = "EDAD_VICTIMA"
COLUMNS = (
    CEM, DATE, AGE, "SEXO_VICTIMA", "LENGUA_MATERNA_VICTIMA", "DPTO_DOMICILIO", "PROV_DOMICILIO",
    "DIST_DOMICILIO", "VINCULO_AGRESOR_VICTIMA", "TIPO_VIOLENCIA", "VIOLACION", "PRIMERA_VEZ_AGREDE",
    "NIVEL_DE_RIESGO_VICTIMA", "INTERPUSO_DENUNCIA",
)
# (column, field, codes, required): a blank optional value is stored as unknown.
CODED: tuple[tuple[str, str, dict[str, Any], bool], ...] = (
    ("SEXO_VICTIMA", "sex", SEX, True),
    ("TIPO_VIOLENCIA", "violence_type", VIOLENCE_TYPE, True),
    ("VINCULO_AGRESOR_VICTIMA", "relationship", RELATIONSHIP, False),
    ("NIVEL_DE_RIESGO_VICTIMA", "risk", RISK, False),
    ("INTERPUSO_DENUNCIA", "complaint_filed", YES_NO, False),
    ("PRIMERA_VEZ_AGREDE", "first_time", YES_NO, False),
    ("VIOLACION", "rape", RAPE, False),
    ("LENGUA_MATERNA_VICTIMA", "mother_tongue", MOTHER_TONGUE, False),
)
BLANK: dict[str, Any] = {
    "relationship": "unknown", "risk": "unknown", "complaint_filed": None, "first_time": None, "rape": False,
    "mother_tongue": MotherTongue.UNKNOWN,
}

# What one register row becomes, in this order (also the order of the idempotency digest).
FIELDS = (
    "year", "month", "department", "province", "ubigeo", "cem", "sex", "age_band", "violence_type",
    "relationship", "risk", "complaint_filed", "first_time", "rape", "mother_tongue",
)
Record = tuple[Any, ...]


def variables() -> list[str]:
    """The register's 168 variables, in the dictionary's order."""
    return [row["variable"] for row in _dictionary()]


@cache
def _dictionary() -> list[dict[str, str]]:
    with DICTIONARY.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def normalise(text: str) -> str:
    """Labels compare without case, accents or repeated spaces (``Castellano`` = ``CASTELLANO``)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().split())


@cache
def labels(variable: str) -> dict[str, str]:
    """The dictionary's labels of a coded variable, normalised: ``{"mujer": "0", ...}``."""
    for row in _dictionary():
        if row["variable"] == variable:
            out: dict[str, str] = {}
            for part in row["categorias_documentadas"].split("||"):
                code, sep, label = part.partition("=")
                if sep and code.strip().isdigit():
                    out[normalise(label)] = code.strip()
            return out
    return {}


def age_band(age: int) -> str:
    for code, first, last in AGE_BANDS:
        if first <= age <= last:
            return code
    return "unknown"


@dataclass(frozen=True)
class CellError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class Header(Exception):
    """The file lacks columns of the register; ``message`` is for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_INT = re.compile(r"^\s*(-?\d+)(?:\.0*)?\s*$")


def _code_text(value: Any) -> str:
    """``1``, ``1.0``, ``"1"``, ``"1.0"`` and ``" 1 "`` are all the code ``"1"``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value == value and value.is_integer() else repr(value)  # NaN: SPSS missing
    text = str(value).strip()
    m = _INT.match(text)
    return m.group(1).lstrip("0") or "0" if m and not text.startswith("-") else text


def _ubigeo_part(value: Any) -> str:
    text = _code_text(value)
    return text.zfill(2) if text.isdigit() and len(text) <= 2 else ("" if text == "" else "?")


def _date(value: Any) -> tuple[int, int] | None:
    if isinstance(value, dt.datetime | dt.date):
        return value.year, value.month
    text = str(value or "").strip().split(" ")[0].split("T")[0]
    try:
        if "/" in text:
            day, month, year = (int(p) for p in text.split("/"))
            dt.date(year, month, day)
        elif "-" in text:
            parsed = dt.date.fromisoformat(text)
            year, month = parsed.year, parsed.month
        else:
            return None
    except ValueError:
        return None
    if not 1990 <= year <= 2100:
        return None
    return year, month


def row_mapper(headers: Sequence[str]) -> Callable[[int, Sequence[Any], list[CellError]], Record | None]:
    """A function turning one row of a file with these headers into a :data:`Record`, or
    ``None`` after appending what is wrong with it, column by column, to ``errors``."""
    index = {h.strip().upper(): i for i, h in enumerate(headers)}
    missing = [c for c in COLUMNS if c not in index]
    if missing:
        raise Header(_("This is not a file of the CEM register: the columns {columns} are missing.").format(
            columns=", ".join(missing)))
    i_cem, i_date, i_age = index[CEM], index[DATE], index[AGE]
    i_dpto, i_prov, i_dist = index["DPTO_DOMICILIO"], index["PROV_DOMICILIO"], index["DIST_DOMICILIO"]
    coded = []
    for column, field, codes, required in CODED:
        table: dict[str, Any] = dict(codes)
        for label, code in labels(column).items():
            if code in codes:
                table.setdefault(label, codes[code])
        coded.append((index[column], column, field, table, required))
    bad_code = _("“{value}” is not one of the register's codes for this column.")
    blank = _("This column cannot be blank.")

    def to_record(number: int, values: Sequence[Any], errors: list[CellError]) -> Record | None:
        start = len(errors)
        when = _date(values[i_date])
        if when is None:
            errors.append(CellError(number, DATE, _("Not a date of intake (dd/mm/yyyy).")))
        age_text = _code_text(values[i_age])
        band = ""
        if not age_text.isdigit() or int(age_text) > MAX_AGE:
            errors.append(CellError(number, AGE, blank if age_text == "" else _("Not an age in years.")))
        else:
            band = age_band(int(age_text))
        dpto, prov, dist = _ubigeo_part(values[i_dpto]), _ubigeo_part(values[i_prov]), _ubigeo_part(values[i_dist])
        for column, part in (("DPTO_DOMICILIO", dpto), ("PROV_DOMICILIO", prov), ("DIST_DOMICILIO", dist)):
            if part == "?":
                errors.append(CellError(number, column, _("Not a UBIGEO code of two digits.")))
        if dpto == "":
            errors.append(CellError(number, "DPTO_DOMICILIO", blank))
        mapped: dict[str, Any] = {}
        for i, column, field, table, required in coded:
            raw = values[i]
            text = _code_text(raw)
            if text == "" or text == "nan":
                if required:
                    errors.append(CellError(number, column, blank))
                mapped[field] = BLANK.get(field, "unknown")
                continue
            code = table.get(text)
            if code is None:
                code = table.get(normalise(text))
            if code is None:
                errors.append(CellError(number, column, bad_code.format(value=str(raw)[:40])))
                continue
            mapped[field] = code
        if len(errors) > start or when is None:
            return None
        province = dpto + prov if prov else ""
        ubigeo = province + dist if province and dist else ""
        cem = " ".join(str(values[i_cem] or "").split())[:80]
        return (
            when[0], when[1], dpto, province, ubigeo, cem, mapped["sex"], band, mapped["violence_type"],
            mapped["relationship"], mapped["risk"], mapped["complaint_filed"], mapped["first_time"],
            mapped["rape"], str(mapped["mother_tongue"]),
        )

    return to_record
