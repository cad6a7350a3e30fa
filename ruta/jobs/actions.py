"""Starting, running and recovering background jobs.

A view calls :func:`submit` with a django-tasks task; the task calls :func:`run_job` with the
work to do. The work reports progress through :class:`Progress` (a short ``UPDATE`` at most
twice a second, never holding a transaction) and returns a JSON-able summary, or raises
:class:`JobError` with a message for the requester. Anything else is logged by its class
name only (exceptions can carry personal data) and shown as a generic failure.

Kinds whose work leaves something behind while running (staged rows, a temporary file)
register a clean-up with :func:`register_cleanup`; it runs when the work fails and, for work
interrupted by a killed worker, when the next worker starts (:func:`recover_interrupted`).
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ruta.jobs.models import Job

log = logging.getLogger(__name__)

Cleanup = Callable[[Job], None]
_CLEANUPS: dict[str, Cleanup] = {}

# A running job that has not reported for this long, on another machine, is taken as lost.
STALE_AFTER = timedelta(minutes=30)


class JobError(Exception):
    """A failure the requester can understand and act on; ``message`` is already translated."""

    def __init__(self, message: str, result: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.result = result or {}


def register_cleanup(kind: str, cleanup: Cleanup) -> None:
    _CLEANUPS[kind] = cleanup


def job_dir() -> Path:
    """Files a job reads or writes (uploads waiting for the worker, generated reports): 0700."""
    path = Path(settings.RUTA_HOME) / "jobs"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def job_file(job: Job, suffix: str) -> Path:
    return job_dir() / f"{job.id}{suffix}"


def save_upload(job: Job, chunks: Any, suffix: str) -> Path:
    """Keep an uploaded file for the worker, readable by Ruta's user only."""
    path = job_file(job, suffix)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        for chunk in chunks:
            out.write(chunk)
    return path


def write_output(job: Job, suffix: str, content: bytes) -> Path:
    """Keep what a job produced (a report) for its requester to download, readable by Ruta only."""
    path = job_file(job, suffix)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(content)
    return path


def remove_files(job: Job) -> None:
    for path in job_dir().glob(f"{job.id}*"):
        path.unlink(missing_ok=True)


def submit(task: Any, *, kind: str, user: Any, title: str = "", back_url: str = "", args: tuple[Any, ...] = (),
           before_enqueue: Callable[[Job], None] | None = None) -> Job:
    """Record a job and enqueue ``task(job_id, *args)`` once the surrounding transaction commits."""
    job = Job.objects.create(kind=kind, title=title[:120], requested_by=user if getattr(user, "pk", None) else None,
                             language=translation.get_language() or settings.LANGUAGE_CODE, back_url=back_url)
    if before_enqueue is not None:
        before_enqueue(job)
    transaction.on_commit(lambda: task.enqueue(str(job.id), *args))
    return job


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Progress:
    """Reports how far a job got; writes at most every ``every`` seconds (and always at the end)."""

    def __init__(self, job: Job, every: float = 0.5) -> None:
        self.job = job
        self.every = every
        self._last = 0.0

    def __call__(self, done: int, total: int | None = None, step: str | None = None, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < self.every:
            return
        self._last = now
        fields: dict[str, Any] = {"done": max(0, done), "heartbeat_at": timezone.now()}
        if total is not None:
            fields["total"] = max(0, total)
        if step is not None:
            fields["step"] = step[:120]
        Job.objects.filter(pk=self.job.pk).update(**fields)


Work = Callable[[Job, Progress], dict[str, Any] | None]


def run_job(job_id: str, work: Work) -> str:
    """Run ``work`` for a queued job once, in the requester's language; returns the final status."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now(), worker=_worker_name())
    if not claimed:
        return "skipped"  # already run, or cancelled: running it twice would do the work twice
    job = Job.objects.get(pk=job_id)
    with translation.override(job.language):
        progress = Progress(job)
        try:
            result = work(job, progress) or {}
        except JobError as exc:
            _finish_failed(job, exc.message, exc.result)
            return Job.Status.FAILED
        except Exception as exc:
            # The class name only: an exception's text can carry the data it choked on.
            log.error("job %s (%s) failed: %s", job.pk, job.kind, type(exc).__name__)
            _finish_failed(job, _("Ruta could not finish this work, and nothing was changed. Try again; if it "
                                  "fails again, tell your administrator."), {})
            return Job.Status.FAILED
    Job.objects.filter(pk=job.pk).update(status=Job.Status.SUCCEEDED, finished_at=timezone.now(),
                                         result={"v": 1, **result}, done=job_done(job.pk))
    return Job.Status.SUCCEEDED


def job_done(pk: Any) -> int:
    row = Job.objects.filter(pk=pk).values_list("done", "total").first()
    if row is None:
        return 0
    done, total = row
    return max(done, total or 0)


def _finish_failed(job: Job, message: str, result: dict[str, Any]) -> None:
    cleanup = _CLEANUPS.get(job.kind)
    if cleanup is not None:
        try:
            cleanup(job)
        except Exception as exc:  # the failure itself must still be recorded
            log.error("clean-up of job %s (%s) failed: %s", job.pk, job.kind, type(exc).__name__)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, finished_at=timezone.now(), error=message,
                                         result={"v": 1, **result})


def _alive_here(worker: str) -> bool:
    host, _sep, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return int(pid) != os.getpid()


def recover_interrupted(now: Any = None) -> int:
    """Mark failed, and clean up, every running job whose worker is gone: killed on this machine,
    or silent for ``STALE_AFTER`` elsewhere. Run by each worker as it starts."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    lost = 0
    for job in Job.objects.filter(status=Job.Status.RUNNING):
        here = job.worker.rpartition(":")[0] == socket.gethostname()
        gone = not _alive_here(job.worker) if here else (job.heartbeat_at or job.created_at) < now - STALE_AFTER
        if not gone:
            continue
        with translation.override(job.language):
            _finish_failed(job, _("The work was interrupted (the server stopped) and nothing was changed. "
                                  "Start it again."), {})
        lost += 1
    # The queue's own record of a task that was running when its worker died.
    for task_id, workers in DBTaskResult.objects.filter(status="RUNNING").values_list("id", "worker_ids"):
        last = workers[-1] if workers else ""
        if last.rpartition(":")[0] == socket.gethostname() and not _alive_here(last):
            DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
                status="FAILED", finished_at=now, exception_class_path="ruta.jobs.Interrupted")
    return lost
