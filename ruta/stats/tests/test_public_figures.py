"""The statistics pages with the whole year published as one protected set: the public page
(``/cifras/``), the trend across years, provinces and districts, the fact sheet, Madre de Dios
beside Peru, and an attacker who reads every table of one year together."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from typing import Any

from django.test import Client, TestCase
from django.urls import reverse

from ruta.stats.cem_import import import_file
from ruta.stats.tables import build, facts, trend, year_set
from ruta.stats.tests import register_file
from ruta.testing.cast import make_cast
from ruta.testing.disclosure import SearchTooLong, recovered
from ruta.testing.weight import page_weight

BUDGET = 30 * 1024


def _import(records: list[dict[str, str]], name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(register_file.csv_text(records).encode())
        import_file(path, name=name)


class PublicFiguresTest(TestCase):
    cast: Any

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        records = list(register_file.rows(300, seed=5))
        for r in records:
            r.update(DPTO_DOMICILIO="17")
        for r in records[:3]:  # three boys of 0-5 in 2024: small cells in several tables
            r.update(SEXO_VICTIMA="1", EDAD_VICTIMA="3", LENGUA_MATERNA_VICTIMA="13")
        for r in records[3:]:
            if r["SEXO_VICTIMA"] == "1" and int(r["EDAD_VICTIMA"]) <= 5:
                r["EDAD_VICTIMA"] = "40"
            if r["LENGUA_MATERNA_VICTIMA"] == "13":
                r["LENGUA_MATERNA_VICTIMA"] = "10"
        _import(records, "figures-2024.csv")
        earlier = list(register_file.rows(120, seed=6, year=2023))
        for r in earlier:
            r.update(DPTO_DOMICILIO="17")
        _import(earlier, "figures-2023.csv")

    def test_an_attacker_reading_every_table_of_the_year_recovers_no_small_count(self) -> None:
        ys = year_set("17", 2024)
        parts = [ys.parts[s] for s in ys.slugs]
        tables = [ys.protected[s] for s in ys.slugs]
        assert any(c.mark == "<5" for t in tables for r in t.cells for c in r)
        try:
            assert not recovered(parts, tables)
        except SearchTooLong:  # never counted as safe
            raise AssertionError("the attacker's search ran past its budget") from None

    def test_figures_shared_by_tables_show_the_same_in_each(self) -> None:
        p = year_set("17", 2024).protected
        by_sex = [[str(s) for s in p[slug].column_totals] for slug in ("age", "violence", "relationship", "risk",
                                                                         "complaint", "repeat")]
        assert all(line == by_sex[0] for line in by_sex)
        totals = {str(p[slug].total) for slug in p}
        assert len(totals) == 1

    def test_provinces_are_the_sums_of_their_districts(self) -> None:
        tables = {t.slug: t for t in build("17", 2024)}
        provinces = {label: cells[0] for label, cells in tables["province"].rows}
        assert set(provinces) >= {"Tambopata", "Manu", "Tahuamanu"}
        ys = year_set("17", 2024)
        geo = ys.parts["geo"].cells
        for j in range(len(ys.provinces)):
            column = sum(row[j] for row in geo)
            shown = ys.protected["geo"].column_totals[j]
            assert shown.value in (None, column)
        # A district row shows its population and, from 10 cases, a rate per 100,000.
        tambopata = dict(tables["district"].rows)["Tambopata"]
        assert tambopata[1] == "115,001" and tambopata[2] != "—"

    def test_the_trend_shows_each_year_as_its_own_page_does(self) -> None:
        table = trend("17", [2023, 2024])
        rows = dict(table.rows)
        assert list(rows) == ["2023", "2024"]
        age_2024 = {label: cells for label, cells in next(t for t in build("17", 2024) if t.slug == "age").rows}
        assert rows["2024"] == age_2024["Total"]

    def test_the_fact_sheet_speaks_of_cases_handled_with_at_least_ten(self) -> None:
        got = facts("17", 2024)
        assert got and all("casos atendidos" in f or "casos de violación atendidos" in f for f in got)
        assert not any("denuncia" in f.split(",")[0] for f in got)

    def test_the_public_page_needs_no_login_and_sets_no_cookie(self) -> None:
        client = Client()
        response = client.get(reverse("figures:index"))
        assert response.status_code == 200
        assert not response.cookies and "Set-Cookie" not in str(response.headers)
        html = response.content.decode()
        assert 'class="quick-exit' in html or "quick_exit" in html or "Salir" in html
        assert "Casos atendidos por los CEM" in html or "casos atendidos" in html
        assert '<table class="cards">' in html and 'data-label="' in html
        assert "&lt;5: de 1 a 4 casos." in html
        assert html.count("<svg") >= 5  # a chart beside each table
        assert "Madre de Dios" in html and "Perú" in html

    def test_the_public_page_is_within_the_budget(self) -> None:
        for path in (reverse("figures:index"), reverse("figures:index") + "?year=2023"):
            weight = page_weight(Client(), path)
            assert weight.compressed_bytes <= BUDGET and weight.requests <= 4, str(weight)

    def test_public_tables_download_as_csv_with_the_marks_explained(self) -> None:
        response = Client().get(reverse("figures:table_csv", kwargs={"slug": "age"}) + "?year=2024")
        assert response.status_code == 200 and not response.cookies
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0] == ["Edad", "Mujer", "Hombre", "Total"]
        assert dict((r[0], r[1:]) for r in rows[1:8])["0-5"][1] == "<5"
        notes = " ".join(r[0] for r in rows if r)
        assert "<5: de 1 a 4 casos" in notes and "no denuncias" in notes
        for slug in ("years", "peru", "mimp", "province", "district", "complaint", "repeat", "tongue"):
            assert Client().get(reverse("figures:table_csv", kwargs={"slug": slug})).status_code == 200, slug
        assert Client().get(reverse("figures:table_csv", kwargs={"slug": "nope"})).status_code == 404
        assert Client().get(reverse("figures:table_csv", kwargs={"slug": "age"}) + "?year=-1").status_code == 200

    def test_the_staff_page_shows_the_same_figures(self) -> None:
        self.client.force_login(self.cast.alpha["donor"])
        staff = self.client.get(reverse("stats:index") + "?year=2024").content.decode()
        public = Client().get(reverse("figures:index") + "?year=2024").content.decode()
        marker = '<section class="card" id="age">'
        assert staff.split(marker)[1].split("</table>")[0] == public.split(marker)[1].split("</table>")[0]


class PublicFiguresWithoutRegisterTest(TestCase):
    def test_the_public_page_without_an_import_shows_the_published_figures(self) -> None:
        response = Client().get(reverse("figures:index"))
        assert response.status_code == 200
        self.assertContains(response, "2012")
        self.assertContains(response, "Perú")
