"""Import a yearly file of the CEM register: all or nothing, streaming, in short writes.

How (see ``models`` for the tables):

1. Rows are read one by one (CSV with ``,`` or ``;`` in UTF-8, UTF-8 with BOM or Latin-1,
   also mixed; XLSX; SPSS ``.sav`` through pyreadstat) and mapped by ``register.row_mapper``.
2. Valid rows go, 5,000 at a time and each batch in its own short transaction, into a
   ``staging`` load per year of intake; the first error stops the writing, the reading goes
   on to report every error by row and column (up to :data:`MAX_ERRORS`).
3. Each year's kept rows get an order-independent digest. A year whose current load has the
   same digest is unchanged (the same file again, or the same rows in another encoding, adds
   nothing). A year that already has other rows is replaced only when ``replace`` is given;
   otherwise nothing is imported and the caller is told which years would be replaced.
4. In one short transaction every new load gets its figures (``figures``: counted while the
   rows were read) and becomes ``current``, and the one it replaces ``superseded``; the
   superseded rows (and their figures) are then deleted in batches.

On any failure the staged rows are deleted (:func:`discard_job`, also registered as the jobs
clean-up for work interrupted by a killed worker).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ruta.jobs.models import Job
from ruta.program.imports.reader import FileRefused, open_table
from ruta.stats import figures, register
from ruta.stats.models import CemFigure, CemLoad, CemRecord

BATCH = 5000
MAX_ERRORS = 200  # listed in the report; reading stops after this many
MASK = (1 << 128) - 1
DIGEST_MEMO = 50_000
Progress = Callable[..., None]


class ImportRefused(Exception):
    """Nothing was imported; ``message`` (translated) and ``result`` say why."""

    def __init__(self, message: str, result: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.result = result or {}


@dataclass
class YearPlan:
    year: int
    load: CemLoad
    digest_sum: int = 0
    digest: str = ""
    rows: int = 0
    months: set[int] = field(default_factory=set)
    outcome: str = ""  # new, unchanged, replaced, needs_replace
    previous: CemLoad | None = None
    tally: figures.Tally = field(default_factory=figures.Tally)

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {"year": self.year, "rows": self.rows, "outcome": self.outcome,
                               "first_month": min(self.months), "last_month": max(self.months)}
        if self.previous is not None:
            out.update(previous_rows=self.previous.rows, previous_source=self.previous.source_name,
                       previous_last_month=self.previous.last_month,
                       previous_imported=(self.previous.activated_at or self.previous.created_at).date().isoformat())
        return out


# --- reading -----------------------------------------------------------------------------

Rows = Iterator[tuple[int, Sequence[Any]]]


def _is_sav(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) in (b"$FL2", b"$FL3")


def _read_sav(path: Path) -> tuple[list[str], Rows, int | None]:
    """SPSS through pyreadstat (``read_file_in_chunks``), only the columns Ruta keeps."""
    try:
        import pyreadstat
    except ImportError:
        raise ImportRefused(_("This server cannot read SPSS files yet (pyreadstat is not installed). "
                              "Save the file as CSV and upload it again.")) from None

    def meta(encoding: str | None) -> Any:
        # output_format="dict": pyreadstat needs neither pandas nor polars then.
        _empty, info = pyreadstat.read_sav(str(path), metadataonly=True, encoding=encoding, output_format="dict")
        return info

    encoding: str | None = None
    try:
        info = meta(None)
    except Exception:  # files declared UTF-8 whose labels are Latin-1
        encoding = "latin1"
        try:
            info = meta(encoding)
        except Exception:
            raise ImportRefused(_("The SPSS file cannot be read.")) from None
    headers = list(info.column_names)
    by_upper = {h.strip().upper(): h for h in headers}
    usecols = [by_upper[c] for c in register.COLUMNS if c in by_upper]

    def rows() -> Rows:
        number = 1
        chunks = pyreadstat.read_file_in_chunks(pyreadstat.read_sav, str(path), chunksize=5_000,
                                                usecols=usecols, encoding=encoding, output_format="dict")
        for chunk, _meta in chunks:
            columns = chunk if isinstance(chunk, dict) else chunk.to_dict(orient="list")
            values = [list(columns[c]) for c in usecols]
            for row in zip(*values, strict=True):
                number += 1
                yield number, row

    return usecols, rows(), getattr(info, "number_rows", None)


def _count_lines(path: Path) -> int:
    lines = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            lines += chunk.count(b"\n")
    return max(0, lines - 1)


def open_rows(path: Path, name: str) -> tuple[list[str], Rows, int | None, Callable[[], None]]:
    """Headers, numbered rows, an estimate of the row count, and a function closing the file."""
    if _is_sav(path):
        headers, rows, total = _read_sav(path)
        return headers, rows, total, lambda: None
    stream = path.open("rb")
    try:
        table = open_table(stream, name)
    except FileRefused as exc:
        stream.close()
        raise ImportRefused(str(exc.message)) from None
    total = _count_lines(path) if table.kind == "csv" else None

    def close() -> None:
        table.close()
        stream.close()

    return list(table.headers), table.rows, total, close


# --- writing -----------------------------------------------------------------------------

_INSERT_COLUMNS = ("load_id", *register.FIELDS)


def _insert(batch: list[tuple[Any, ...]]) -> None:
    """One batch in one transaction: ``executemany`` on SQLite, ``COPY … FROM STDIN`` on PostgreSQL."""
    table = CemRecord._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(_INSERT_COLUMNS)}) FROM STDIN") as copy:
                for values in batch:
                    copy.write_row(values)
        else:
            cursor.executemany(f"INSERT INTO {table} ({', '.join(_INSERT_COLUMNS)}) "
                               f"VALUES ({', '.join(['%s'] * len(_INSERT_COLUMNS))})", batch)


def delete_rows(load_ids: Sequence[int]) -> None:
    """Delete a load's rows in batches, each a short transaction, then the loads if staging."""
    table = CemRecord._meta.db_table
    for load_id in load_ids:
        while True:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} WHERE load_id = %s "
                               f"LIMIT {BATCH})", [load_id])
                if cursor.rowcount < BATCH:
                    break
    CemFigure.objects.filter(load_id__in=load_ids).exclude(load__status=CemLoad.Status.CURRENT).delete()
    CemLoad.objects.filter(pk__in=load_ids, status=CemLoad.Status.STAGING).delete()


