"""The CEM register import as background work (``ruta.jobs``): the upload screen's side."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from ruta.jobs.actions import JobError, Progress, job_file, remove_files, run_job
from ruta.jobs.models import Job
from ruta.stats.cem_import import ImportRefused, discard_job, import_file

IMPORT_KIND = "stats.import_cem"


def cleanup_import(job: Job) -> None:
    discard_job(job)
    remove_files(job)


@task()
def import_cem(job_id: str, suffix: str, name: str, replace: bool = False) -> str:
    def work(job: Job, progress: Progress) -> dict[str, Any]:
        path = job_file(job, suffix)
        try:
            summary = import_file(path, name=name, replace=replace, job=job, progress=progress)
        except ImportRefused as exc:
            raise JobError(exc.message, exc.result) from None
        summary["name"] = name
        if not summary.get("needs_replace"):
            remove_files(job)  # the upload is kept only while a replacement waits for confirmation
        else:
            summary["suffix"] = suffix
        return summary

    return run_job(job_id, work)
