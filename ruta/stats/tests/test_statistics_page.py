from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from django.test import TestCase
from django.urls import reverse

from ruta.stats.cem_import import import_file
from ruta.stats.tests import register_file
from ruta.testing.cast import make_cast


class StatisticsPageTest(TestCase):
    def setUp(self) -> None:
        self.cast = make_cast()
        records = list(register_file.rows(400, seed=21))
        for r in records[:3]:  # three boys of 0-5 in all: a small cell
            r.update(SEXO_VICTIMA="1", EDAD_VICTIMA="3")
        for r in records[3:]:
            if r["SEXO_VICTIMA"] == "1" and int(r["EDAD_VICTIMA"]) <= 5:
                r["EDAD_VICTIMA"] = "40"
        for r in records:  # Madre de Dios only: every row is on the page
            r.update(DPTO_DOMICILIO="17")
        self.data = register_file.csv_text(records).encode()
        # A file of this test's own: parallel test processes share RUTA_HOME.
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "page-test.csv"
            path.write_bytes(self.data)
            import_file(path, name="page-test.csv")

    def test_the_page_shows_protected_tables_and_the_fact_in_correct_terms(self) -> None:
        self.client.force_login(self.cast.alpha["donor"])
        page = self.client.get(reverse("stats:index"))
        assert page.status_code == 200
        html = page.content.decode()
        assert "&lt;5" in html and "x" in html
        assert "casos de violación atendidos en los CEM" in html and "denuncia" not in html.split("De cada")[1][:80]
        expected = register_file.expected_counts(self.data, "utf-8", "17", 2024)
        girls, rapes = expected["rape_reports_girls_under_18"], expected["rape_reports"]
        self.assertContains(page, f"De cada 5 casos de violación atendidos en los CEM, {round(5 * girls / rapes)} son")

    def test_each_table_downloads_as_csv_with_the_same_protection(self) -> None:
        self.client.force_login(self.cast.alpha["me_officer"])
        response = self.client.get(reverse("stats:table_csv", kwargs={"slug": "age"}) + "?year=2024")
        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][0] == "Edad"
        by_band = {r[0]: r[1:] for r in rows[1:8]}
        assert by_band["0-5"][1] == "<5"  # the three boys
        assert any(v == "x" for r in by_band.values() for v in r)  # and what would give them away
        assert any("x:" in r[0] for r in rows[8:] if r)
        assert self.client.get(reverse("stats:table_csv", kwargs={"slug": "nope"})).status_code == 404

    def test_case_roles_do_not_see_the_page(self) -> None:
        self.client.force_login(self.cast.alpha["facilitator"])
        assert self.client.get(reverse("stats:index")).status_code == 403
