"""Periodic housekeeping of the jobs app itself (see ``schedule.SCHEDULE``)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks import task

from ruta.jobs.actions import remove_files
from ruta.jobs.models import Job

KEEP_FINISHED = timedelta(days=7)


@task()
def clear_sessions() -> int:
    deleted, _by_model = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@task()
def prune_jobs() -> int:
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - KEEP_FINISHED
    old = Job.objects.filter(status__in=Job.FINISHED, finished_at__lt=cutoff)
    for job in old:
        remove_files(job)
    deleted, _by_model = old.delete()
    DBTaskResult.objects.filter(status__in=("SUCCESSFUL", "FAILED"), finished_at__lt=cutoff).delete()
    return deleted
