"""The streaming reader on its own: formats, encodings and refusals."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
from django.test import SimpleTestCase
from django.utils import translation

from ruta.program.imports.reader import FileRefused, Value, open_table
from ruta.program.tests.io_helpers import xlsx_bytes


def read(content: bytes | io.BytesIO, name: str = "") -> tuple[list[str], list[tuple[int, list[Value]]]]:
    stream = content if isinstance(content, io.BytesIO) else io.BytesIO(content)
    table = open_table(stream, name)
    return table.headers, list(table.rows)


def workbook(sheet_xml: str, *, shared: str = "", styles: str = "", workbook_pr: str = "") -> bytes:
    """A minimal hand-written XLSX, to reach what XlsxWriter never writes."""
    out = io.BytesIO()
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", f'<workbook {ns} {rel}>{workbook_pr}<sheets>'
                                      '<sheet name="hidden" sheetId="2" state="hidden" r:id="rId2"/>'
                                      '<sheet name="datos" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/>'
                   '<Relationship Id="rId2" Target="worksheets/sheet2.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", f"<worksheet {ns}><sheetData>{sheet_xml}</sheetData></worksheet>")
        z.writestr("xl/worksheets/sheet2.xml", f"<worksheet {ns}><sheetData/></worksheet>")
        if shared:
            z.writestr("xl/sharedStrings.xml", f"<sst {ns}>{shared}</sst>")
        if styles:
            z.writestr("xl/styles.xml", f"<styleSheet {ns}>{styles}</styleSheet>")
    return out.getvalue()


class ReaderTest(SimpleTestCase):
    def setUp(self) -> None:
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def test_xlsx_values_types_and_formulas(self) -> None:
        sheet = (
            '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>b</t></is></c>'
            '<c r="C1" t="s"><v>1</v></c><c r="D1" t="s"><v>2</v></c></row>'
            '<row r="3"><c r="A3" t="s"><v>3</v></c><c r="B3" s="1"><v>45000</v></c>'
            '<c r="C3" t="b"><v>1</v></c><c r="D3" t="str"><f>A3&amp;"x"</f><v>cachedx</v></c></row>'
            '<row r="4"><c r="C4"><v>170101</v></c><c r="D4" t="e"><v>#N/A</v></c></row>'
            '<row r="5"><c r="A5" t="s"><v>4</v></c></row>'
        )
        shared = ('<si><t>a</t></si><si><t>c</t></si><si><t>d</t></si>'
                  '<si><r><t>Ma</t></r><r><t>ría</t></r><rPh><t>xx</t></rPh></si>'
                  '<si><t xml:space="preserve"> &lt;x&gt; </t></si>')
        styles = ('<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/></numFmts>'
                  '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs>')
        headers, rows = read(workbook(sheet, shared=shared, styles=styles))
        self.assertEqual(headers, ["a", "b", "c", "d"])
        self.assertEqual(rows, [
            (3, ["María", dt.date(2023, 3, 15), True, '=A3&"x"']),
            (4, [None, None, 170101, "#N/A"]),
            (5, [" <x> ", None, None, None]),
        ])

    def test_the_1904_date_system(self) -> None:
        styles = '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>'
        sheet = ('<row r="1"><c r="A1" t="inlineStr"><is><t>d</t></is></c></row>'
                 '<row r="2"><c r="A2" s="1"><v>0</v></c></row>')
        _h, rows = read(workbook(sheet, styles=styles, workbook_pr='<workbookPr date1904="1"/>'))
        self.assertEqual(rows, [(2, [dt.date(1904, 1, 1)])])

    def test_a_document_type_declaration_is_refused(self) -> None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("xl/workbook.xml", '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaa">]><workbook/>')
        with self.assertRaisesMessage(FileRefused, "document type declaration"):
            read(out.getvalue())

    def test_a_zip_bomb_is_refused(self) -> None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("xl/workbook.xml", "<workbook>" + " " * 5_000_000 + "</workbook>")
        with self.assertRaisesMessage(FileRefused, "suspiciously"):
            read(out.getvalue())

    def test_old_excel_and_other_zips_are_refused_with_a_reason(self) -> None:
        with self.assertRaisesMessage(FileRefused, ".xls"):
            read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("word/document.xml", "<w/>")
        with self.assertRaisesMessage(FileRefused, "not an Excel workbook"):
            read(out.getvalue())
        with self.assertRaisesMessage(FileRefused, "named like an Excel workbook"):
            read(b"a,b\n1,2\n", "datos.xlsx")

    def test_csv_encodings_delimiters_and_blank_lines(self) -> None:
        latin = "código;nombre\r\nA1;Ñusta Pérez\r\n\r\n;\r\nA2;José\r\n".encode("cp1252")
        headers, rows = read(latin)
        self.assertEqual(headers, ["código", "nombre"])
        self.assertEqual(rows, [(2, ["A1", "Ñusta Pérez"]), (5, ["A2", "José"])])
        utf8 = "\ufeffa\tb\nx\t\"multi\nline\"\ny\n".encode()
        headers, rows = read(utf8)
        self.assertEqual((headers, rows), (["a", "b"], [(2, ["x", "multi\nline"]), (3, ["y", ""])]))

    def test_binary_inside_a_csv_is_refused(self) -> None:
        with self.assertRaisesMessage(FileRefused, "binary"):
            read(b"a,b\n" + b"x,y\n" * 3000 + b"\x00\x01\x02,z\n")

    def test_it_reads_what_openpyxl_writes(self) -> None:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["participant_code", "birth_date"])
        sheet.append(["A1", dt.date(2010, 3, 25)])
        sheet.append(["A2", "=TODAY()"])
        out = io.BytesIO()
        book.save(out)
        _h, rows = read(out.getvalue())
        self.assertEqual(rows, [(2, ["A1", dt.date(2010, 3, 25)]), (3, ["A2", "=TODAY()"])])

    def test_xlsxwriter_files_stream_row_by_row(self) -> None:
        stream = xlsx_bytes([["A1", "female"]] * 3, header=["participant_code", "sex"])
        table = open_table(stream)
        self.assertEqual(table.kind, "xlsx")
        self.assertEqual(table.sheet, "datos")
        self.assertEqual(next(table.rows), (2, ["A1", "female"]))
        table.close()
