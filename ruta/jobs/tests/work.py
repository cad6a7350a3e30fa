"""Tasks used by the jobs tests (a task must be importable by its dotted path)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django_tasks import task

from ruta.jobs.actions import JobError, Progress, job_file, register_cleanup, run_job
from ruta.jobs.models import Job

CLEANED: list[str] = []


def _count(job: Job, progress: Progress) -> dict[str, Any]:
    for i in range(5):
        progress(i, 5, force=True)
    job_file(job, ".out").write_text("five")
    return {"counted": 5, "file": {"suffix": ".out", "name": "count.txt", "content_type": "text/plain"}}


@task()
def count(job_id: str) -> str:
    return run_job(job_id, _count)


def _refuse(job: Job, progress: Progress) -> dict[str, Any]:
    raise JobError("Row 3, column sex: unknown code.", {"errors": [{"row": 3}]})


@task()
def refuse(job_id: str) -> str:
    return run_job(job_id, _refuse)


def _crash(job: Job, progress: Progress) -> dict[str, Any]:
    raise ValueError("María Quispe, DNI 12345678")  # personal data in an exception's text


@task()
def crash(job_id: str) -> str:
    return run_job(job_id, _crash)


def _cleanup(job: Job) -> None:
    CLEANED.append(str(job.pk))
    for path in Path(job_file(job, "").parent).glob(f"{job.pk}*"):
        path.unlink()


for kind in ("jobs.refuse", "jobs.crash", "jobs.killed"):
    register_cleanup(kind, _cleanup)
