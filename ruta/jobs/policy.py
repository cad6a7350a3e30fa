"""Who may see a job: only the person who asked for it (a job's summary can name files and
counts of someone's work). Anyone else gets a 404, so a job's existence never leaks."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from ruta.accounts.models import User
from ruta.accounts.policy import any_staff
from ruta.jobs.models import Job

can_follow_jobs = any_staff


def get_job_for_user(user: User, job_id: Any) -> Job:
    job = Job.objects.filter(pk=job_id, requested_by=user).first()
    if job is None:
        raise Http404
    return job
