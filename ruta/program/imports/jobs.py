"""Imports run by the background worker (issue 8): the import screen keeps the upload with
``save_upload`` and submits a job; the worker imports the file (``importer.import_file``,
progress by rows) and the job page shows the summary or the errors by row and column, in
the requester's language (``program/jobs/import.html``). A refused file is a failed job
with nothing saved; the registered clean-up discards a staged import's rows when the work
fails or its worker was killed."""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from ruta.jobs.actions import JobError, Progress, job_file, register_cleanup, remove_files, run_job, save_upload, submit
from ruta.jobs.models import Job
from ruta.lib.terminal import data_lines
from ruta.program.imports.importer import ImportResult, discard, import_file
from ruta.program.models import Programme

KIND = "program.import"


def suffix_for(filename: str) -> str:
    """The stored upload's suffix: the reader tells CSV from XLSX by the name's extension."""
    return ".upload.xlsx" if filename.lower().endswith((".xlsx", ".xlsm")) else ".upload.csv"


def start_import(programme: Programme, kind: str, upload: Any, *, user: Any, back_url: str) -> Job:
    """Keep the uploaded file for the worker and queue its import; returns the job to follow."""
    suffix = suffix_for(upload.name or "")

    def keep(job: Job) -> None:
        save_upload(job, upload.chunks(), suffix)

    with transaction.atomic():
        return submit(run_import, kind=KIND, user=user, back_url=back_url, args=(programme.pk, kind, suffix),
                      before_enqueue=keep)


def summary(result: ImportResult) -> dict[str, Any]:
    """The job's result (JSON): the counts and the first errors, never a cell's personal data
    beyond what the import page always showed its requester."""
    out = dataclasses.asdict(result)
    out["errors"] = [dataclasses.asdict(e) for e in result.errors]
    out["ok"] = result.ok
    return out


def estimated_rows(path: Path) -> int | None:
    """Data rows of a CSV; None for XLSX (its rows are counted as they are read)."""
    return data_lines(path) if path.suffix == ".csv" else None


def _side_progress(job: Job) -> tuple[Callable[[int, int | None, str], None], Callable[[], None]]:
    """On PostgreSQL the whole import is one transaction: progress written through it would
    show only at the end, so it goes through a connection of its own (autocommit)."""
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    last = [0.0]
    sql = f"UPDATE {Job._meta.db_table} SET done = %s, total = %s, step = %s, heartbeat_at = %s WHERE id = %s"

    def report(done: int, total: int | None, step: str) -> None:
        if time.monotonic() - last[0] < 0.5:
            return
        last[0] = time.monotonic()
        with side.cursor() as cursor:
            cursor.execute(sql, [done, total, step[:120], timezone.now(), job.pk])

    return report, side.close


def import_work(job: Job, progress: Progress, programme_id: int, kind: str, suffix: str) -> dict[str, Any]:
    programme = Programme.objects.get(pk=programme_id)
    path = job_file(job, suffix)
    total = estimated_rows(path)
    step = _("Checking and saving the rows")
    write, close = (_side_progress(job) if connection.vendor == "postgresql"
                    else (lambda done, total, step: progress(done, total, step), lambda: None))

    def report(rows: int) -> None:
        write(rows, max(total, rows) if total is not None else None, step)

    try:
        with path.open("rb") as stream:
            result = import_file(programme, kind, stream, user=job.requested_by, filename=path.name,
                                 size=path.stat().st_size, job_id=uuid.UUID(str(job.pk)), progress=report)
    finally:
        close()
        path.unlink(missing_ok=True)
    if not result.ok:
        raise JobError(ngettext("The file has {n} error. Nothing was saved.",
                                "The file has {n} errors. Nothing was saved.", result.error_count)
                       .format(n=result.error_count), summary(result))
    progress(result.rows, result.rows, force=True)
    return summary(result)


@task()
def run_import(job_id: str, programme_id: int, kind: str, suffix: str) -> str:
    return run_job(job_id, lambda job, progress: import_work(job, progress, programme_id, kind, suffix))


def _cleanup(job: Job) -> None:
    discard(uuid.UUID(str(job.pk)))
    remove_files(job)


register_cleanup(KIND, _cleanup)
