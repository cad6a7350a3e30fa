"""Import participants and attendance from Ruta's template or a KoboToolbox export.

The rules (docs/architecture.md, "Security rules"):

* **All or nothing.** Rows are validated and written in batches while the file streams; the
  first error stops the writing (reading goes on, to list every error) and everything
  written is undone at the end. Nothing of a file with an error is ever saved, and no one
  sees part of a file before all of it is saved.
* **Short writes on SQLite.** SQLite has one write lock for the whole database, so a
  file read in one transaction would make every staff page that writes (a session, an
  audit event) wait for it. There the import is *staged*: a :class:`StagedImport` row
  names the import, each batch is written in its own short transaction with the import's
  id in ``import_job``, and the default managers and the indicators leave out every row
  whose import is still staged. Publishing deletes the ``StagedImport`` row: one short
  transaction, whatever the file's size. On failure (and, for a worker killed half-way,
  at the next worker start) :func:`discard` deletes the staged rows in short batches.
  Why this keeps every figure exact: new participants are staged together with their
  attendance, so the database triggers keep their facts while they are hidden; attendance
  for people already visible would change *their* facts at once, so it is not written
  while staging but kept in a temporary file and inserted in the publishing transaction
  (the one step that grows with the file: with the number of such rows). Duplicate
  review, exports, lists and history read through the default managers and so never see
  staged people; the unique constraints still hold across staged and visible rows, so a
  re-import or a second import of the same people cannot add anyone twice.
* **One transaction on PostgreSQL.** MVCC lets readers and other writers go on while an
  import runs, so there the whole file is one transaction, as before.
* **Errors by row and column**, in the user's language, numbered as the spreadsheet shows
  them (the header is row 1).
* **Idempotent.** The natural keys are the participant code within the programme and the
  pair activity × participant. A row whose key exists already adds nothing; an existing
  participant whose sex, exact birth date, group or district differ from the file's is an
  error (Ruta never overwrites a person silently).
* **Flat memory.** Rows stream (``reader``); each batch is checked against the
  database with one query per table, written with one ``executemany`` per table (``writer``)
  and forgotten. Nothing
  grows with the file except the error list, which is capped.

One file holds participants (and, with an ``activity_id`` column, their attendance at that
activity: the KoboToolbox form in ``docs/forms/`` works this way), or attendance alone
(``activity_id`` and ``participant_code``). Repeating a participant's row for several
activities is expected; a row repeated exactly is harmless and counted as repeated.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import functools
import hashlib
import importlib
import tempfile
import time
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ruta.audit.actions import record_access
from ruta.lib.crypto import keyed_hasher
from ruta.lib.names import name_part_hasher
from ruta.program import summaries
from ruta.program.checks import check_birth_and_consent
from ruta.program.imports import values as cells
from ruta.program.imports.reader import FileRefused, Table, Value, open_table
from ruta.program.imports.writer import RowWriter
from ruta.program.models import (
    NAME_HASH_PURPOSE,
    NAME_PARTS_PURPOSE,
    Activity,
    Attendance,
    Participant,
    Programme,
    StagedImport,
    StakeholderGroup,
    normalise_name,
)

BATCH = 1000  # rows per batch
# On SQLite, rows per short transaction: on a quiet machine a few tenths of a second; measured
# at up to 7.5 s for 1,000 rows with attendance on a 2-core machine at load 12 (see docs/imports.md).
STAGED_BATCH = 250
HANDOFF_S = 0.1
# …after at most this long of back-to-back batches: a page waits for the lock about this long at
# worst, and the import is not paused after every batch (a pause per 250 rows capped it at
# about 2,500 rows/s).
HANDOFF_EVERY_S = 0.5
# Batches read ahead during a pause (at most; about 10 ms each): memory stays flat.
AHEAD_BATCHES = 40
DISCARD_BATCH = 5000
MAX_ERRORS = 200
MAX_UPLOAD_BYTES = 60 * 1024 * 1024
GROUPS = ", ".join(StakeholderGroup.values)
MEMO_SIZE = 20_000


class Kind:
    PARTICIPANTS = "participants"
    ATTENDANCE = "attendance"
    CHOICES = (
        (PARTICIPANTS, gettext_lazy("Participants (and their attendance, with an activity_id column)")),
        (ATTENDANCE, gettext_lazy("Attendance only (activity_id and participant_code)")),
    )


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: Any  # lazy text for the template's instructions sheet
    example: str = ""


PARTICIPANT_COLUMNS = [
    Column("participant_code", True, gettext_lazy("Pseudonymous code, unique in the programme (letters, digits, "
                                                  "dots, dashes). Never a name or a document number."), "TAM-0001"),
    Column("sex", False, gettext_lazy("female, male, intersex or unknown (also: mujer, hombre). Blank: unknown."),
           "female"),
    Column("birth_date", False, gettext_lazy("Date of birth: 25/03/2010 or 2010-03-25. Required unless age is given."),
           "25/03/2010"),
    Column("age", False, gettext_lazy("Age in completed years at registration, when the birth date is not known."),
           "15"),
    Column("group", True, gettext_lazy("youth, teacher, authority, community_org, family or other."), "youth"),
    Column("district", True, gettext_lazy("6-digit UBIGEO code of the district (170101 = Tambopata) or its name."),
           "170101"),
    Column("organisation", False, gettext_lazy("School or organisation (up to 200 characters)."), "I.E. Billinghurst"),
    Column("guardian_consent", False, gettext_lazy("yes or no: a parent or guardian consented. Required (yes) "
                                                   "for participants under 18."), "yes"),
    Column("name", False, gettext_lazy("Optional. Stored encrypted; used only to find duplicates."), ""),
    Column("registered_on", False, gettext_lazy("Registration date. Blank: the day of the import."), "10/03/2025"),
    Column("activity_id", False, gettext_lazy("Optional: the number of the activity in Ruta the person attended."),
           ""),
]
ATTENDANCE_COLUMNS = [
    Column("activity_id", True, gettext_lazy("The number of the activity in Ruta (shown on the activity's page)."),
           "12"),
    Column("participant_code", True, gettext_lazy("The code of a participant already in the programme."), "TAM-0001"),
]
COLUMNS = {Kind.PARTICIPANTS: PARTICIPANT_COLUMNS, Kind.ATTENDANCE: ATTENDANCE_COLUMNS}

# KoboToolbox adds these to every export; they carry no programme data.
KOBO_META = {"start", "end", "deviceid", "subscriberid", "simserial", "phonenumber", "username", "audit",
             "instanceid", "instancename", "uuid", "rootuuid", "deprecatedid", "version", "today"}
# Helper fields of Ruta's own XLSForm (docs/forms/): they steer the form, the import skips them.
KOBO_FORM_HELPERS = {"knows_birth_date", "age_years"}


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row; 1 is the header, 0 is the file as a whole
    column: str  # "C · birth_date", or "" for the whole row
    message: str


@dataclass
class ImportResult:
    kind: str
    rows: int = 0
    participants_created: int = 0
    participants_existing: int = 0
    attendance_created: int = 0
    attendance_existing: int = 0
    repeated_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    file_kind: str = ""
    encoding: str = ""
    sha256: str = ""
    longest_write_s: float = 0.0  # the longest transaction the import held (SQLite: the write lock)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_error(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, column, message))


class _Rollback(Exception):
    pass


def column_label(index: int, name: str) -> str:
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters} · {name}"


def normalise_header(header: str) -> str:
    """``group_person/Participant_Code `` → ``participant_code`` (KoboToolbox group paths)."""
    name = header.strip().lstrip("\ufeff").rsplit("/", 1)[-1]
    return name.strip().lower().replace(" ", "_")


def map_headers(headers: list[str], kind: str, result: ImportResult) -> dict[str, int] | None:
    """Column name → index, or None after adding the header errors to ``result``."""
    known = {c.name for c in COLUMNS[kind]}
    positions: dict[str, int] = {}
    unknown: list[str] = []
    for i, raw in enumerate(headers):
        name = normalise_header(raw)
        if not name:
            continue
        if name.startswith("_") or (name in KOBO_META | KOBO_FORM_HELPERS and name not in known):
            if name == "today" and kind == Kind.PARTICIPANTS:
                positions.setdefault("today", i)
            continue
        if name not in known:
            unknown.append(raw.strip())
        elif name in positions:
            result.add_error(1, column_label(i, name), _("The column {name} appears twice.").format(name=name))
        else:
            positions[name] = i
    missing = [c.name for c in COLUMNS[kind] if c.required and c.name not in positions]
    if kind == Kind.PARTICIPANTS and "birth_date" not in positions and "age" not in positions:
        missing.append("birth_date / age")
    if missing:
        result.add_error(1, "", _("Missing columns: {missing}. Download the template to see the expected columns.")
                         .format(missing=", ".join(missing)))
    if unknown:
        result.add_error(1, "", _("Ruta does not know these columns: {unknown}. Expected: {expected}.").format(
            unknown=", ".join(unknown[:10]), expected=", ".join(c.name for c in COLUMNS[kind])))
    return None if result.error_count else positions


@dataclass
class _Person:
    row: int
    code: str
    sex: str
    birth_date: dt.date
    estimated: bool
    age: int
    registered_on: dt.date
    group: str
    district: str
    organisation: str
    consent: bool
    name: str

    def key_facts(self) -> tuple[Any, ...]:
        return (self.sex, self.group, self.district, None if self.estimated else self.birth_date)


Progress = Callable[[int], None]


@dataclass
class _Parsed:
    """One batch read and checked, waiting to be written."""

    people: dict[str, _Person]
    visits: list[tuple[int, int, str]]
    rows_read: int  # rows of the file up to the end of this batch (for the progress bar)


class Importer:
    def __init__(self, programme: Programme, kind: str, user: Any, *, job_id: uuid.UUID | None = None,
                 progress: Progress | None = None) -> None:
        self.programme = programme
        self.job_id = job_id or uuid.uuid4()
        self.progress = progress
        self.staged = connection.vendor == "sqlite"
        self._last_handoff = time.monotonic()
        self.deferred: Any = None  # SQLite: attendance of visible people, inserted when publishing
        self.deferred_rows = 0
        self.kind = kind
        self.user = user if getattr(user, "pk", None) else None
        self.today = timezone.localdate()
        self.result = ImportResult(kind=kind)
        self.districts = cells.Districts.load() if kind == Kind.PARTICIPANTS else None
        self.activities = dict(Activity.objects.filter(programme=programme).values_list("id", "date"))
        self.writing = True
        self.positions: dict[str, int] = {}
        self.now = timezone.now()
        # Columns with few distinct values are parsed once per value (valid ones only, so
        # every bad cell still gets its own error); bounded, so memory stays flat.
        self.memo: dict[str, dict[Value, Any]] = {
            name: {} for name in ("sex", "group", "district", "guardian_consent", "birth_date", "registered_on",
                                  "today", "age")}
        self.writers = _Writers()
        self._hash = keyed_hasher(NAME_HASH_PURPOSE)
        self._parts = name_part_hasher(NAME_PARTS_PURPOSE)

    def _name_hash(self, name: str) -> str:
        """= search_hash(normalise_name(name), NAME_HASH_PURPOSE), with the key derived once."""
        normalised = normalise_name(name)
        return self._hash(normalised) if normalised else ""

    # --- the whole file ---------------------------------------------------------------

    def run(self, table: Table) -> ImportResult:
        result = self.result
        result.file_kind = table.kind
        positions = map_headers(table.headers, self.kind, result)
        if positions is None:
            table.close()
            return result
        self.positions = positions
        try:
            if self.staged:
                self._run_staged(table)
            else:
                with self._write():
                    self._read(table)
                    self._finish()
            # The people written are listed for the monthly summaries (database triggers); they are
            # settled after the import's transaction in short steps, so that it holds no lock longer
            # (dashboards read the raw tables, exactly, for this programme meanwhile).
            summaries.settle_in_steps()
        except _Rollback:
            self._zero_counts()
        except IntegrityError:
            # Only a concurrent import of the same people can get here (keys are checked first).
            self._zero_counts()
            result.add_error(0, "", _("Someone saved the same participants while this file was imported. "
                                      "Nothing was saved; import the file again."))
        finally:
            table.close()
        return result

    def _read(self, table: Table) -> None:
        parsed = self._parsed(table, min(BATCH, STAGED_BATCH) if self.staged else BATCH)
        ahead: collections.deque[_Parsed] = collections.deque()
        while True:
            if not ahead:
                item = next(parsed, None)
                if item is None:
                    break
                ahead.append(item)
            self._write_batch(ahead.popleft())
            if self.staged and time.monotonic() - self._last_handoff >= HANDOFF_EVERY_S:
                # Let a page waiting for the write lock take it: SQLite's busy handler looks again
                # only every 100 ms, and the next batch would otherwise win the lock every time.
                # The import reads and checks the next batches meanwhile (no lock needed), and
                # sleeps only what is left of the pause.
                until = time.monotonic() + HANDOFF_S
                while (time.monotonic() < until and len(ahead) < AHEAD_BATCHES
                       and (item := next(parsed, None)) is not None):
                    ahead.append(item)
                time.sleep(max(0.0, until - time.monotonic()))
                self._last_handoff = time.monotonic()
        self.result.encoding = table.encoding
        if self.result.rows == 0:
            self.result.add_error(0, "", _("The file has a header but no rows."))

    def _parsed(self, table: Table, size: int) -> Iterator[_Parsed]:
        batch: list[tuple[int, list[Value]]] = []
        for row in table.rows:
            batch.append(row)
            if len(batch) >= size:
                yield self._parse(batch, self.positions)
                batch = []
        if batch:
            yield self._parse(batch, self.positions)

    def _finish(self) -> None:
        """Raise ``_Rollback`` for a file with errors; otherwise record who imported what."""
        result = self.result
        if not result.ok:
            raise _Rollback
        record_access(self.user, "program.import", self.programme, detail={
            "kind": self.kind, "rows": result.rows, "sha256": result.sha256,
            "participants_created": result.participants_created,
            "attendance_created": result.attendance_created,
        })

    def _run_staged(self, table: Table) -> None:
        StagedImport.objects.create(job_id=self.job_id, programme=self.programme)
        try:
            with tempfile.TemporaryFile("w+", encoding="ascii") as self.deferred:
                self._read(table)
                if not self.result.ok:
                    raise _Rollback
                with self._write():
                    self._publish_deferred()
                    self._finish()
                    StagedImport.objects.filter(job_id=self.job_id).delete()  # now everyone sees it all
        except BaseException:
            discard(self.job_id)
            raise

    @contextlib.contextmanager
    def _write(self) -> Iterator[None]:
        """One transaction, timed from BEGIN to COMMIT: on SQLite (BEGIN IMMEDIATE, see settings)
        the time it holds the database's write lock, not counting the wait for it."""
        with transaction.atomic():
            start = time.perf_counter()
            yield
        self.result.longest_write_s = max(self.result.longest_write_s, time.perf_counter() - start)

    def _label(self, name: str) -> str:
        return column_label(self.positions[name], name) if name in self.positions else name

    def _zero_counts(self) -> None:
        r = self.result
        r.participants_created = r.attendance_created = 0

    def _fail(self, row: int, column: str, message: str) -> None:
        self.result.add_error(row, column, message)
        self.writing = False

    # --- one batch --------------------------------------------------------------------

    def _parse(self, batch: list[tuple[int, list[Value]]], positions: dict[str, int]) -> _Parsed:
        self.result.rows += len(batch)
        if self.kind == Kind.PARTICIPANTS:
            people, visits = self._parse_people(batch, positions)
        else:
            people, visits = {}, self._parse_visits(batch, positions)
        return _Parsed(people, visits, self.result.rows)

    def _write_batch(self, parsed: _Parsed) -> None:
        people, visits = parsed.people, parsed.visits
        codes = set(people) | {code for _row, _act, code in visits}
        with self._write() if self.staged else contextlib.nullcontext():
            ids, own, created = self._write_people(people, codes, visits) if codes else ({}, set(), set())
            self._write_visits(visits, ids, own, created)
        if self.progress is not None:
            self.progress(parsed.rows_read)

    def _cell(self, values: list[Value], positions: dict[str, int], name: str) -> Value:
        i = positions.get(name)
        return None if i is None or i >= len(values) else values[i]

    def _parse_people(self, batch: list[tuple[int, list[Value]]], positions: dict[str, int]
                      ) -> tuple[dict[str, _Person], list[tuple[int, int, str]]]:
        people: dict[str, _Person] = {}
        visits: list[tuple[int, int, str]] = []
        seen_visits: set[tuple[int, str]] = set()
        assert self.districts is not None
        earliest = dt.date(self.today.year - 120, 1, 1)
        for number, values in batch:
            errors_before = self.result.error_count
            parsed: dict[str, Any] = {}

            def get(name: str, parse: Any, values: list[Value] = values, number: int = number,
                    parsed: dict[str, Any] = parsed) -> Any:
                raw = self._cell(values, positions, name)
                memo = self.memo.get(name)
                if memo is not None and raw in memo:
                    parsed[name] = memo[raw]
                    return parsed[name]
                try:
                    parsed[name] = parse(raw)
                except cells.CellError as exc:
                    self._fail(number, column_label(positions[name], name), exc.message)
                    parsed[name] = None
                else:
                    if memo is not None:
                        if len(memo) >= MEMO_SIZE:
                            memo.clear()
                        memo[raw] = parsed[name]
                return parsed[name]

            code = get("participant_code", cells.code)
            sex = get("sex", lambda v: cells.choice(v, cells.SEX_WORDS, allowed="female, male, intersex, unknown",
                                                    blank="unknown"))
            group = get("group", lambda v: cells.choice(v, cells.GROUP_WORDS, allowed=GROUPS))
            district = get("district", self.districts.parse)
            organisation = (get("organisation", lambda v: cells.text(v, max_length=200))
                            if "organisation" in positions else "")
            name = get("name", lambda v: cells.text(v, max_length=200)) if "name" in positions else ""
            consent = get("guardian_consent", cells.yes_no) if "guardian_consent" in positions else False
            reg_col = "registered_on" if "registered_on" in positions else "today" if "today" in positions else ""
            registered = self.today
            if reg_col:
                raw = self._cell(values, positions, reg_col)
                if not cells.is_blank(raw):
                    registered = get(reg_col, lambda v: cells.date(v, earliest=dt.date(2000, 1, 1), latest=self.today))
            birth = raw_age = None
            if "birth_date" in positions and not cells.is_blank(self._cell(values, positions, "birth_date")):
                birth = get("birth_date", lambda v: cells.date(v, earliest=earliest, latest=self.today))
            if "age" in positions and not cells.is_blank(self._cell(values, positions, "age")):
                raw_age = get("age", lambda v: cells.integer(v, minimum=5, maximum=110))
            activity_id = None
            if "activity_id" in positions and not cells.is_blank(self._cell(values, positions, "activity_id")):
                activity_id = get("activity_id", self._activity)
            if self.result.error_count > errors_before:
                continue
            if registered is None:
                continue
            found, facts = check_birth_and_consent(birth_date=birth, age=raw_age, registered_on=registered,
                                                   guardian_consent=consent)
            if found is not None or facts is None:
                assert found is not None
                col = next(c for c in (found.field, "birth_date", "age", "participant_code") if c in positions)
                self._fail(number, column_label(positions[col], col), found.message)
                continue
            birth, estimated, age = facts.date, facts.estimated, facts.age
            person = _Person(number, code, sex, birth, estimated, age, registered, group, district,
                             organisation, consent, name)
            earlier = people.get(code)
            if earlier is None:
                people[code] = person
            elif earlier.key_facts() != person.key_facts() or earlier.name != person.name:
                self._fail(number, column_label(positions["participant_code"], "participant_code"),
                           _("The code {code} is used in row {row} for a different person.")
                           .format(code=code, row=earlier.row))
                continue
            if activity_id is not None:
                if (activity_id, code) in seen_visits:
                    self.result.repeated_rows += 1
                    continue
                seen_visits.add((activity_id, code))
                visits.append((number, activity_id, code))
            elif earlier is not None:
                self.result.repeated_rows += 1
        return people, visits

    def _activity(self, value: Value) -> int:
        activity_id = cells.integer(value, minimum=1, maximum=2**62)
        if activity_id not in self.activities:
            raise cells.CellError(_("There is no activity number {id} in this programme.").format(id=activity_id))
        return activity_id

    def _parse_visits(self, batch: list[tuple[int, list[Value]]], positions: dict[str, int]
                      ) -> list[tuple[int, int, str]]:
        visits: list[tuple[int, int, str]] = []
        seen: set[tuple[int, str]] = set()
        for number, values in batch:
            try:
                activity_id = self._activity(self._cell(values, positions, "activity_id"))
            except cells.CellError as exc:
                self._fail(number, column_label(positions["activity_id"], "activity_id"), exc.message)
                activity_id = 0
            try:
                code = cells.code(self._cell(values, positions, "participant_code"))
            except cells.CellError as exc:
                self._fail(number, column_label(positions["participant_code"], "participant_code"), exc.message)
                continue
            if not activity_id:
                continue
            if (activity_id, code) in seen:
                self.result.repeated_rows += 1
                continue
            seen.add((activity_id, code))
            visits.append((number, activity_id, code))
        return visits

    # --- writing ----------------------------------------------------------------------

    def _write_people(self, people: dict[str, _Person], codes: set[str], visits: list[tuple[int, int, str]]
                      ) -> tuple[dict[str, int], set[int], set[int]]:
        """Create the batch's new participants; return code → id for every code of the batch,
        the ids of the people this import creates (earlier batches included) and of those this
        batch creates."""
        existing = {row["code"]: row for row in self._existing(codes)}
        ids = {code: row["merged_into_id"] or row["id"] for code, row in existing.items()}
        own = {row["id"] for row in existing.values() if row["import_job"] == self.job_id}
        staged_elsewhere = self._staged_elsewhere(list(existing.values()))  # type: ignore[arg-type]
        new: list[dict[str, Any]] = []
        for code, person in people.items():
            row = existing.get(code)
            if row is None:
                new.append(self._participant(person))
                continue
            if row["id"] in staged_elsewhere:
                self._fail(person.row, self._label("participant_code"),
                           _("Another import is saving participant {code} right now. Import this file again "
                             "once it has finished.").format(code=code))
                continue
            if row["id"] in own:
                # Created by an earlier batch of this same file: a repeated row, already counted.
                if (row["sex"], row["group"], row["district_id"]) != (person.sex, person.group, person.district) or (
                        not person.estimated and not row["birth_date_estimated"]
                        and row["birth_date"] != person.birth_date):
                    self._fail(person.row, self._label("participant_code"),
                               _("The code {code} is used earlier in the file for a different person.")
                               .format(code=code))
                else:
                    self.result.repeated_rows += 1
                continue
            same = (row["sex"], row["group"], row["district_id"]) == (person.sex, person.group, person.district)
            if same and not person.estimated and not row["birth_date_estimated"]:
                same = row["birth_date"] == person.birth_date
            if not same:
                self._fail(person.row, self._label("participant_code"),
                           _("Participant {code} already exists in the programme with a different sex, group, "
                             "district or birth date. Correct the file or the participant's record.")
                           .format(code=code))
                continue
            self.result.participants_existing += 1
        missing = {c for c in codes - people.keys() if c not in existing or existing[c]["id"] in staged_elsewhere}
        for line, _act, code in visits:
            if code in missing:
                self._fail(line, self._label("participant_code"),
                           _("There is no participant with the code {code} in this programme.").format(code=code))
        if self.writing and new:
            self._set_facts(new, visits)
            self.writers.participant.insert(new)
            created = dict(self._by_code("code, id", [r["code"] for r in new]))
            history_base = {"history_date": self.now, "history_type": "+", "history_change_reason": "import",
                            "history_user_id": self.user.pk if self.user else None}
            self.writers.history.insert({**r, **history_base, "id": created[r["code"]]} for r in new)
            self.result.participants_created += len(new)
            ids.update(created)
            own.update(created.values())
            return ids, own, set(created.values())
        return ids, own, set()

    def _by_code(self, columns: str, codes: Collection[str]) -> list[tuple[Any, ...]]:
        """``columns`` of this programme's participants (staged or not) with these codes. Plain
        SQL: the ORM's ``code__in`` of a batch's codes cost more than the query itself
        (building the lookup value by value; on PostgreSQL, inlining a parameter per code)."""
        params: list[Any]
        if connection.vendor == "postgresql":
            where, params = "code = ANY(%s)", [self.programme.pk, list(codes)]
        else:
            where, params = f"code IN ({', '.join(['%s'] * len(codes))})", [self.programme.pk, *codes]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {columns} FROM program_participant WHERE programme_id = %s AND {where}",  # noqa: S608
                           params)
            return cursor.fetchall()

    def _existing(self, codes: Collection[str]) -> Iterator[dict[str, Any]]:
        """The batch's participants already saved, with the facts a row of the file is checked against
        (values as the ORM gives them: dates, booleans, UUIDs, also on SQLite)."""
        rows = self._by_code('id, code, sex, "group", district_id, birth_date, birth_date_estimated, '
                             "merged_into_id, import_job", codes)
        for pk, code, sex, group, district, birth, estimated, merged, job in rows:
            yield {"id": pk, "code": code, "sex": sex, "group": group, "district_id": district,
                   "birth_date": dt.date.fromisoformat(birth) if isinstance(birth, str) else birth,
                   "birth_date_estimated": bool(estimated), "merged_into_id": merged,
                   "import_job": uuid.UUID(job) if isinstance(job, str) else job}

    def _staged_elsewhere(self, rows: Iterable[dict[str, Any]]) -> set[int]:
        """People another import is staging: invisible, so neither ours to add to nor new."""
        jobs = {row["import_job"] for row in rows if row["import_job"] and row["import_job"] != self.job_id}
        if not jobs:
            return set()
        pending = set(StagedImport.objects.filter(job_id__in=jobs).values_list("job_id", flat=True))
        return {row["id"] for row in rows if row["import_job"] in pending}

    def _participant(self, person: _Person) -> dict[str, Any]:
        return {
            "programme_id": self.programme.pk, "code": person.code, "sex": person.sex,
            "birth_date": person.birth_date, "birth_date_estimated": person.estimated,
            "age_at_registration": person.age, "registered_on": person.registered_on, "group": person.group,
            "district_id": person.district, "organisation": person.organisation, "guardian_consent": person.consent,
            "name": person.name, "name_hash": self._name_hash(person.name),
            "name_parts": " ".join(self._parts(person.name)),
            "created_at": self.now, "created_by_id": self.user.pk if self.user else None, "import_job": self.job_id,
        }

    def _set_facts(self, new: list[dict[str, Any]], visits: list[tuple[int, int, str]]) -> None:
        """The facts the attendance trigger would give the batch's new people once their visits
        of this batch are written (migration 0015: it leaves an import's attendance out)."""
        dates: dict[str, list[dt.date]] = {}
        for _row, act, code in visits:  # pairs are distinct within a batch (``seen_visits``)
            dates.setdefault(code, []).append(self.activities[act])
        for row in new:
            days = dates.get(row["code"])
            if days:
                first = min(days)
                row.update(sessions_attended=len(days), first_attended_on=first, last_attended_on=max(days),
                           first_age=completed_years(row["birth_date"], first))

    def _write_visits(self, visits: list[tuple[int, int, str]], ids: dict[str, int], own: set[int],
                      created: Collection[int] = ()) -> None:
        if not visits or not self.writing:
            return
        pairs = {(act, ids[code]) for _row, act, code in visits if code in ids}
        if not pairs:
            return
        # By participant: their few attendance rows come from the index (participant, date).
        people = list({p for _a, p in pairs})
        params: list[Any]
        if connection.vendor == "postgresql":
            where, params = "participant_id = ANY(%s)", [people]
        else:
            where, params = f"participant_id IN ({', '.join(['%s'] * len(people))})", people
        with connection.cursor() as cursor:  # plain SQL, as _by_code
            cursor.execute(f"SELECT activity_id, participant_id FROM program_attendance WHERE {where}",  # noqa: S608
                           params)
            existing = set(cursor.fetchall()) & pairs
        new: list[dict[str, Any]] = [
            {"activity_id": act, "participant_id": pid, "programme_id": self.programme.pk, "date": self.activities[act],
             "import_job": self.job_id}
            for act, pid in sorted(pairs - existing, key=lambda pair: (pair[1], pair[0]))  # participant order
        ]
        self.result.attendance_existing += len(existing)
        later_ids: set[int] = set()
        if self.staged:
            # Visible people's new attendance would change their facts at once: keep it for publishing.
            later = [r for r in new if r["participant_id"] not in own]
            for r in later:
                self.deferred.write(f"{r['activity_id']},{r['participant_id']},{r['date']}\n")
            self.deferred_rows += len(later)
            later_ids = {r["participant_id"] for r in later}
            new = [r for r in new if r["participant_id"] in own]
        if new:
            self.writers.attendance.insert(new)
            self.result.attendance_created += len(new)
            # New people of this batch were written with these facts; the others' are recomputed.
            recompute_facts({pid for _act, pid in pairs - existing} - set(created) - later_ids)

    def _publish_deferred(self) -> None:
        """Insert the attendance of people who were visible already (SQLite, when publishing).
        A pair repeated in the file, or saved by someone meanwhile, is counted as existing."""
        if not self.deferred_rows:
            return
        self.deferred.seek(0)
        sql = ("INSERT OR IGNORE INTO program_attendance (activity_id, participant_id, programme_id, date, import_job)"
               " VALUES (%s, %s, %s, %s, %s)")
        job = self.job_id.hex  # how Django stores a UUID on SQLite
        inserted = 0
        with connection.cursor() as cursor:
            while lines := self.deferred.readlines(1 << 20):
                rows = [(*line.rstrip("\n").split(","),) for line in lines]
                cursor.executemany(sql, [(int(a), int(p), self.programme.pk, d, job) for a, p, d in rows])
                inserted += max(cursor.rowcount, 0)
                recompute_facts({int(p) for _a, p, _d in rows})
        self.result.attendance_created += inserted
        self.result.attendance_existing += self.deferred_rows - inserted


