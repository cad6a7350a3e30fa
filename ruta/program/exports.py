"""Person-level exports of a programme (CSV, XLSX) with stable variable names and a codebook.

Variable names are a contract with whoever analyses the files (Stata, R, SPSS, Excel):
they never change meaning; a new variable gets a new name. Every variable is described in
:data:`CODEBOOK`, which is exported too. Names are never exported (only pseudonymous
codes); merged records are left out (their rows moved to the record kept).

Text is written as text: XLSX cells are string cells (``write_string``), so a value such as
``=HYPERLINK(...)`` typed in a school name is never a formula; in CSV, where a spreadsheet
would run it, a text value starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return
gets a leading apostrophe (the OWASP rule for CSV injection).
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import xlsxwriter
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ruta.program.models import (
    ActivityType,
    Participant,
    Programme,
    Sex,
    StakeholderGroup,
    age_band,
    age_on,
)


@dataclass(frozen=True)
class Variable:
    name: str
    label: Promise
    type: str  # "text", "code", "integer", "date", "boolean"
    values: str = ""  # allowed codes, for "code" variables


def _codes(choices: Any) -> str:
    return " | ".join(f"{value} = {label}" for value, label in choices.choices)


BOOLEAN = "1 = yes | 0 = no"
DATASETS: dict[str, list[Variable]] = {
    "participants": [
        Variable("participant_code", _("Pseudonymous participant code, unique in the programme"), "text"),
        Variable("sex", _("Sex"), "code", _codes(Sex)),
        Variable("birth_date", _("Birth date (estimated from the age when birth_date_estimated = 1)"), "date"),
        Variable("birth_date_estimated", _("Birth date estimated from the age at registration"), "boolean", BOOLEAN),
        Variable("age_at_registration", _("Age in completed years at registration"), "integer"),
        Variable("age_first_attendance", _("Age in completed years at the first attendance"), "integer"),
        Variable("age_band", _("Programme age band at the first attendance (blank: outside 10-24)"), "code",
                 "10-14 | 15-19 | 20-24"),
        Variable("group", _("Stakeholder group"), "code", _codes(StakeholderGroup)),
        Variable("district", _("District of residence, 6-digit UBIGEO (INEI)"), "code"),
        Variable("province", _("Province, 4-digit UBIGEO (INEI)"), "code"),
        Variable("organisation", _("School or organisation"), "text"),
        Variable("guardian_consent", _("A parent or guardian consented"), "boolean", BOOLEAN),
        Variable("registered_on", _("Registration date"), "date"),
        Variable("sessions_attended", _("Number of activities attended"), "integer"),
        Variable("first_attended_on", _("Date of the first attendance"), "date"),
        Variable("last_attended_on", _("Date of the last attendance"), "date"),
    ],
    "activities": [
        Variable("activity_id", _("Activity number in Ruta"), "integer"),
        Variable("type", _("Type of activity"), "code", _codes(ActivityType)),
        Variable("date", _("Date"), "date"),
        Variable("duration_minutes", _("Duration in minutes"), "integer"),
        Variable("district", _("District where it took place, 6-digit UBIGEO"), "code"),
        Variable("place", _("Place"), "text"),
        Variable("target_group", _("Target group"), "code", _codes(StakeholderGroup)),
        Variable("title", _("Title"), "text"),
        Variable("attendance", _("Number of participants recorded"), "integer"),
    ],
    "attendance": [
        Variable("activity_id", _("Activity number in Ruta (see activities)"), "integer"),
        Variable("participant_code", _("Participant code (see participants)"), "text"),
        Variable("date", _("Date of the activity"), "date"),
    ],
    "results": [
        Variable("participant_code", _("Participant code (see participants)"), "text"),
        Variable("test_code", _("Test code, the same across its versions"), "text"),
        Variable("test_version", _("Version of the test answered"), "integer"),
        Variable("phase", _("Phase"), "code", "pre = pre-test | post = post-test"),
        Variable("taken_on", _("Date taken"), "date"),
        Variable("score", _("Score (items correct)"), "integer"),
        Variable("max_score", _("Maximum score"), "integer"),
        Variable("score_percent", _("Score as a percentage"), "number"),
        Variable("activity_id", _("Activity where it was taken (blank if none)"), "integer"),
    ],
}
DATASET_LABELS = {
    "participants": _("Participants"),
    "activities": _("Activities"),
    "attendance": _("Attendance"),
    "results": _("Test results"),
}

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(DANGEROUS_START):
        return "'" + value
    return value


def _participants(programme: Programme) -> Iterator[list[Any]]:
    rows = (Participant.objects.filter(programme=programme, merged_into__isnull=True).order_by("code")
            .values_list("code", "sex", "birth_date", "birth_date_estimated", "age_at_registration", "group",
                         "district_id", "organisation", "guardian_consent", "registered_on", "sessions_attended",
                         "first_attended_on", "last_attended_on"))
    for (code, sex, birth, estimated, age_reg, group, district, org, consent, registered, sessions, first,
         last) in rows.iterator(chunk_size=5000):
        age_first = age_on(birth, first) if first else None
        yield [code, sex, birth, int(estimated), age_reg, age_first, age_band(age_first) if first else "", group,
               district, district[:4], org, int(consent), registered, sessions, first, last]


def _activities(programme: Programme) -> Iterator[list[Any]]:
    from django.db.models import Count

    rows = (programme.activities.order_by("date", "id").annotate(n=Count("attendance"))
            .values_list("id", "type", "date", "duration_minutes", "district_id", "place", "target_group", "title",
                         "n"))
    for row in rows.iterator(chunk_size=5000):
        yield list(row)


def _attendance(programme: Programme) -> Iterator[list[Any]]:
    from ruta.program.models import Attendance

    rows = (Attendance.objects.filter(programme=programme).order_by("activity_id", "participant__code")
            .values_list("activity_id", "participant__code", "date"))
    for row in rows.iterator(chunk_size=10000):
        yield list(row)


def _results(programme: Programme) -> Iterator[list[Any]]:
    from ruta.program.models import AssessmentResult

    rows = (AssessmentResult.objects.filter(programme=programme)
            .order_by("participant__code", "instrument_code", "phase")
            .values_list("participant__code", "instrument_code", "instrument__version", "phase", "taken_on", "score",
                         "max_score", "score_percent", "activity_id"))
    for row in rows.iterator(chunk_size=5000):
        yield [*row[:7], float(row[7]), row[8]]


ROWS: dict[str, Callable[[Programme], Iterator[list[Any]]]] = {
    "participants": _participants,
    "activities": _activities,
    "attendance": _attendance,
    "results": _results,
}
FORMATS = ("csv", "xlsx")


def codebook_rows(datasets: Iterable[str] | None = None) -> Iterator[list[str]]:
    yield ["dataset", "variable", "label", "type", "values"]
    for dataset in datasets or DATASETS:
        for var in DATASETS[dataset]:
            yield [dataset, var.name, str(var.label), var.type, var.values]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(dataset: str, programme: Programme | None, *, watermark: str = "") -> Iterator[str]:
    """The dataset (or the codebook, with ``dataset == "codebook"``) as CSV lines, BOM first; with a
    watermark (who, when, why) as a first comment line starting with ``#``."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    if watermark:
        yield "# " + " ".join(watermark.split()) + "\r\n"
    if dataset == "codebook":
        for line in codebook_rows():
            yield writer.writerow([csv_safe(v) for v in line])
        return
    assert programme is not None
    yield writer.writerow([v.name for v in DATASETS[dataset]])
    for row in ROWS[dataset](programme):
        yield writer.writerow([_csv_value(v) for v in row])


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return csv_safe(value)