def discard_job(job: Job) -> None:
    """The jobs clean-up: the staged rows of a failed or interrupted import."""
    delete_rows(list(CemLoad.objects.filter(job=job, status=CemLoad.Status.STAGING).values_list("pk", flat=True)))


def purge_stale() -> None:
    """Rows left by imports that did not finish (a killed command) and replaced rows left by an
    interrupted deletion. Staged loads of a running job are left alone."""
    day_ago = timezone.now() - timedelta(days=1)
    staging = CemLoad.objects.filter(status=CemLoad.Status.STAGING)
    stale = list(staging.filter(job__status__in=Job.FINISHED).values_list("pk", flat=True))
    stale += list(staging.filter(job__isnull=True, created_at__lt=day_ago).values_list("pk", flat=True))
    superseded = CemLoad.objects.filter(status=CemLoad.Status.SUPERSEDED, rows__gt=0)
    delete_rows(stale)
    for load in superseded:
        delete_rows([load.pk])
        CemLoad.objects.filter(pk=load.pk).update(rows=0)


def _digest(record: register.Record) -> int:
    return int.from_bytes(hashlib.blake2b(repr(record).encode(), digest_size=16).digest(), "big")


# --- the import --------------------------------------------------------------------------

def import_file(path: Path, *, name: str, replace: bool = False, job: Job | None = None,
                progress: Progress | None = None) -> dict[str, Any]:
    """Import one file; returns a summary (``years``: a :meth:`YearPlan.summary` each). Raises
    :class:`ImportRefused` with nothing imported."""
    report = progress or (lambda *args, **kwargs: None)
    purge_stale()
    headers, rows, total, close = open_rows(path, name)
    plans: dict[int, YearPlan] = {}
    try:
        try:
            to_record = register.row_mapper(headers)
        except register.Header as exc:
            raise ImportRefused(exc.message) from None
        errors = _stage(rows, to_record, plans, name, job, report, total)
    except FileRefused as exc:
        delete_rows([p.load.pk for p in plans.values()])
        raise ImportRefused(str(exc.message)) from None
    except BaseException:
        delete_rows([p.load.pk for p in plans.values()])
        raise
    finally:
        close()
    staged = [p.load.pk for p in plans.values()]
    if errors:
        delete_rows(staged)
        shown = [e.as_dict() for e in errors[:MAX_ERRORS]]
        raise ImportRefused(ngettext(
            "Nothing was imported: {n} value is not valid. Correct it and upload the file again.",
            "Nothing was imported: {n} values are not valid. Correct them and upload the file again.",
            len(errors)).format(n=len(errors)), {"errors": shown, "error_count": len(errors)})
    if not plans:
        raise ImportRefused(_("The file has no rows."))
    try:
        return _activate(plans, replace, report)
    except BaseException:
        delete_rows(list(CemLoad.objects.filter(pk__in=staged, status=CemLoad.Status.STAGING)
                         .values_list("pk", flat=True)))
        raise


