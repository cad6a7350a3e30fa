"""The programme's indicators as a DHIS2 ``dataValueSets`` document (and as DHIS2's CSV with a
codebook), from the donor report's published figures: whatever the report hides ("<5", "x",
"n<10", "—") is left out, never sent.

Format (DHIS2 Web API, "Sending data values"): ``{"dataSet", "period", "orgUnit", "dataValues":
[{"dataElement", "period", "orgUnit", "categoryOptionCombo", "value"}]}`` with every value a
string and identifiers the 11-character UIDs set in the admin (``Dhis2Code``). A figure whose
indicator, district or sex has no code is left out and listed in ``missing``.
"""

from __future__ import annotations

import calendar
import csv
import io
import re
from typing import Any

from ruta.geo.codes import MADRE_DE_DIOS
from ruta.program.models import Programme, Sex
from ruta.reports.donor import DonorReport, Period, build
from ruta.reports.models import DHIS2_UID, Dhis2Code

UID = re.compile(r"^[A-Za-z][A-Za-z0-9]{10}$")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def dhis2_period(period: Period) -> str:
    """DHIS2's ISO period for a calendar month (``202503``), quarter (``2025Q1``) or year
    (``2025``); ``ValueError`` for any other span."""
    start, end = period.start, period.end
    last = calendar.monthrange(end.year, end.month)[1]
    if start.day != 1 or end.day != last or start.year != end.year:
        raise ValueError("a DHIS2 period is a month, a quarter or a year")
    months = end.month - start.month + 1
    if months == 1:
        return f"{start:%Y%m}"
    if months == 3 and start.month % 3 == 1:
        return f"{start.year}Q{(start.month + 2) // 3}"
    if months == 12:
        return str(start.year)
    raise ValueError("a DHIS2 period is a month, a quarter or a year")


def _value(text: str) -> str | None:
    """The published figure as DHIS2 wants it (a string of digits), or ``None`` when hidden."""
    plain = text.replace(" ", "").replace(",", "")
    return plain if NUMBER.match(plain) else None


def codes(programme: Programme) -> dict[tuple[str, str], str]:
    found = {(c.kind, c.key): c.uid for c in Dhis2Code.objects.filter(programme=programme)}
    for uid in found.values():
        DHIS2_UID(uid)  # stored through the admin, checked again before anything is sent
    return found


def data_value_set(programme: Programme, period: Period, report: DonorReport | None = None) -> dict[str, Any]:
    report = report or build(programme, period)
    got = codes(programme)
    pe = dhis2_period(period)
    department = got.get((Dhis2Code.Kind.ORG_UNIT, MADRE_DE_DIOS), "")
    default = got.get((Dhis2Code.Kind.CATEGORY_OPTION_COMBO, "default"), "")
    values: list[dict[str, str]] = []
    missing: list[str] = []

    def add(element: str, org_unit: str, coc: str, text: str, what: str) -> None:
        value = _value(text)
        if value is None:
            return  # hidden in the report: never sent
        if not (element and org_unit and coc):
            missing.append(what)
            return
        values.append({"dataElement": element, "period": pe, "orgUnit": org_unit, "categoryOptionCombo": coc,
                       "value": value})

    for row in report.indicators:
        add(got.get((Dhis2Code.Kind.DATA_ELEMENT, row.code), ""), department, default, row.value, row.code)
    # Young people reached by district and sex (the report's protected table).
    youth = got.get((Dhis2Code.Kind.DATA_ELEMENT, "youth_reached"), "")
    by_district = report.tables[2] if len(report.tables) > 2 else None
    if by_district is not None:
        for code, (_label, cells, _total) in zip(report.district_codes, by_district.rows, strict=False):
            unit = got.get((Dhis2Code.Kind.ORG_UNIT, code), "")
            for sex, text in zip([s.value for s in Sex], cells, strict=False):
                add(youth, unit, got.get((Dhis2Code.Kind.CATEGORY_OPTION_COMBO, sex), ""), text,
                    f"youth_reached/{code}/{sex}")
    document: dict[str, Any] = {"period": pe, "dataValues": values}
    if (data_set := got.get((Dhis2Code.Kind.DATA_SET, ""), "")):
        document["dataSet"] = data_set
    if department:
        document["orgUnit"] = department
    return {"document": document, "missing": sorted(set(missing))}


def as_csv(document: dict[str, Any]) -> str:
    """DHIS2's CSV data value format (header row first)."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(["dataelement", "period", "orgunit", "categoryoptioncombo", "attributeoptioncombo", "value"])
    for v in document["dataValues"]:
        writer.writerow([v["dataElement"], v["period"], v["orgUnit"], v["categoryOptionCombo"], "", v["value"]])
    return out.getvalue()


def codebook(programme: Programme, report: DonorReport) -> str:
    """What each DHIS2 identifier stands for in Ruta: indicators (with their definition),
    districts and sexes."""
    got = codes(programme)
    names = {row.code: (str(row.name), str(row.definition)) for row in report.indicators}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kind", "ruta_code", "dhis2_uid", "name", "definition"])
    for (kind, key), uid in sorted(got.items()):
        name, definition = names.get(key, ("", ""))
        writer.writerow([kind, key, uid, name, definition])
    return out.getvalue()


__all__ = ["UID", "as_csv", "codebook", "data_value_set", "dhis2_period"]
