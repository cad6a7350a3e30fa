from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import openpyxl
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from ruta.audit.models import AccessEvent
from ruta.program import exports
from ruta.program.models import Attendance, Participant, Programme
from ruta.program.tests.io_helpers import make_activity
from ruta.testing.cast import BaseTestCase


class ExportTest(BaseTestCase):
    programme: Programme

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.programme = p = Programme.objects.create(
            name="Grant", donor="EMpower", starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31),
            organisation=cls.cast.alpha_org)
        act = make_activity(p, dt.date(2025, 3, 10), place='=HYPERLINK("http://x.example","clic")')
        ana = Participant.objects.create(programme=p, code="TAM-0001", sex="female", birth_date=dt.date(2010, 5, 1),
                                         registered_on=dt.date(2025, 3, 1), group="youth", district_id="170101",
                                         organisation="=1+2", guardian_consent=True, name="Ana Quispe")
        retired = Participant.objects.create(programme=p, code="TAM-0002", sex="female",
                                             birth_date=dt.date(2010, 5, 1), registered_on=dt.date(2025, 3, 1),
                                             group="youth", district_id="170101", name="Ana Quispe M.")
        Participant.objects.filter(pk=retired.pk).update(merged_into=ana)
        Attendance.objects.create(activity=act, participant=ana)

    def test_csv_has_stable_names_no_names_and_defused_formulas(self) -> None:
        text = "".join(exports.csv_lines("participants", self.programme))
        self.assertTrue(text.startswith("\ufeff"))
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
        self.assertEqual(list(rows[0]), [v.name for v in exports.DATASETS["participants"]])
        self.assertEqual(len(rows), 1)  # the merged record is left out
        row = rows[0]
        self.assertEqual((row["participant_code"], row["age_first_attendance"], row["age_band"], row["province"]),
                         ("TAM-0001", "14", "10-14", "1701"))
        self.assertEqual(row["organisation"], "'=1+2")
        self.assertNotIn("Quispe", text)
        activities = "".join(exports.csv_lines("activities", self.programme))
        self.assertIn("'=HYPERLINK", activities)

    def test_xlsx_writes_text_as_text_and_includes_the_codebook(self) -> None:
        stream = exports.write_xlsx(self.programme, list(exports.DATASETS))
        content = stream.read()
        book = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(book.sheetnames, ["participants", "activities", "attendance", "results", "codebook"])
        sheet = book["participants"]
        header = [c.value for c in sheet[1]]
        org = sheet.cell(2, header.index("organisation") + 1)
        self.assertEqual((org.value, org.data_type), ("=1+2", "s"))
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
        self.assertNotIn("<f>", xml)
        codebook = [[c.value for c in row] for row in book["codebook"].iter_rows(min_row=2)]
        self.assertIn("participant_code", [r[1] for r in codebook])
        self.assertEqual(len(codebook), sum(len(v) for v in exports.DATASETS.values()))

    def test_views_serve_the_files_and_record_the_export(self) -> None:
        translation.activate("es-pe")
        self.addCleanup(translation.deactivate)
        self.login(self.me_officer)
        url = reverse("program:export", kwargs={"pk": self.programme.pk, "dataset": "attendance", "fmt": "csv"})
        self.assertContains(self.client.get(url), "Propósito")  # a purpose first
        refused = self.client.post(url, {"purpose": "x"})
        self.assertEqual(refused.status_code, 422)
        response = self.client.post(url, {"purpose": "Informe trimestral al donante"})
        body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
        self.assertIn("TAM-0001", body)
        first_line = body.lstrip("\ufeff").splitlines()[0]
        self.assertTrue(first_line.startswith("# ") and "mateo" in first_line and "Informe trimestral" in first_line)
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertTrue(AccessEvent.objects.filter(action="program.export", actor=self.me_officer).exists())
        everything = self.client.post(reverse("program:export", kwargs={"pk": self.programme.pk, "dataset": "all",
                                                                        "fmt": "xlsx"}),
                                      {"purpose": "Informe trimestral al donante"})
        self.assertEqual(everything.status_code, 200)
        self.assertEqual(self.client.get(reverse("program:export", kwargs={
            "pk": self.programme.pk, "dataset": "secrets", "fmt": "csv"})).status_code, 404)
        page = self.client.get(reverse("program:exports", kwargs={"pk": self.programme.pk}))
        self.assertContains(page, "Libro de códigos")


class CodebookTest(TestCase):
    def test_every_coded_variable_lists_its_values(self) -> None:
        for dataset, variables in exports.DATASETS.items():
            for v in variables:
                if v.type == "code" and v.name not in ("district", "province"):
                    self.assertTrue(v.values, f"{dataset}.{v.name}")
        names = [v.name for v in exports.DATASETS["participants"]]
        self.assertEqual(len(names), len(set(names)))