def completed_years(birth: dt.date, day: dt.date) -> int:
    """``first_age`` as the attendance trigger computes it (migration 0004: ``(YYYYMMDD of the day
    − YYYYMMDD of the birth) / 10000`` in integers, truncated)."""
    return int((int(day.strftime("%Y%m%d")) - int(birth.strftime("%Y%m%d"))) / 10000)


@functools.cache
def _recompute_sql(vendor: str) -> str:
    """The trigger's recomputation of one person's attendance facts (migration 0004), for a set."""
    facts = importlib.import_module("ruta.program.migrations.0004_fact_triggers")
    one = facts.attendance_recompute(vendor, "x").replace("x.participant_id", "program_participant.id")
    return one[:one.rindex("WHERE id =")] + ("WHERE id = ANY(%s)" if vendor == "postgresql" else "WHERE id IN ({})")


def recompute_facts(ids: Collection[int]) -> None:
    """Set the attendance facts of these participants from their attendance rows, set-based
    (an import's attendance rows are left out by the trigger, migration 0015)."""
    ids = list(ids)
    if not ids:
        return
    sql = _recompute_sql(connection.vendor)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(sql, [ids])
            return
        for start in range(0, len(ids), 500):  # SQLite: at most 999 parameters
            chunk = ids[start:start + 500]
            cursor.execute(sql.format(", ".join(["%s"] * len(chunk))), chunk)


