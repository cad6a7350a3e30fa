"""Background tasks of anonymous questions (enqueued by the schedule in ``ruta/jobs/schedule.py``)."""

from __future__ import annotations

from django_tasks import task

from ruta.questions.actions import delete_expired


@task()
def delete_expired_questions() -> int:
    return delete_expired()
