"""The CEM register's precomputed figures (:class:`~ruta.stats.models.CemFigure`): a load's rows
counted by department, one variable's value and sex.

Every figure the statistics pages and the exact counts (``counts``) show is a sum of these:
each table is one variable by sex, the districts and provinces are one variable (``place``,
``"<ubigeo>:<province>"``), and the rape cases are counted by age band (``rape``, only the rows
with ``rape``). They are counted while the file is read (:class:`Tally`, memory bounded by
:data:`FOLD_AT` whatever the file's size) and written in the transaction that makes the load
current; ``manage.py rebuild_cem_figures`` counts them again from the rows, with the same
:func:`fold`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from operator import itemgetter
from typing import Any

# The record's fields the figures need, in the order of a tally key (register.FIELDS without
# year, which is the load's, and cem, which no figure shows).
CUBE = ("month", "department", "province", "ubigeo", "sex", "age_band", "violence_type", "relationship",
        "risk", "complaint_filed", "first_time", "rape", "mother_tongue")
# A tally key from a register.Record (register.FIELDS).
_KEY = itemgetter(1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14)
# Variables counted as they are, by their position in a tally key.
_PLAIN = (("month", 0), ("age_band", 5), ("violence_type", 6), ("relationship", 7), ("risk", 8),
          ("complaint_filed", 9), ("first_time", 10), ("mother_tongue", 12))
FOLD_AT = 50_000  # distinct tally keys kept before folding them into figures

Key = tuple[str, str, str, str]  # department, variable, value, sex


def value(v: Any) -> str:
    """A value as a figure keeps it: booleans ``true``/``false``, unknown ``""``."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def fold(cube: Iterable[tuple[tuple[Any, ...], int]], into: Counter[Key]) -> None:
    """Add counts of full rows (a tally key in :data:`CUBE` order, and how many) to the figures."""
    for key, n in cube:
        department, sex = key[1], key[4]
        for variable, i in _PLAIN:
            into[(department, variable, value(key[i]), sex)] += n
        into[(department, "place", f"{key[3]}:{key[2]}", sex)] += n
        if key[11]:
            into[(department, "rape", key[5], sex)] += n


class Tally:
    """A year's figures, counted row by row while the file is read."""

    def __init__(self) -> None:
        self.cube: Counter[tuple[Any, ...]] = Counter()
        self.figures: Counter[Key] = Counter()

    def add(self, record: tuple[Any, ...]) -> None:
        cube = self.cube
        cube[_KEY(record)] += 1
        if len(cube) >= FOLD_AT:
            self.flush()

    def flush(self) -> Counter[Key]:
        fold(self.cube.items(), self.figures)
        self.cube.clear()
        return self.figures


def write(load_id: int, figures: Counter[Key]) -> None:
    """Insert a load's figures (the caller holds the transaction)."""
    from ruta.stats.models import CemFigure

    CemFigure.objects.bulk_create(
        [CemFigure(load_id=load_id, department=d, variable=var, value=val, sex=sex, n=n)
         for (d, var, val, sex), n in figures.items() if n], batch_size=2000)


def count_rows(load_id: int) -> Counter[Key]:
    """A load's figures counted again from its rows (one GROUP BY over the tally's fields)."""
    from django.db.models import Count

    from ruta.stats.models import CemRecord

    figures: Counter[Key] = Counter()
    rows = CemRecord.objects.filter(load_id=load_id).values_list(*CUBE).annotate(n=Count("id")).order_by()
    fold(((r[:-1], r[-1]) for r in rows.iterator(chunk_size=5000)), figures)
    return figures


def rebuild(load_id: int) -> int:
    """Replace a load's figures by a count of its rows, in one transaction; returns how many."""
    from django.db import transaction

    from ruta.stats.models import CemFigure

    figures = count_rows(load_id)
    with transaction.atomic():
        CemFigure.objects.filter(load_id=load_id).delete()
        write(load_id, figures)
    return sum(1 for n in figures.values() if n)


def read(load_ids: Iterable[int], department: str | None = None) -> Counter[tuple[str, str, str]]:
    """The figures of some loads, summed over them (and over departments unless one is given):
    ``{(variable, value, sex): n}``."""
    from ruta.stats.models import CemFigure

    rows = CemFigure.objects.filter(load_id__in=list(load_ids))
    if department:
        rows = rows.filter(department=department)
    out: Counter[tuple[str, str, str]] = Counter()
    for variable, val, sex, n in rows.values_list("variable", "value", "sex", "n"):
        out[(variable, val, sex)] += n
    return out
