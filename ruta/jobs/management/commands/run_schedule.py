from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django_tasks_db.management.commands.db_worker import Worker

from ruta.jobs import schedule


class Command(BaseCommand):
    help = (
        "For cron, when no worker runs: enqueue the periodic jobs of the one schedule that are due "
        "(ruta/jobs/schedule.py), then run everything queued and stop. Safe every minute, even "
        "overlapping: each job is enqueued once per period and is idempotent."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--enqueue-only", action="store_true", help="leave the running to a worker")

    def handle(self, *args: Any, **options: Any) -> None:
        names = schedule.tick()
        if options["verbosity"] > 1:
            self.stdout.write("enqueued: " + (", ".join(names) or "nothing"))
        if not options["enqueue_only"]:
            Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
                   max_tasks=None, worker_id="run_schedule", excluded_queue_names=[]).run()
