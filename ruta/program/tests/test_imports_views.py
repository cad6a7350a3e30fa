from __future__ import annotations

import datetime as dt
import io
from unittest import mock

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from ruta.jobs.actions import job_dir
from ruta.jobs.models import Job
from ruta.program.models import Participant, Programme
from ruta.program.tests.io_helpers import csv_bytes, person
from ruta.program.tests.test_dedupe import make_person
from ruta.testing.cast import BaseTestCase
from ruta.testing.jobs import run_queue


class SpanishFirst(BaseTestCase):
    """A request to /en/ leaves English active in the thread: start each test in Spanish."""

    def setUp(self) -> None:
        translation.activate("es-pe")
        self.addCleanup(translation.deactivate)


class ImportViewTest(SpanishFirst):
    programme: Programme

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.programme = Programme.objects.create(
            name="Grant", donor="EMpower", starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31),
            organisation=cls.cast.alpha_org)

    def url(self) -> str:
        return reverse("program:import", kwargs={"pk": self.programme.pk})

    def upload(self, content: bytes, name: str = "datos.csv", kind: str = "participants", prefix: str = ""
               ) -> Job:
        """Post the file, check the redirect to its job, run the worker; returns the finished job."""
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(prefix + self.url(), {"kind": kind, "file": SimpleUploadedFile(name, content)})
        self.assertEqual(response.status_code, 302)
        job = Job.objects.get()
        self.assertEqual(response["Location"], reverse("jobs:job", kwargs={"job_id": job.pk}))
        run_queue()
        job.refresh_from_db()
        return job

    def job_page(self, job: Job) -> str:
        response = self.client.get(reverse("jobs:job", kwargs={"job_id": job.pk}))
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_a_good_file_is_imported_by_the_worker_and_summarised(self) -> None:
        self.login(self.coordinator)
        job = self.upload(csv_bytes([person("A1"), person("A2")]).getvalue())
        self.assertEqual(job.status, Job.Status.SUCCEEDED)
        self.assertEqual((job.done, job.total), (2, 2))
        page = self.job_page(job)
        self.assertIn("Participantes nuevos", page)
        self.assertIn(self.url(), page)  # back to the import page
        self.assertEqual(Participant.objects.filter(created_by=self.coordinator).count(), 2)
        self.assertFalse(list(job_dir().glob(f"{job.pk}*")))  # the upload is gone

    def test_errors_are_listed_by_row_and_column_in_spanish_and_nothing_is_saved(self) -> None:
        self.login(self.coordinator)
        job = self.upload(csv_bytes([person("A1"), person("A2", birth="31/02/2008")]).getvalue())
        self.assertEqual(job.status, Job.Status.FAILED)
        page = self.job_page(job)
        self.assertIn("El archivo tiene 1 error. No se guardó nada.", page)
        self.assertIn("C · birth_date", page)
        self.assertIn("Esta fecha no existe", page)
        self.assertEqual(Participant.all_objects.count(), 0)

    def test_english_at_en(self) -> None:
        self.login(self.coordinator)
        job = self.upload(b"\r\n  \n", "x.csv", prefix="/en")
        self.assertEqual(job.error, "The file has 1 error. Nothing was saved.")  # the requester's language
        self.assertIn("The file is empty.", self.job_page(job))

    def test_a_huge_upload_is_refused_before_its_body_is_read(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(self.url(), data=b"x", content_type="multipart/form-data; boundary=zz",
                                    CONTENT_LENGTH=str(500 * 1024 * 1024))
        self.assertEqual(response.status_code, 413)
        self.assertContains(response, "pesa más de 60 MB", status_code=413)

    def test_an_upload_past_the_limit_is_not_stored(self) -> None:
        self.login(self.coordinator)
        with mock.patch("ruta.program.views_io.MAX_UPLOAD_BYTES", 1000), \
                mock.patch("ruta.program.views_io.UPLOAD_MARGIN", 0), \
                mock.patch("ruta.program.views_io._declared_size", return_value=0):
            response = self.client.post(self.url(), {"kind": "participants", "file": SimpleUploadedFile(
                "datos.csv", csv_bytes([person(f"A{i}") for i in range(200)]).getvalue())})
        self.assertEqual(response.status_code, 413)
        self.assertEqual(Participant.objects.count(), 0)
        self.assertFalse(Job.objects.exists())

    def test_the_import_form_still_needs_its_csrf_token(self) -> None:
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(self.coordinator)
        response = client.post(self.url(), {"kind": "participants",
                                            "file": SimpleUploadedFile("x.csv", csv_bytes([person()]).getvalue())})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Participant.objects.count(), 0)

    def test_a_form_without_a_file_is_refused(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(self.url(), {"kind": "participants"})
        self.assertEqual(response.status_code, 422)

    def test_templates_download_with_instructions_in_the_users_language(self) -> None:
        self.login(self.me_officer)
        response = self.client.get(reverse("program:import_template", kwargs={"kind": "participants", "fmt": "xlsx"}))
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(book.sheetnames, ["datos", "listas", "instrucciones"])
        self.assertEqual(book["datos"]["A1"].value, "participant_code")
        self.assertIn("170101", [c.value for c in book["listas"]["C"]])
        csv_template = self.client.get(reverse("program:import_template", kwargs={"kind": "attendance", "fmt": "csv"}))
        self.assertEqual(csv_template.content, "\ufeffactivity_id,participant_code\r\n".encode())
        missing = self.client.get(reverse("program:import_template", kwargs={"kind": "secrets", "fmt": "csv"}))
        self.assertEqual(missing.status_code, 404)

    def test_the_downloaded_template_imports_once_filled(self) -> None:
        self.login(self.me_officer)
        response = self.client.get(reverse("program:import_template", kwargs={"kind": "participants", "fmt": "xlsx"}))
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        sheet = book["datos"]
        header = [c.value for c in sheet[1]]
        values = {"participant_code": "TAM-9", "sex": "male", "birth_date": dt.date(1990, 1, 2), "group": "teacher",
                  "district": "170301", "guardian_consent": "no"}
        for name, value in values.items():
            sheet.cell(2, header.index(name) + 1, value)
        out = io.BytesIO()
        book.save(out)
        job = self.upload(out.getvalue(), "plantilla.xlsx")
        self.assertEqual(job.status, Job.Status.SUCCEEDED, job.result)
        self.assertEqual(Participant.objects.get().district_id, "170301")


class DuplicateViewTest(SpanishFirst):
    programme: Programme

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.programme = Programme.objects.create(
            name="Grant", donor="EMpower", starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 12, 31),
            organisation=cls.cast.alpha_org)

    def test_review_and_merge(self) -> None:
        a = make_person(self.programme, "A1", "Rosa Huamán")
        b = make_person(self.programme, "A2", "Rosa Huaman")
        self.login(self.coordinator)
        page = self.client.get(reverse("program:duplicates", kwargs={"pk": self.programme.pk}))
        self.assertContains(page, "Rosa Huamán")
        response = self.client.post(reverse("program:merge", kwargs={"pk": self.programme.pk}),
                                    {"first": a.pk, "second": b.pk, "keep": "second"}, follow=True)
        self.assertContains(response, "Fusionado")
        a.refresh_from_db()
        self.assertEqual(a.merged_into_id, b.pk)
        self.assertContains(response, "Por ahora no hay posibles duplicados.")

    def test_marking_different_people(self) -> None:
        a = make_person(self.programme, "A1", "Rosa Huamán")
        b = make_person(self.programme, "A2", "Rosa Huaman")
        self.login(self.coordinator)  # duplicates are judged by name: the M&E officer never sees one
        response = self.client.post(reverse("program:not_duplicate", kwargs={"pk": self.programme.pk}),
                                    {"first": a.pk, "second": b.pk}, follow=True)
        self.assertContains(response, "Anotado")
        self.assertContains(response, "Por ahora no hay posibles duplicados.")
