"""Numbers as people read them, in the active language: one place for screens, charts and the PDF.

In Spanish (Peru) — Django's ``es`` formats, which ``es-pe`` uses — thousands are grouped
with a (non-breaking) space and decimals follow a comma: ``1 250``, ``12,5 %``; in English
``1,250`` and ``12.5 %``. Grouping is always on (``force_grouping``), whatever
``USE_THOUSAND_SEPARATOR`` says, so a count never reads as ``1250`` on one page and
``1 250`` on another.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format

NBSP = "\xa0"


def count(value: int | Decimal | float) -> str:
    """A whole number, grouped: ``1 250``."""
    return number_format(int(round(value)), force_grouping=True)


def decimal(value: int | Decimal | float, places: int = 1) -> str:
    """A number with ``places`` decimals (none when it is whole and ``places`` is 0): ``12,5``."""
    return number_format(value, decimal_pos=places, force_grouping=True)


def percent(value: int | Decimal | float, places: int = 0) -> str:
    """A percentage with a non-breaking space before the sign: ``95 %``, ``12,5 %``."""
    return f"{decimal(value, places)}{NBSP}%"


def trimmed(value: int | Decimal | float, places: int = 2) -> str:
    """Up to ``places`` decimals, trailing zeros dropped: ``1 250``, ``12,5``."""
    d = Decimal(str(value)).quantize(Decimal(1).scaleb(-places))
    if d == d.to_integral_value():
        return count(d)
    text = decimal(d, places)
    sep = decimal(Decimal("0.5"), 1)[1]  # the active decimal separator
    return text.rstrip("0").rstrip(sep) if sep in text else text


def parse(text: str) -> float:
    """The number a string of :func:`count` or :func:`decimal` stands for, in the active language."""
    from django.utils.formats import get_format

    grouping, point = str(get_format("THOUSAND_SEPARATOR")), str(get_format("DECIMAL_SEPARATOR"))
    cleaned = text.replace(NBSP, "").replace(" ", "").replace(grouping, "").replace(point, ".")
    return float(cleaned)
