from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from ruta.jobs.actions import job_dir
from ruta.jobs.models import Job
from ruta.stats.counts import cem_counts
from ruta.stats.models import CemLoad, CemRecord
from ruta.stats.tests import register_file
from ruta.testing.cast import make_cast
from ruta.testing.jobs import run_queue


def register_csv(n: int, seed: int, months: tuple[int, int] = (1, 12)) -> bytes:
    return register_file.csv_text(list(register_file.rows(n, seed=seed, months=months))).encode()


class ImportScreenTest(TestCase):
    def setUp(self) -> None:
        self.cast = make_cast()
        self.officer = self.cast.alpha["me_officer"]
        self.client.force_login(self.officer)

    def upload(self, data: bytes, name: str = "cem2024.csv") -> Job:
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("stats:import_cem"), {"file": SimpleUploadedFile(name, data)})
        assert response.status_code == 302, response.content
        job = Job.objects.get(kind="stats.import_cem", status=Job.Status.QUEUED)
        assert response["Location"] == reverse("jobs:job", kwargs={"job_id": job.pk})
        return job

    def test_the_officer_uploads_the_worker_imports_and_the_page_says_so(self) -> None:
        data = register_csv(400, seed=1)
        job = self.upload(data)
        run_queue()
        job.refresh_from_db()
        assert job.status == Job.Status.SUCCEEDED and job.result["imported"] == 400
        assert cem_counts() == register_file.expected_counts(data, "utf-8")
        page = self.client.get(reverse("jobs:job", kwargs={"job_id": job.pk}))
        self.assertContains(page, "400 casos importados")
        assert not list(job_dir().glob(f"{job.pk}*"))  # the upload is gone once imported
        self.assertContains(self.client.get(reverse("stats:import_cem")), "cem2024.csv")

    def test_a_newer_file_waits_for_confirmation_then_replaces_the_year(self) -> None:
        self.upload(register_csv(300, seed=2, months=(1, 7)), "enero-julio.csv")
        run_queue()
        august = register_csv(350, seed=3, months=(1, 8))
        job = self.upload(august, "enero-agosto.csv")
        run_queue()
        job.refresh_from_db()
        assert job.result["needs_replace"] and cem_counts()["total"] == 300
        page = self.client.get(reverse("jobs:job", kwargs={"job_id": job.pk}))
        self.assertContains(page, "Reemplazaría 300 casos de enero-julio.csv")
        confirm = reverse("stats:import_confirm", kwargs={"job_id": job.pk})
        self.assertContains(page, confirm)
        # Someone else cannot confirm it.
        self.client.force_login(self.cast.beta["me_officer"])
        assert self.client.post(confirm).status_code == 404
        self.client.force_login(self.officer)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(confirm)
        second = Job.objects.get(kind="stats.import_cem", status=Job.Status.QUEUED)
        assert response["Location"] == reverse("jobs:job", kwargs={"job_id": second.pk})
        assert self.client.post(confirm).status_code == 404  # confirmed once only
        run_queue()
        second.refresh_from_db()
        assert second.status == Job.Status.SUCCEEDED, second.error
        assert [y["outcome"] for y in second.result["years"]] == ["replaced"]
        assert cem_counts() == register_file.expected_counts(august, "utf-8")
        assert CemRecord.objects.count() == 350

    def test_errors_are_listed_on_the_job_page_and_nothing_is_left(self) -> None:
        records = list(register_file.rows(30, seed=4))
        records[4]["TIPO_VIOLENCIA"] = "9"
        job = self.upload(register_file.csv_text(records).encode())
        run_queue()
        job.refresh_from_db()
        assert job.status == Job.Status.FAILED and "Nada se importó" in job.error
        page = self.client.get(reverse("jobs:job", kwargs={"job_id": job.pk}))
        self.assertContains(page, "TIPO_VIOLENCIA")
        assert CemRecord.objects.count() == 0 and CemLoad.objects.count() == 0
        assert not list(job_dir().glob(f"{job.pk}*"))

    def test_a_file_of_another_kind_is_refused_at_once(self) -> None:
        response = self.client.post(reverse("stats:import_cem"), {"file": SimpleUploadedFile("cem.pdf", b"%PDF")})
        assert response.status_code == 422
        self.assertContains(response, "SPSS", status_code=422)
        assert not Job.objects.exists()


class ApiTest(TestCase):
    def setUp(self) -> None:
        self.cast = make_cast()

    def test_operators_get_exact_counts_and_each_call_is_audited(self) -> None:
        from ruta.audit.models import AccessEvent
        from ruta.stats.cem_import import import_file

        data = register_csv(200, seed=5)
        path = job_dir() / "api-test.csv"
        path.write_bytes(data)
        try:
            import_file(path, name="api-test.csv")
        finally:
            path.unlink()
        for role in ("me_officer", "coordinator"):
            self.client.force_login(self.cast.alpha[role])
            response = self.client.get("/api/v1/stats/cem?department=17&year=2024")
            assert response.status_code == 200
            assert response.json() == register_file.expected_counts(data, "utf-8", "17", 2024)
        assert AccessEvent.objects.filter(action="stats.cem_counts.view").count() == 2
        assert self.client.get("/api/v1/stats/cem?department=&year=").json()["total"] == 200
        assert self.client.get("/api/v1/stats/cem?department=Madre").status_code == 400
        self.client.force_login(self.cast.alpha["donor"])
        assert self.client.get("/api/v1/stats/cem").status_code == 404
