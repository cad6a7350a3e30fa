"""Running the background queue inside a test.

The worker closes stale database connections between tasks, as a long-running process
must. Inside a test's transaction (PostgreSQL) that would end the transaction the test
runs in, so here the queue runs with those calls made harmless.
"""

from __future__ import annotations

from unittest import mock

from django.core.management import call_command


def run_queue() -> None:
    """Run every queued task now, the way ``manage.py run_worker`` does, then return."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"), \
            mock.patch("ruta.jobs.management.commands.run_worker.close_old_connections"):
        call_command("run_worker", once=True, no_schedule=True, interval=0)


def run_schedule() -> None:
    """What cron's ``manage.py run_schedule`` does: enqueue what is due, run the queue."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("run_schedule")