def _stage(rows: Rows, to_record: Callable[..., register.Record | None], plans: dict[int, YearPlan], name: str,
           job: Job | None, report: Progress, total: int | None) -> list[register.CellError]:
    errors: list[register.CellError] = []
    batch: list[tuple[Any, ...]] = []
    digests: dict[register.Record, int] = {}  # rows repeat: hash each distinct one once
    read = 0
    step = _("Reading the file")
    report(0, total, step, force=True)
    for number, values in rows:
        read += 1
        record = to_record(number, values, errors)
        if errors:
            if len(errors) >= MAX_ERRORS:
                break
            continue
        assert record is not None
        year = record[0]
        plan = plans.get(year)
        if plan is None:
            plan = plans[year] = YearPlan(year, CemLoad.objects.create(year=year, source_name=name[:200], job=job))
        digest = digests.get(record)
        if digest is None:
            digest = _digest(record)
            if len(digests) < DIGEST_MEMO:
                digests[record] = digest
        plan.digest_sum = (plan.digest_sum + digest) & MASK
        plan.rows += 1
        plan.months.add(record[1])
        plan.tally.add(record)
        batch.append((plan.load.pk, *record))
        if len(batch) >= BATCH:
            _insert(batch)
            batch.clear()
            report(read, max(total or 0, read), step)
    if batch and not errors:
        _insert(batch)
    report(read, read, step, force=True)
    return errors


def _activate(plans: dict[int, YearPlan], replace: bool, report: Progress) -> dict[str, Any]:
    current = {load.year: load for load in CemLoad.objects.filter(status=CemLoad.Status.CURRENT, year__in=plans)}
    for plan in plans.values():
        plan.digest = f"{plan.digest_sum:032x}:{plan.rows}"
        plan.previous = current.get(plan.year)
        if plan.previous is None:
            plan.outcome = "new"
        elif plan.previous.digest == plan.digest:
            plan.outcome = "unchanged"
        else:
            plan.outcome = "replaced" if replace else "needs_replace"
    ordered = sorted(plans.values(), key=lambda p: p.year)
    summary = {"years": [p.summary() for p in ordered], "imported": 0}
    if any(p.outcome == "needs_replace" for p in ordered):
        delete_rows([p.load.pk for p in ordered])
        summary["needs_replace"] = True
        return summary
    unchanged = [p.load.pk for p in ordered if p.outcome == "unchanged"]
    delete_rows(unchanged)
    changing = [p for p in ordered if p.outcome in ("new", "replaced")]
    report(0, 1, _("Making the new figures visible"), force=True)
    now = timezone.now()
    with transaction.atomic():
        still = {load.year: load.pk for load in CemLoad.objects.filter(status=CemLoad.Status.CURRENT,
                                                                        year__in=[p.year for p in changing])}
        for plan in changing:
            if still.get(plan.year) != (plan.previous.pk if plan.previous else None):
                raise ImportRefused(_("Another import changed the year {year} meanwhile. Upload the file again."
                                      ).format(year=plan.year))
            figures.write(plan.load.pk, plan.tally.flush())
            CemLoad.objects.filter(year=plan.year, status=CemLoad.Status.CURRENT).update(
                status=CemLoad.Status.SUPERSEDED)
            CemLoad.objects.filter(pk=plan.load.pk).update(
                status=CemLoad.Status.CURRENT, activated_at=now, digest=plan.digest,
                rows=plan.rows, first_month=min(plan.months), last_month=max(plan.months))
    summary["imported"] = sum(p.rows for p in changing)
    report(1, 1, _("Removing the replaced rows"), force=True)
    for plan in changing:
        if plan.previous is not None:
            delete_rows([plan.previous.pk])
            CemLoad.objects.filter(pk=plan.previous.pk).update(rows=0)
    return summary
