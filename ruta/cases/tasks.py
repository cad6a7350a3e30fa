"""Background tasks of case follow-up (enqueued by the schedule in ``ruta/jobs/schedule.py``)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from ruta.cases.alerts import send_due_alerts as _send_due_alerts

DUE_SOON_HOURS = 24


@task()
def send_due_alerts() -> int:
    return _send_due_alerts(timezone.now(), DUE_SOON_HOURS)
