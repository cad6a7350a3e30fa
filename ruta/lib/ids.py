"""Object ids that come from outside (form fields, query strings), bounded to what the
database stores.

SQLite and PostgreSQL keep ids as signed 64-bit integers; Python's are unbounded. Django
answers "not found" for an out-of-range ``pk=`` lookup, but an ``__in`` lookup, an insert or
an OFFSET with such a value reaches SQLite and raises ``OverflowError`` (a 500). Every id
read from a request goes through :func:`parse_id` (or :class:`IdMultipleChoiceField`) first.
"""

from __future__ import annotations

from typing import Any

from django import forms

MAX_ID = 2**63 - 1  # the largest signed 64-bit integer: SQLite's INTEGER, PostgreSQL's bigint


def parse_id(raw: object) -> int | None:
    """A positive id from a string of ASCII digits, or None (not digits, zero, or too large)."""
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit() or len(raw) > 19:
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """A ModelMultipleChoiceField whose values are checked as ids before any query."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            if parse_id(str(pk)) is None:
                raise forms.ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                            params={"pk": pk})
        return super()._check_values(value)  # type: ignore[misc]
