"""The precomputed figures (``ruta.stats.figures``) equal a direct count of the current rows
after an import, a replacement of the year and a re-import of the same file; the rebuild
command counts the same."""

from __future__ import annotations

import io
import tempfile
from collections import Counter
from pathlib import Path

from django.core.management import call_command
from django.db.models import Count
from django.test import TestCase

from ruta.stats import figures
from ruta.stats.counts import current_records
from ruta.stats.models import CemFigure, CemLoad
from ruta.stats.tables import _year_set, year_set
from ruta.stats.tests import register_file


def stored() -> Counter[tuple[str, str, str, str]]:
    out: Counter[tuple[str, str, str, str]] = Counter()
    for d, var, val, sex, n in CemFigure.objects.filter(load__status=CemLoad.Status.CURRENT).values_list(
            "department", "variable", "value", "sex", "n"):
        out[(d, var, val, sex)] += n
    return out


def direct() -> Counter[tuple[str, str, str, str]]:
    """The figures by one GROUP BY per variable on the current rows (not through ``figures.fold``)."""
    out: Counter[tuple[str, str, str, str]] = Counter()
    rows = current_records()
    for var, _i in figures._PLAIN:  # noqa: SLF001
        for r in rows.values("department", var, "sex").annotate(n=Count("id")).order_by():
            out[(r["department"], var, figures.value(r[var]), r["sex"])] += r["n"]
    for r in rows.values("department", "ubigeo", "province", "sex").annotate(n=Count("id")).order_by():
        out[(r["department"], "place", f"{r['ubigeo']}:{r['province']}", r["sex"])] += r["n"]
    for r in rows.filter(rape=True).values("department", "age_band", "sex").annotate(n=Count("id")).order_by():
        out[(r["department"], "rape", r["age_band"], r["sex"])] += r["n"]
    return out


class FiguresTest(TestCase):
    def setUp(self) -> None:
        self.tmp = Path(self.enterContext(tempfile.TemporaryDirectory()))

    def write(self, name: str, data: bytes) -> Path:
        path = self.tmp / name
        path.write_bytes(data)
        return path

    def check(self) -> None:
        assert +stored() == +direct()
        assert CemFigure.objects.exclude(load__status=CemLoad.Status.CURRENT).count() == 0

    def test_figures_equal_a_direct_count_after_import_replace_and_reimport(self) -> None:
        first = register_file.csv_text(list(register_file.rows(1500, seed=21, year=2023))
                                       + list(register_file.rows(2000, seed=22))).encode()
        call_command("import_cem", str(self.write("a.csv", first)), stdout=io.StringIO())
        self.check()
        before = sorted(CemFigure.objects.values_list("load_id", "department", "variable", "value", "sex", "n"))
        assert before

        # The same file again: nothing changes, not even the figures' loads.
        call_command("import_cem", str(self.write("again.csv", first)), stdout=io.StringIO())
        self.check()
        assert sorted(CemFigure.objects.values_list("load_id", "department", "variable", "value", "sex", "n")) \
            == before

        # A newer file for 2024 replaces that year's figures only.
        newer = register_file.csv_text(list(register_file.rows(900, seed=23))).encode()
        call_command("import_cem", str(self.write("b.csv", newer)), "--replace", stdout=io.StringIO())
        self.check()
        assert stored()[("17", "month", "1", "female")] > 0
        assert sum(n for (_d, var, _v, _s), n in stored().items() if var == "month") == 1500 + 900

        # The rebuild counts the same figures from the rows; the pages read what it writes.
        page = year_set("17", 2024).parts
        kept = stored()
        CemFigure.objects.all().delete()
        call_command("rebuild_cem_figures", stdout=io.StringIO())
        assert stored() == kept
        _year_set.cache_clear()
        assert year_set("17", 2024).parts == page