class _Writers:
    def __init__(self) -> None:
        # New people carry the attendance facts of their batch (``_set_facts``); the others default.
        self.participant = RowWriter(Participant)
        self.history = RowWriter(Participant.history.model)  # type: ignore[attr-defined]
        self.attendance = RowWriter(Attendance)


def sha256_of(stream: IO[bytes]) -> str:
    stream.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def discard(job_id: uuid.UUID) -> None:
    """Delete what a staged import wrote, in short transactions (the rows stay hidden until the
    last is gone), then its :class:`StagedImport` row. Idempotent."""
    history = Participant.history.model._meta.db_table  # type: ignore[attr-defined]
    staged = Participant.all_objects.filter(import_job=job_id)
    # Plain DELETEs: the ORM's would send signals, and simple-history would record each deletion.
    while ids := list(staged.values_list("id", flat=True)[:DISCARD_BATCH]):
        marks = ", ".join(["%s"] * len(ids))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM program_attendance WHERE participant_id IN ({marks})", ids)  # noqa: S608
            cursor.execute(f"DELETE FROM {history} WHERE id IN ({marks})", ids)  # noqa: S608
            cursor.execute(f"DELETE FROM program_participant WHERE id IN ({marks})", ids)  # noqa: S608
    with transaction.atomic():
        # Attendance of visible people is written only when publishing, which deletes this row too.
        StagedImport.objects.filter(job_id=job_id).delete()


def import_file(programme: Programme, kind: str, stream: IO[bytes], *, user: Any, filename: str = "",
                size: int | None = None, job_id: uuid.UUID | None = None,
                progress: Progress | None = None) -> ImportResult:
    """Read ``stream`` (seekable, binary) and import it all, or nothing; see the module doc.
    ``progress(rows)`` is called after each batch."""
    result = ImportResult(kind=kind)
    if kind not in COLUMNS:
        raise ValueError(f"unknown import kind {kind!r}")
    if size is not None and size > MAX_UPLOAD_BYTES:
        result.add_error(0, "", _("The file is larger than {mb} MB. Split it into several files.")
                         .format(mb=MAX_UPLOAD_BYTES // (1024 * 1024)))
        return result
    digest = sha256_of(stream)
    try:
        table = open_table(stream, filename)
    except FileRefused as exc:
        result.add_error(0, "", str(exc.message))
        return result
    importer = Importer(programme, kind, user, job_id=job_id, progress=progress)
    importer.result.sha256 = digest
    try:
        return importer.run(table)
    except FileRefused as exc:
        importer._zero_counts()
        importer.result.add_error(0, "", str(exc.message))
        return importer.result
