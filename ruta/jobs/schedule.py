"""The one schedule of periodic work.

Every periodic job Ruta runs is listed in :data:`SCHEDULE`, with how often and why. The
worker (``manage.py run_worker``) calls :func:`tick` every half minute; without a running
worker, cron runs ``manage.py run_schedule`` every minute, which ticks and then runs what is
due. Either way each job is enqueued at most once per period (an optimistic lock on its
:class:`~ruta.jobs.models.ScheduleEntry` row), is not enqueued again while an earlier run is
still waiting or running, and is idempotent, so an extra or overlapping run changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from ruta.jobs.models import ScheduleEntry


@dataclass(frozen=True)
class Periodic:
    name: str
    every: timedelta
    task: str  # dotted path to a django-tasks task that takes no arguments
    why: str


SCHEDULE: tuple[Periodic, ...] = (
    Periodic("due_alerts", timedelta(minutes=1), "ruta.cases.tasks.send_due_alerts",
             "e-mail case workers what is due within 24 hours or overdue (each alert once)"),
    Periodic("clear_sessions", timedelta(hours=1), "ruta.jobs.tasks.clear_sessions",
             "delete expired staff sessions from the database"),
    Periodic("prune_jobs", timedelta(hours=6), "ruta.jobs.tasks.prune_jobs",
             "delete finished jobs, their files and queue records after a week"),
    Periodic("audit_checkpoint", timedelta(minutes=15), "ruta.audit.tasks.checkpoint_audit_task",
             "append the access log's head to RUTA_HOME/audit_checkpoints.log"),
    Periodic("audit_checkpoint_mail", timedelta(days=1), "ruta.audit.tasks.email_audit_checkpoint_task",
             "e-mail the latest checkpoint to the case supervisors (when e-mail is set up)"),
    Periodic("kept_forms", timedelta(minutes=5), "ruta.accounts.tasks.delete_expired_kept_forms_task",
             "delete forms kept after a session ended once their hour is over"),
    Periodic("login_records", timedelta(days=1), "ruta.accounts.tasks.prune_login_records_task",
             "delete records of logins and failed logins (address, browser) after RUTA_LOGIN_RECORD_DAYS"),
    Periodic("delete_questions", timedelta(hours=1), "ruta.questions.tasks.delete_expired_questions",
             "delete young people's questions 30 days after the answer was read, 90 if never read"),
    Periodic("retention", timedelta(days=1), "ruta.retention.tasks.apply_retention_task",
             "erase identifying data past each organisation's retention period (nothing while a period is off)"),
    Periodic("idle_learners", timedelta(days=1), "ruta.learning.tasks.delete_idle_learners",
             "forget self-paced course progress idle for a year (certificates are kept)"),
    Periodic("program_summaries", timedelta(minutes=5), "ruta.program.tasks.settle_summaries",
             "settle the dashboards' monthly summaries a writer left pending (reads stay exact meanwhile)"),
)


def _pending(task_path: str) -> bool:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=task_path, status__in=("READY", "RUNNING")).exists()


def _claim(entry: Periodic, now: datetime) -> bool:
    row = ScheduleEntry.objects.filter(name=entry.name).values_list("last_enqueued_at", flat=True).first()
    if row is None:
        try:
            with transaction.atomic():
                ScheduleEntry.objects.create(name=entry.name, last_enqueued_at=now)
        except IntegrityError:
            return False  # another tick created it just now
        return True
    if row + entry.every > now:
        return False
    return bool(ScheduleEntry.objects.filter(name=entry.name, last_enqueued_at=row).update(last_enqueued_at=now))


def tick(now: datetime | None = None, schedule: tuple[Periodic, ...] = SCHEDULE) -> list[str]:
    """Enqueue every job that is due; returns their names."""
    now = now or timezone.now()
    enqueued = []
    for entry in schedule:
        task: Any = import_string(entry.task)
        task_path = f"{task.func.__module__}.{task.func.__qualname__}"
        if _pending(task_path):
            continue
        if _claim(entry, now):
            task.enqueue()
            enqueued.append(entry.name)
    return enqueued
