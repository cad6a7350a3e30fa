"""State changes of the statistics app: starting and confirming imports of the CEM register."""

from __future__ import annotations

import os
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ruta.jobs.actions import job_file, save_upload, submit
from ruta.jobs.models import Job
from ruta.stats import tasks

SUFFIXES = (".csv", ".txt", ".xlsx", ".sav")


class UploadRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def suffix_for(name: str) -> str:
    suffix = os.path.splitext(name.lower())[1]
    if suffix not in SUFFIXES:
        raise UploadRefused(_("Upload the register as CSV, Excel (.xlsx) or SPSS (.sav)."))
    return suffix


@transaction.atomic
def start_cem_import(upload: Any, *, user: Any, back_url: str) -> Job:
    """Keep the upload for the worker and queue its import (replacing nothing without confirmation)."""
    name = os.path.basename(upload.name or "")[:200]
    suffix = suffix_for(name)

    def keep(job: Job) -> None:
        save_upload(job, upload.chunks(), suffix)

    return submit(tasks.import_cem, kind=tasks.IMPORT_KIND, user=user, back_url=back_url, args=(suffix, name),
                  before_enqueue=keep)


def awaiting_confirmation(job: Job) -> bool:
    return bool(job.kind == tasks.IMPORT_KIND and job.status == Job.Status.SUCCEEDED
                and job.result.get("needs_replace") and job_file(job, job.result.get("suffix", "")).is_file())


@transaction.atomic
def confirm_cem_import(job: Job, *, user: Any) -> Job:
    """Import a checked file again, now replacing the years it holds; the upload moves to the new job."""
    suffix, name = job.result["suffix"], job.result.get("name", "")

    def move(new: Job) -> None:
        os.replace(job_file(job, suffix), job_file(new, suffix))

    new = submit(tasks.import_cem, kind=tasks.IMPORT_KIND, user=user, back_url=job.back_url,
                 args=(suffix, name, True), before_enqueue=move)
    result = {**job.result, "needs_replace": False, "confirmed_by_job": str(new.pk)}
    Job.objects.filter(pk=job.pk).update(result=result)
    return new