def write_xlsx(programme: Programme, datasets: Iterable[str], *, watermark: str = "") -> IO[bytes]:
    """One sheet per dataset plus the codebook, in a temporary file (constant memory); the
    watermark (who, when, why) in the workbook's properties and an ``export`` sheet."""
    out = tempfile.TemporaryFile()
    book = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False,
                                     "strings_to_numbers": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    chosen = list(datasets)
    for dataset in chosen:
        sheet = book.add_worksheet(dataset)
        variables = DATASETS[dataset]
        for c, var in enumerate(variables):
            sheet.write_string(0, c, var.name, bold)
        sheet.freeze_panes(1, 0)
        for r, row in enumerate(ROWS[dataset](programme), start=1):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, bool):
                    sheet.write_number(r, c, int(value))
                elif isinstance(value, int | float):
                    sheet.write_number(r, c, value)
                elif isinstance(value, dt.date):
                    sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
                else:
                    sheet.write_string(r, c, str(value))
    sheet = book.add_worksheet("codebook")
    for r, line in enumerate(codebook_rows(chosen)):
        for c, value in enumerate(line):
            sheet.write_string(r, c, value, bold if r == 0 else None)
    if watermark:
        book.add_worksheet("export").write_string(0, 0, watermark)
        book.set_properties({"comments": watermark})
    book.close()
    out.seek(0)
    return out


def filename(programme: Programme, dataset: str, fmt: str) -> str:
    today = dt.date.today().isoformat()  # noqa: DTZ011 - a file name, not a moment
    return f"ruta-programme{programme.pk}-{dataset}-{today}.{fmt}"
