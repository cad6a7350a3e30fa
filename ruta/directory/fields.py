"""A list of short codes stored as delimited text, filterable on SQLite and PostgreSQL.

``["medical", "legal"]`` is stored as ``",medical,legal,"``. The leading and trailing
commas make ``LIKE '%,code,%'`` an exact-code match on every database (JSONField
``contains`` on lists does not work on SQLite). Query it with the ``has`` lookup:
``Service.objects.filter(offers__has="medical")``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

SEPARATOR = ","


def encode_codes(codes: Iterable[str]) -> str:
    """``["b", "a", "a"]`` → ``",a,b,"`` (sorted, de-duplicated; empty list → ``","``)."""
    clean = sorted({c.strip() for c in codes if c and c.strip()})
    return SEPARATOR + SEPARATOR.join(clean) + SEPARATOR if clean else SEPARATOR


def decode_codes(value: str | None) -> list[str]:
    return [c for c in (value or "").split(SEPARATOR) if c]


class CodeListField(models.CharField):  # type: ignore[type-arg]
    """A list of codes from ``choices``; the Python value is always a ``list[str]``."""

    description = "List of codes"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> list[str]:
        return decode_codes(value)

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, list | tuple | set):
            return sorted({str(v) for v in value if v})
        return decode_codes(value)

    def get_prep_value(self, value: Any) -> str:
        if isinstance(value, str):
            value = decode_codes(value) if SEPARATOR in value else [value]
        return encode_codes(value or [])

    def value_to_string(self, obj: Any) -> str:
        return encode_codes(self.value_from_object(obj) or [])

    def validate(self, value: Any, model_instance: Any) -> None:
        allowed = {str(k) for k, _ in self.flatchoices}
        unknown = [v for v in value or [] if v not in allowed]
        if unknown:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": ", ".join(unknown)}
            )
        if not value and not self.blank:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def run_validators(self, value: Any) -> None:
        # max_length applies to the stored text, not to the list.
        super().run_validators(encode_codes(value or []))

    def formfield(self, form_class: Any = None, choices_form_class: Any = None, **kwargs: Any) -> Any:
        return forms.TypedMultipleChoiceField(
            choices=self.choices or [],
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=kwargs.get("label", self.verbose_name),
            help_text=kwargs.get("help_text", self.help_text),
            initial=kwargs.get("initial"),
        )


@CodeListField.register_lookup
class HasCode(models.Lookup):  # type: ignore[type-arg]
    """``field__has="code"``: the list contains exactly this code."""

    lookup_name = "has"
    prepare_rhs = False

    def get_db_prep_lookup(self, value: Any, connection: Any) -> Any:
        escaped = str(value).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return "%s", [f"%{SEPARATOR}{escaped}{SEPARATOR}%"]

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs} ESCAPE '\\'", [*lhs_params, *rhs_params]
