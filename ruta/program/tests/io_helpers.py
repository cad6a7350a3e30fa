"""Files and objects shared by the import, duplicate and export tests."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import xlsxwriter

from ruta.program.models import Activity, Programme


def make_programme(**kw: Any) -> Programme:
    defaults: dict[str, Any] = {"name": "Grant", "donor": "EMpower", "starts_on": dt.date(2025, 1, 1),
                                "ends_on": dt.date(2025, 12, 31)}
    defaults.update(kw)
    return Programme.objects.create(**defaults)


def make_activity(programme: Programme, day: dt.date = dt.date(2025, 3, 10), **kw: Any) -> Activity:
    defaults: dict[str, Any] = {"type": "workshop", "duration_minutes": 90, "district_id": "170101",
                                "place": "I.E. Billinghurst", "target_group": "youth"}
    defaults.update(kw)
    return Activity.objects.create(programme=programme, date=day, **defaults)


HEADER = ["participant_code", "sex", "birth_date", "group", "district", "organisation", "guardian_consent", "name"]


def csv_bytes(rows: list[list[Any]], *, header: list[str] | None = None, delimiter: str = ",",
              encoding: str = "utf-8") -> io.BytesIO:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(header or HEADER)
    writer.writerows(rows)
    return io.BytesIO(text.getvalue().encode(encoding))


def xlsx_bytes(rows: list[list[Any]], *, header: list[str] | None = None, formulas: dict[tuple[int, int], str]
               | None = None) -> io.BytesIO:
    """A workbook like Excel writes it: shared strings, dates as formatted numbers."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("datos")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, header or HEADER)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
            elif value is not None:
                sheet.write(r, c, value)
    for (r, c), formula in (formulas or {}).items():
        sheet.write_formula(r, c, formula, None, "cached")
    book.close()
    out.seek(0)
    return out


def person(code: str = "TAM-0001", *, sex: str = "female", birth: Any = "2008-05-01", group: str = "youth",
           district: Any = "170101", org: str = "I.E. Billinghurst", consent: str = "yes", name: str = "Ana Quispe"
           ) -> list[Any]:
    return [code, sex, birth, group, district, org, consent, name]
