"""The CEM register's format and how one of its rows becomes what Ruta keeps.

The ministry publishes the register of the Centros Emergencia Mujer as yearly microdata in
the format of ``data/diccionario_cem_estructurado.csv`` (168 variables). Ruta keeps only what
its statistics need, mapped to its stable codes (docs/architecture.md, "Stable codes"); free text, dates
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

# MIMP's age bands for statistics (docs/architecture.md), as (code, first age, last age).
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


class Bad:
    """A value that could not be read; ``message`` says why (translated)."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


MEMO_LIMIT = 20_000  # distinct values remembered per column: dates, codes and CEM names are few


def row_mapper(headers: Sequence[str]) -> Callable[[int, Sequence[Any], list[CellError]], Record | None]:
    """A function turning one row of a file with these headers into a :data:`Record`, or
    ``None`` after appending what is wrong with it, column by column, to ``errors``.

    Each column's conversions are remembered (a register has few distinct values per
    column), which keeps the import above 25,000 rows/s."""
    index = {h.strip().upper(): i for i, h in enumerate(headers)}
    missing = [c for c in COLUMNS if c not in index]
    if missing:
        raise Header(_("This is not a file of the CEM register: the columns {columns} are missing.").format(
            columns=", ".join(missing)))
    bad_code = _("“{value}” is not one of the register's codes for this column.")
    blank = Bad(_("This column cannot be blank."))
    bad_date = Bad(_("Not a date of intake (dd/mm/yyyy)."))
    bad_age = Bad(_("Not an age in years."))
    bad_ubigeo = Bad(_("Not a UBIGEO code of two digits."))

    def date(raw: Any) -> Any:
        return _date(raw) or bad_date

    def age(raw: Any) -> Any:
        text = _code_text(raw)
        if text == "" or text == "nan":
            return blank
        return age_band(int(text)) if text.isdigit() and int(text) <= MAX_AGE else bad_age

    def ubigeo(required: bool) -> Callable[[Any], Any]:
        def convert(raw: Any) -> Any:
            part = _ubigeo_part(raw)
            if part == "?":
                return bad_ubigeo
            return blank if required and part == "" else part
        return convert

    def cem(raw: Any) -> Any:
        return " ".join(str(raw or "").split())[:80]

    def coded(codes: dict[str, Any], column: str, field: str, required: bool) -> Callable[[Any], Any]:
        table: dict[str, Any] = dict(codes)
        for label, code in labels(column).items():
            if code in codes:
                table.setdefault(label, codes[code])

        def convert(raw: Any) -> Any:
            text = _code_text(raw)
            if text == "" or text == "nan":
                return blank if required else BLANK.get(field, "unknown")
            code = table.get(text)
            if code is None:
                code = table.get(normalise(text))
            return Bad(bad_code.format(value=str(raw)[:40])) if code is None else code
        return convert

    converters: list[tuple[int, str, Callable[[Any], Any]]] = [
        (index[DATE], DATE, date), (index[AGE], AGE, age),
        (index["DPTO_DOMICILIO"], "DPTO_DOMICILIO", ubigeo(True)),
        (index["PROV_DOMICILIO"], "PROV_DOMICILIO", ubigeo(False)),
        (index["DIST_DOMICILIO"], "DIST_DOMICILIO", ubigeo(False)), (index[CEM], CEM, cem),
    ]
    converters += [(index[column], column, coded(codes, column, field, required))
                   for column, field, codes, required in CODED]
    memos: list[dict[Any, Any]] = [{} for _c in converters]
    plan = list(zip(converters, memos, strict=True))

    def to_record(number: int, values: Sequence[Any], errors: list[CellError]) -> Record | None:
        got: list[Any] = []
        failed = False
        for (i, column, convert), memo in plan:
            raw = values[i]
            try:
                value = memo[raw]
            except KeyError:
                value = convert(raw)
                if len(memo) < MEMO_LIMIT:
                    memo[raw] = value
            except TypeError:  # an unhashable value
                value = convert(raw)
            if value.__class__ is Bad:
                errors.append(CellError(number, column, value.message))
                failed = True
            got.append(value)
        if failed:
            return None
        (year, month), band, dpto, prov, dist, name, *rest = got
        province = dpto + prov if prov else ""
        district = province + dist if province and dist else ""
        sex, violence, relationship, risk, complaint, first_time, rape, tongue = rest
        return (year, month, dpto, province, district, name, sex, band, violence, relationship, risk, complaint,
                first_time, rape, str(tongue))

    return to_record
