"""The daily retention run (enqueued by the schedule in ``ruta/jobs/schedule.py``)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from ruta.retention.actions import retention_task_body


@task()
def apply_retention_task() -> dict[str, Any]:
    return retention_task_body()
