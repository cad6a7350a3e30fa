"""The template files Ruta offers for download: the columns of an import, with instructions."""

from __future__ import annotations

import io

import xlsxwriter
from django.utils.translation import gettext as _

from ruta.geo.codes import MADRE_DE_DIOS
from ruta.geo.models import District
from ruta.program.imports.importer import COLUMNS, Kind
from ruta.program.models import Sex, StakeholderGroup


def template_csv(kind: str) -> bytes:
    return ("\ufeff" + ",".join(c.name for c in COLUMNS[kind]) + "\r\n").encode()


def template_xlsx(kind: str) -> bytes:
    """Sheet 1: the header to fill in (with drop-down lists); sheet 2: what each column takes."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    head = book.add_format({"bold": True, "bg_color": "#EDE7F6", "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    text = book.add_format({"num_format": "@"})
    data = book.add_worksheet(_("data")[:31])
    columns = COLUMNS[kind]
    districts = list(District.objects.filter(code__startswith=MADRE_DE_DIOS).order_by("code")
                     .values_list("code", "name"))
    lists = book.add_worksheet(_("lists")[:31])
    lists.write_row(0, 0, ["sex", "group", "district", _("district name")], head)
    for r, value in enumerate(Sex.values, start=1):
        lists.write_string(r, 0, value)
    for r, value in enumerate(StakeholderGroup.values, start=1):
        lists.write_string(r, 1, value)
    for r, (code, name) in enumerate(districts, start=1):
        lists.write_string(r, 2, code)
        lists.write_string(r, 3, name)
    sources = {
        "sex": f"=lists!$A$2:$A${len(Sex.values) + 1}",
        "group": f"=lists!$B$2:$B${len(StakeholderGroup.values) + 1}",
        "district": f"=lists!$C$2:$C${len(districts) + 1}",
        "guardian_consent": ["yes", "no"],
    }
    for c, col in enumerate(columns):
        data.write_string(0, c, col.name, head)
        as_text = col.name in ("participant_code", "district")
        data.set_column(c, c, max(14, len(col.name) + 2), text if as_text else None)
        source = sources.get(col.name)
        if source is not None:
            validation = {"validate": "list", "source": source, "ignore_blank": True}
            if col.name == "district":
                validation["error_type"] = "information"  # a district elsewhere in Peru is allowed too
            data.data_validation(1, c, 200_000, c, validation)
    data.freeze_panes(1, 0)
    help_sheet = book.add_worksheet(_("instructions")[:31])
    help_sheet.set_column(0, 0, 22)
    help_sheet.set_column(1, 1, 90, wrap)
    help_sheet.set_column(2, 2, 18)
    help_sheet.write_row(0, 0, [_("column"), _("what to write"), _("example")], head)
    for r, col in enumerate(columns, start=1):
        required = _("required") if col.required else _("optional")
        help_sheet.write_string(r, 0, col.name)
        help_sheet.write_string(r, 1, f"({required}) {col.help}")
        help_sheet.write_string(r, 2, col.example)
    notes = [
        _("Fill in the first sheet, one row per person (or per attendance), and keep the first row as it is."),
        _("The whole file is imported or nothing is: if a row has an error, Ruta lists every error by row and "
          "column and saves nothing. Importing the same file again adds nothing."),
        _("Formulas are never run: write values."),
    ]
    if kind == Kind.PARTICIPANTS:
        notes.append(_("Participants under 18 need guardian_consent = yes."))
    for i, note in enumerate(notes, start=len(columns) + 2):
        help_sheet.write_string(i, 1, note)
    book.close()
    return out.getvalue()
