"""What ``/api/v1/health`` checks: each check returns ``None`` when fine, or a short reason.

Monitoring polls this every minute, so each check is cheap: the migration plan is computed
once per process and again only after a minute.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# Work waiting longer than this means no worker is running (or it cannot keep up).
QUEUE_WAIT_LIMIT = timedelta(minutes=5)
_MIGRATIONS_TTL = 60.0
_migrations_checked: tuple[float, str | None] = (0.0, None)


def database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "the database does not answer"
    return None


def migrations() -> str | None:
    global _migrations_checked
    checked_at, outcome = _migrations_checked
    if time.monotonic() - checked_at < _MIGRATIONS_TTL:
        return outcome
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    outcome = f"{len(plan)} migration(s) not applied: run manage.py migrate" if plan else None
    _migrations_checked = (time.monotonic(), outcome)
    return outcome


def queue() -> str | None:
    from django_tasks_db.models import DBTaskResult

    oldest = DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    if oldest is None:
        return None
    waited = timezone.now() - oldest
    if waited > QUEUE_WAIT_LIMIT:
        return f"the oldest queued task has waited {int(waited.total_seconds() // 60)} minutes: is the worker running?"
    return None


def keys() -> str | None:
    """The keys in use are the ones this database's data was sealed with (the key canary)."""
    from ruta.keys.canary import check_canary

    return "the keys do not open this database's data: see the server's log" if check_canary() else None


CHECKS: dict[str, Callable[[], str | None]] = {"database": database, "migrations": migrations, "queue": queue,
                                               "keys": keys}


def problems() -> dict[str, str]:
    found: dict[str, str] = {}
    for name, check in CHECKS.items():
        if name != "database" and "database" in found:
            break  # nothing else can be checked without it
        try:
            reason = check()
        except DatabaseError:
            reason = "the database does not answer"
        if reason:
            found[name] = reason
    return found
