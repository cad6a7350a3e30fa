"""Turn one spreadsheet cell into a domain value, or say what is wrong with it.

Each parser takes the raw cell (``str`` from CSV; ``str``/number/date from XLSX) and returns
the value or raises :class:`CellError` with a message in the user's language. People in
Madre de Dios write dates day first and sexes and groups in Spanish, so both the stable
codes of docs/architecture.md and their usual Spanish words are accepted.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.utils.translation import gettext as _

from ruta.geo.codes import MADRE_DE_DIOS
from ruta.program.imports.reader import Value


class CellError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def is_blank(value: Value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _formula_error(value: Value) -> None:
    if isinstance(value, str) and value.startswith("="):
        raise CellError(_("This cell holds a formula ({formula}); Ruta never runs formulas. Type the value itself.")
                        .format(formula=value[:40]))


def text(value: Value, *, max_length: int) -> str:
    """Free text: stored as typed, a formula included (as text), never evaluated."""
    if value is None:
        return ""
    if isinstance(value, bool):
        out = "TRUE" if value else "FALSE"
    elif isinstance(value, dt.datetime | dt.date):
        out = value.isoformat()
    else:
        out = str(value)
    out = " ".join(out.split())
    if len(out) > max_length:
        raise CellError(_("At most {n} characters; this cell has {m}.").format(n=max_length, m=len(out)))
    return out


CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-/]*$")


def code(value: Value, *, max_length: int = 32) -> str:
    _formula_error(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    out = text(value, max_length=max_length)
    if not out:
        raise CellError(_("The participant code is required."))
    if not CODE_PATTERN.match(out):
        raise CellError(_("A code has only letters, digits, dots, dashes and slashes, without spaces: {value}.")
                        .format(value=out[:40]))
    return out.upper()


_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+\-]\d\d:?\d\d)?)?$")


def date(value: Value, *, earliest: dt.date, latest: dt.date) -> dt.date:
    """A date cell, ``2010-03-25`` (ISO, KoboToolbox) or ``25/03/2010`` (day first, as in Peru)."""
    _formula_error(value)
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, bool) or isinstance(value, int | float):
        raise CellError(_("Not a date: {value}. Write it as 25/03/2010 or 2010-03-25.").format(value=value))
    else:
        raw = str(value).strip()
        match = _ISO.match(raw)
        try:
            if match:
                day = dt.date(int(match[1]), int(match[2]), int(match[3]))
            elif match := _DAY_FIRST.match(raw):
                day = dt.date(int(match[3]), int(match[2]), int(match[1]))
            else:
                raise CellError(_("Not a date: {value}. Write it as 25/03/2010 or 2010-03-25.")
                                .format(value=raw[:40]))
        except ValueError:
            raise CellError(_("This date does not exist: {value}.").format(value=raw[:40])) from None
    if day > latest:
        raise CellError(_("The date {date} is in the future.").format(date=day.isoformat()))
    if day < earliest:
        raise CellError(_("The date {date} is too far in the past.").format(date=day.isoformat()))
    return day


def integer(value: Value, *, minimum: int, maximum: int) -> int:
    _formula_error(value)
    if isinstance(value, bool):
        raise CellError(_("Not a whole number: {value}.").format(value=value))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        raw = str(value).strip()
        if not re.fullmatch(r"\d+(?:[.,]0+)?", raw):
            raise CellError(_("Not a whole number: {value}.").format(value=raw[:40]))
        number = int(re.split(r"[.,]", raw)[0])
    if not minimum <= number <= maximum:
        raise CellError(_("Must be between {low} and {high}; this cell has {value}.").format(
            low=minimum, high=maximum, value=number))
    return number


def _choice_map(pairs: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for code_, words in pairs.items():
        out[_fold(code_)] = code_
        for word in words:
            out[_fold(word)] = code_
    return out


SEX_WORDS = _choice_map({
    "female": ("f", "mujer", "femenino", "mujeres", "woman"),
    "male": ("m", "hombre", "varon", "masculino", "man"),
    "intersex": ("intersexual",),
    "unknown": ("desconocido", "no sabe", "sin dato", "ns", "nr", "prefiere no decir"),
})

GROUP_WORDS = _choice_map({
    "youth": ("joven", "jovenes", "adolescente", "estudiante", "young people", "young person"),
    "teacher": ("docente", "docentes", "profesor", "profesora", "maestro", "maestra", "teachers"),
    "authority": ("autoridad", "autoridades", "autoridad local", "local authority", "funcionario"),
    "community_org": ("organizacion comunitaria", "organizacion de base", "lider comunitario", "lideresa",
                      "community organisation"),
    "family": ("familia", "familiar", "padre", "madre", "apoderado", "apoderada"),
    "other": ("otro", "otra", "otros"),
})

YES_WORDS = {"yes", "si", "y", "s", "1", "true", "verdadero", "x"}
NO_WORDS = {"no", "n", "0", "false", "falso"}


def choice(value: Value, words: dict[str, str], *, allowed: str, blank: str | None = None) -> str:
    _formula_error(value)
    if is_blank(value):
        if blank is not None:
            return blank
        raise CellError(_("This value is required. Allowed: {allowed}.").format(allowed=allowed))
    found = words.get(_fold(str(value)))
    if found is None:
        raise CellError(_("Unknown value “{value}”. Allowed: {allowed}.").format(
            value=str(value)[:40], allowed=allowed))
    return found


def yes_no(value: Value) -> bool:
    _formula_error(value)
    if is_blank(value):
        return False
    if isinstance(value, bool):
        return value
    folded = _fold(str(value))
    if folded in YES_WORDS:
        return True
    if folded in NO_WORDS:
        return False
    raise CellError(_("Write yes or no; this cell has “{value}”.").format(value=str(value)[:40]))


class Districts:
    """UBIGEO codes, or district names when the name is unambiguous (Madre de Dios first)."""

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        self.codes = {c for c, _n in rows}
        by_name: dict[str, list[str]] = {}
        for c, n in rows:
            by_name.setdefault(_fold(n), []).append(c)
        self.local: dict[str, str] = {}
        self.national: dict[str, str] = {}
        self.ambiguous: set[str] = set()
        for name, codes in by_name.items():
            local = [c for c in codes if c.startswith(MADRE_DE_DIOS)]
            if len(local) == 1:
                self.local[name] = local[0]
            elif len(codes) == 1:
                self.national[name] = codes[0]
            else:
                self.ambiguous.add(name)

    @classmethod
    def load(cls) -> Districts:
        from ruta.geo.models import District

        return cls(list(District.objects.values_list("code", "name")))

    def parse(self, value: Value) -> str:
        _formula_error(value)
        if is_blank(value):
            raise CellError(_("The district is required (its 6-digit UBIGEO code, e.g. 170101 for Tambopata)."))
        raw = str(value).strip()
        if isinstance(value, int) or raw.isdigit():
            raw = raw.zfill(6)
            if raw in self.codes:
                return raw
            raise CellError(_("Unknown district code {code}: use the 6-digit UBIGEO code, e.g. 170101.")
                            .format(code=raw))
        folded = _fold(raw)
        found = self.local.get(folded) or self.national.get(folded)
        if found:
            return found
        if folded in self.ambiguous:
            raise CellError(_("Several districts of Peru are called “{name}”: use its UBIGEO code.")
                            .format(name=raw[:40]))
        raise CellError(_("Unknown district “{name}”: use its 6-digit UBIGEO code, e.g. 170101.")
                        .format(name=raw[:40]))
