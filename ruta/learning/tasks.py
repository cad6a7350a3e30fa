"""Background tasks of the learning app (enqueued by the schedule in ``ruta/jobs/schedule.py``)."""

from __future__ import annotations

from django_tasks import task

from ruta.learning.selfpaced import delete_idle


@task()
def delete_idle_learners() -> int:
    return delete_idle()
