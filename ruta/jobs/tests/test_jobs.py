from __future__ import annotations

import logging
import os
import subprocess
import sys

from django.test import TestCase
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from ruta.jobs.actions import job_file, recover_interrupted, submit
from ruta.jobs.models import Job
from ruta.jobs.tests import work
from ruta.testing.cast import make_cast
from ruta.testing.jobs import run_queue


class JobTest(TestCase):
    def setUp(self) -> None:
        self.cast = make_cast()
        self.user = self.cast.alpha["coordinator"]
        self.client.force_login(self.user)

    def submit(self, task: object, kind: str) -> Job:
        with self.captureOnCommitCallbacks(execute=True):
            return submit(task, kind=kind, user=self.user, back_url="/programa/")

    def test_a_task_is_enqueued_run_by_the_worker_and_its_result_shown(self) -> None:
        job = self.submit(work.count, "jobs.count")
        assert DBTaskResult.objects.filter(status="READY").count() == 1
        page = self.client.get(reverse("jobs:job", kwargs={"job_id": job.pk}))
        self.assertContains(page, 'hx-trigger="every 1s"')  # polls while it waits
        run_queue()
        job.refresh_from_db()
        assert job.status == Job.Status.SUCCEEDED and job.result["counted"] == 5 and job.result["v"] == 1
        assert job.done == 5 and job.percent == 100
        page = self.client.get(reverse("jobs:status", kwargs={"job_id": job.pk}))
        self.assertNotContains(page, "hx-trigger")  # finished: no more polling
        self.assertContains(page, reverse("jobs:download", kwargs={"job_id": job.pk}))
        download = self.client.get(reverse("jobs:download", kwargs={"job_id": job.pk}))
        assert b"".join(download.streaming_content) == b"five"  # type: ignore[attr-defined]

    def test_a_job_runs_once_even_if_its_task_is_run_twice(self) -> None:
        job = self.submit(work.count, "jobs.count")
        run_queue()
        assert work.count.call(str(job.pk)) == "skipped"

    def test_someone_else_gets_404_for_a_job(self) -> None:
        job = self.submit(work.count, "jobs.count")
        for who in (self.cast.alpha["facilitator"], self.cast.beta["coordinator"]):
            self.client.force_login(who)
            for name in ("jobs:job", "jobs:status", "jobs:download"):
                assert self.client.get(reverse(name, kwargs={"job_id": job.pk})).status_code == 404

    def test_a_refusal_is_shown_in_the_requesters_words_and_cleaned_up(self) -> None:
        job = self.submit(work.refuse, "jobs.refuse")
        job_file(job, ".upload").write_bytes(b"x")
        run_queue()
        job.refresh_from_db()
        assert job.status == Job.Status.FAILED and job.error == "Row 3, column sex: unknown code."
        assert job.result["errors"] == [{"row": 3}]
        assert str(job.pk) in work.CLEANED and not job_file(job, ".upload").exists()
        self.assertContains(self.client.get(reverse("jobs:job", kwargs={"job_id": job.pk})), "column sex")

    def test_a_crash_keeps_personal_data_out_of_the_log_and_the_page(self) -> None:
        job = self.submit(work.crash, "jobs.crash")
        with self.assertLogs("ruta.jobs", level=logging.ERROR) as logs:
            run_queue()
        job.refresh_from_db()
        assert job.status == Job.Status.FAILED and "nada" in job.error.lower()  # Spanish: the requester's language
        assert "María" not in " ".join(logs.output) and "12345678" not in " ".join(logs.output)
        assert "ValueError" in " ".join(logs.output)
        assert "María" not in job.error and str(job.pk) in work.CLEANED

    def test_a_job_killed_mid_run_is_marked_failed_and_cleaned_at_the_next_start(self) -> None:
        dead = subprocess.Popen([sys.executable, "-c", "pass"])
        dead.wait()
        import socket

        job = Job.objects.create(kind="jobs.killed", status=Job.Status.RUNNING, requested_by=self.user,
                                 worker=f"{socket.gethostname()}:{dead.pid}")
        job_file(job, ".staged").write_bytes(b"half")
        alive = Job.objects.create(kind="jobs.killed", status=Job.Status.RUNNING, requested_by=self.user,
                                   worker=f"{socket.gethostname()}:{os.getppid()}")
        assert recover_interrupted() == 1
        job.refresh_from_db()
        alive.refresh_from_db()
        assert job.status == Job.Status.FAILED and "interrump" in job.error
        assert not job_file(job, ".staged").exists()
        assert alive.status == Job.Status.RUNNING  # its worker still runs
