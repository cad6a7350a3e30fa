"""Background tasks of the programme app (enqueued by the schedule in ``ruta/jobs/schedule.py``)."""

from __future__ import annotations

from django_tasks import task

from ruta.program import summaries


@task()
def settle_summaries() -> int:
    """Settle whatever a writer left pending (``summaries.settle``), in short transactions."""
    return summaries.settle_in_steps()
