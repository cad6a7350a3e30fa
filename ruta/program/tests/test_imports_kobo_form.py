"""The XLSForm Ruta ships (docs/forms/) is valid for pyxform and agrees with the importer."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from pathlib import Path

import openpyxl
from django.test import TestCase
from django.utils import translation
from pyxform.xls2xform import convert

from ruta.program.imports.importer import KOBO_FORM_HELPERS, KOBO_META, PARTICIPANT_COLUMNS, Kind, import_file
from ruta.program.models import Attendance, Participant
from ruta.program.tests.io_helpers import csv_bytes, make_activity, make_programme

FORMS = Path(__file__).resolve().parents[3] / "docs" / "forms"
FORM = FORMS / "ruta_participantes.xlsx"


def form_fields() -> set[str]:
    xform = convert(xlsform=str(FORM), validate=False).xform
    return set(re.findall(r'<bind nodeset="/data/([A-Za-z_]+)"', xform))


class KoboFormTest(TestCase):
    def test_pyxform_converts_the_form_without_warnings(self) -> None:
        result = convert(xlsform=str(FORM), validate=False)
        self.assertEqual(result.warnings, [])
        self.assertIn('id="ruta_participantes"', result.xform)
        self.assertIn("Código del participante", result.xform)
        self.assertIn("Participant code", result.xform)

    def test_the_form_fields_are_the_import_columns(self) -> None:
        fields = form_fields()
        columns = {c.name for c in PARTICIPANT_COLUMNS}
        self.assertEqual(fields - columns - KOBO_META - KOBO_FORM_HELPERS, set())
        self.assertEqual(columns - fields, {"registered_on"})  # Kobo's "today" stands for it

    def test_the_committed_form_is_what_build_form_writes(self) -> None:
        spec = importlib.util.spec_from_file_location("build_form", FORMS / "build_form.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        committed = openpyxl.load_workbook(FORM)
        for sheet, rows in (("survey", module.SURVEY), ("choices", module.CHOICES)):
            values = [[c or "" for c in row] for row in committed[sheet].iter_rows(min_row=2, values_only=True)]
            expected = [list(row) + [""] * (len(values[0]) - len(row)) for row in rows]
            self.assertEqual(values, expected, sheet)

    def test_a_kobo_export_of_the_form_imports(self) -> None:
        translation.activate("en")
        self.addCleanup(translation.deactivate)
        programme = make_programme()
        activity = make_activity(programme, dt.date(2025, 3, 10))
        header = ["start", "end", "today", "activity_id", "participant_code", "sex", "knows_birth_date",
                  "birth_date", "age", "age_years", "group", "district", "organisation", "guardian_consent", "name",
                  "meta/instanceID", "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
                  "_submitted_by", "__version__", "_tags", "_index"]
        meta = ["uuid:a", "1", "a", "2025-03-10T15:00:00", "", "", "submitted_via_web", "", "v1", "", "1"]
        rows = [
            ["2025-03-10T09:00:00.000-05:00", "2025-03-10T09:04:00.000-05:00", "2025-03-10", str(activity.pk),
             "TAM-0101", "female", "yes", "2011-08-20", "", "13", "youth", "170101", "I.E. Santa Rosa", "yes",
             "Lucía Ccori", *meta],
            ["2025-03-10T09:05:00.000-05:00", "2025-03-10T09:07:00.000-05:00", "2025-03-10", str(activity.pk),
             "TAM-0102", "male", "no", "", "35", "35", "teacher", "170101", "I.E. Santa Rosa", "", "", *meta],
        ]
        result = import_file(programme, Kind.PARTICIPANTS, csv_bytes(rows, header=header, delimiter=";"), user=None)
        self.assertEqual([e.message for e in result.errors], [])
        self.assertEqual((result.participants_created, result.attendance_created), (2, 2))
        teacher = Participant.objects.get(code="TAM-0102")
        self.assertEqual((teacher.birth_date_estimated, teacher.age_at_registration, teacher.registered_on),
                         (True, 35, dt.date(2025, 3, 10)))
        self.assertEqual(Attendance.objects.filter(activity=activity).count(), 2)
