from __future__ import annotations

import os
import socket
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Worker

from ruta.jobs import schedule
from ruta.jobs.actions import recover_interrupted


class Command(BaseCommand):
    help = (
        "Run background work: first mark failed (and clean up) the jobs a killed worker left running, "
        "then run queued tasks as they come and enqueue the periodic jobs of the one schedule "
        "(ruta/jobs/schedule.py) every half minute. SIGINT or SIGTERM stops it after the task at hand; "
        "a second signal stops it at once (the interrupted job is marked failed at the next start)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between looks at the queue")
        parser.add_argument("--no-schedule", action="store_true", help="run queued tasks only")
        parser.add_argument("--once", action="store_true", help="run what is queued now, then stop (for tests)")

    def handle(self, *args: Any, **options: Any) -> None:
        from ruta.jobs.checks import startup_check

        startup_check()
        lost = recover_interrupted()
        if lost:
            self.stderr.write(f"{lost} interrupted job(s) marked failed")
        worker = Worker(queue_names=["default"], interval=options["interval"], batch=True, backend_name="default",
                        startup_delay=False, max_tasks=None, worker_id=f"{socket.gethostname()}:{os.getpid()}"[:64],
                        excluded_queue_names=[])
        worker.configure_signals()
        next_tick = 0.0
        while worker.running:
            if not options["no_schedule"] and time.monotonic() >= next_tick:
                schedule.tick()
                next_tick = time.monotonic() + 30
            worker.run()  # runs every ready task, returns when none is left
            close_old_connections()
            if options["once"]:
                return
            time.sleep(options["interval"])
