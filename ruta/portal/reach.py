"""Reach of the public site without tracking.

A public page view adds one to a counter in this process's memory, keyed by (day, page)
only: no address, cookie or browser identifier is read. A background thread writes the
counts to ``PageViewDay`` at most once a minute, so a public GET never writes to the
database. Counts still in memory when a process stops are lost (a small undercount)."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from datetime import date

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

FLUSH_SECONDS = 60
START_THREAD = True  # tests turn it off (conftest) and call flush() themselves
logger = logging.getLogger(__name__)

_lock = threading.Lock()
_pending: Counter[tuple[date, str]] = Counter()
_thread: threading.Thread | None = None


def count(page: str) -> None:
    """One view of ``page`` today (called by public views; never touches the database)."""
    global _thread
    with _lock:
        _pending[(timezone.localdate(), page)] += 1
        if START_THREAD and (_thread is None or not _thread.is_alive()):
            _thread = threading.Thread(target=_flush_forever, name="ruta-reach", daemon=True)
            _thread.start()


def _flush_forever() -> None:
    while True:
        time.sleep(FLUSH_SECONDS)
        try:
            flush()
        except Exception:  # the counts are kept and tried again in a minute
            logger.exception("page views not written; trying again in a minute")
        finally:
            connection.close()  # this thread's own connection: not held between flushes


def take() -> dict[tuple[date, str], int]:
    with _lock:
        taken = dict(_pending)
        _pending.clear()
    return taken


def flush() -> int:
    """Write what is in memory; on failure the counts go back for the next try."""
    from ruta.portal.models import PageViewDay

    taken = take()
    if not taken:
        return 0
    try:
        with transaction.atomic():
            for (day, page), n in taken.items():
                row, created = PageViewDay.objects.get_or_create(day=day, page=page, defaults={"views": n})
                if not created:
                    PageViewDay.objects.filter(pk=row.pk).update(views=F("views") + n)
    except Exception:
        with _lock:
            _pending.update(taken)
        raise
    return sum(taken.values())
