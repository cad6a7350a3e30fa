"""What the engine needs to know about a case, and how it is read from outside.

``parse_plan_input`` is the one parser used by the API, the guide's screens and the
``pathway_plan`` command: it returns a :class:`PlanInput` or a message per field, in the
active language. Nothing here identifies a person: no names, no narrative.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ruta.pathway.codes import LANGS, RELATIONSHIPS, REPORTER_ROLES, SEXES, VIOLENCE_TYPES

MAX_AGE = 120
MAX_HOURS = 1_000_000  # about 114 years: anything larger is a typing mistake


@dataclass
class PlanInput:
    age: int | None = None
    sex: str = "unknown"
    violence_types: list[str] = field(default_factory=list)
    hours_since_incident: int | None = None
    aggressor_relationship: str = "unknown"
    aggressor_lives_with_survivor: bool = False
    immediate_danger: bool = False
    is_student: bool = False
    reporter_role: str = "self"
    district: str | None = None  # 6-digit UBIGEO
    lang: str = "es"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


FIELDS = tuple(PlanInput.__dataclass_fields__)
_TRUE = {"true", "1", "yes", "on", "si", "sí"}
_FALSE = {"false", "0", "no", "off", ""}


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _whole_number(value: Any, maximum: int) -> int | None:
    """A whole number in 0..maximum from an int or a string of digits; None if not."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and 0 <= value <= maximum:
        return value
    return None


def _boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    return None


def _choice_message(choices: tuple[str, ...]) -> str:
    return _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices)}


def parse_plan_input(raw: Mapping[str, Any]) -> tuple[PlanInput | None, dict[str, str]]:
    """Read the engine's input from a JSON object or form data (values may be strings)."""
    errors: dict[str, str] = {}
    if not isinstance(raw, Mapping):
        return None, {"__all__": _("The input must be a JSON object.")}
    values: dict[str, Any] = {}

    for key in raw:
        if key not in FIELDS:
            errors[str(key)] = _("Unknown field.")

    age = raw.get("age")
    if _empty(age):
        values["age"] = None
    elif (n := _whole_number(age, MAX_AGE)) is None:
        errors["age"] = _("Age must be a whole number of years from 0 to %(max)d, or empty if not known.") % {
            "max": MAX_AGE}
    else:
        values["age"] = n

    hours = raw.get("hours_since_incident")
    if _empty(hours):
        values["hours_since_incident"] = None
    elif (n := _whole_number(hours, MAX_HOURS)) is None:
        errors["hours_since_incident"] = _(
            "Hours since the incident must be a whole number from 0 to %(max)d, or empty if not known."
        ) % {"max": MAX_HOURS}
    else:
        values["hours_since_incident"] = n

    for name, choices, default in (
        ("sex", SEXES, "unknown"),
        ("aggressor_relationship", RELATIONSHIPS, "unknown"),
        ("reporter_role", REPORTER_ROLES, "self"),
        ("lang", LANGS, "es"),
    ):
        value = raw.get(name)
        if _empty(value):
            values[name] = default
        elif isinstance(value, str) and value.strip() in choices:
            values[name] = value.strip()
        else:
            errors[name] = _choice_message(choices)

    types = raw.get("violence_types")
    if isinstance(types, str):
        types = [t for t in (p.strip() for p in types.split(",")) if t]
    if not isinstance(types, list | tuple) or not types:
        errors["violence_types"] = _("Choose at least one kind of violence: %(choices)s.") % {
            "choices": ", ".join(VIOLENCE_TYPES)}
    elif any(not isinstance(t, str) or t not in VIOLENCE_TYPES for t in types):
        errors["violence_types"] = _("Each kind of violence must be one of: %(choices)s.") % {
            "choices": ", ".join(VIOLENCE_TYPES)}
    else:
        values["violence_types"] = [t for t in VIOLENCE_TYPES if t in types]  # canonical order, no repeats

    for name in ("aggressor_lives_with_survivor", "immediate_danger", "is_student"):
        flag = _boolean(raw.get(name))
        if flag is None:
            errors[name] = _("Must be true or false.")
        else:
            values[name] = flag

    district = raw.get("district")
    if _empty(district):
        values["district"] = None
    elif not isinstance(district, str) or len(district.strip()) != 6 or not district.strip().isdigit():
        errors["district"] = _("Must be a 6-digit UBIGEO district code, such as 170101 for Tambopata.")
    else:
        from ruta.geo.models import District

        if not District.objects.filter(code=district.strip()).exists():
            errors["district"] = _("There is no district with this UBIGEO code.")
        else:
            values["district"] = district.strip()

    if errors:
        return None, errors
    return PlanInput(**values), {}
