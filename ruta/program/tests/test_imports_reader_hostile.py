"""Broken XLSX parts are refused with a message for the user, never a crash (issue 9)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.utils import translation

from ruta.program.imports.reader import FileRefused, open_table
from ruta.program.tests.test_imports_reader import workbook

HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c></row>'


def _refusal(content: bytes) -> str:
    with translation.override("en"):
        with pytest.raises(FileRefused) as refused:
            table = open_table(io.BytesIO(content), "x.xlsx")
            list(table.rows)
        return str(refused.value.message)


@pytest.mark.parametrize("row", [
    '<row r="2"><c r="A2" s="zz"><v>1</v></c></row>',
    '<row r="x5"><c r="A2"><v>1</v></c></row>',
    '<row r="2"><c r="A2" t="s"><v>first</v></c></row>',
    '<row r="2"><c r="A2" t="s"><v>1.5</v></c></row>',
])
def test_a_broken_cell_or_row_reference_is_refused(row: str) -> None:
    assert "damaged" in _refusal(workbook(HEADER + row, shared="<si><t>a</t></si>"))


def test_a_broken_reference_in_the_header_row_is_refused() -> None:
    assert "damaged" in _refusal(workbook('<row r="1"><c r="A1" s="zz"><v>1</v></c></row>'))


def _rewrite(content: bytes, name: str, *, method: int | None = None, flag_bits: int | None = None) -> bytes:
    """Store a workbook uncompressed, then make one member claim another compression or encryption."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info), compress_type=zipfile.ZIP_STORED)
    raw = bytearray(out.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as z:
        local = z.getinfo(name).header_offset
    central = bytes(raw).index(b"PK\x01\x02", raw.index(name.encode(), local + 30 + len(name)) - 46)
    assert raw[central + 46:central + 46 + len(name)] == name.encode()
    if method is not None:  # local header: method at +8; central directory: at +10
        raw[local + 8:local + 10] = raw[central + 10:central + 12] = method.to_bytes(2, "little")
    if flag_bits is not None:  # bit 0: encrypted
        raw[local + 6:local + 8] = raw[central + 8:central + 10] = flag_bits.to_bytes(2, "little")
    return bytes(raw)


@pytest.mark.parametrize("change", [{"method": 99}, {"method": 6}, {"flag_bits": 1}])
def test_a_sheet_stored_encrypted_or_with_an_unknown_compression_is_refused(change: dict[str, int]) -> None:
    content = _rewrite(workbook(HEADER), "xl/worksheets/sheet1.xml", **change)
    assert _refusal(content)


@pytest.mark.parametrize("change", [{"method": 99}, {"flag_bits": 1}])
def test_a_workbook_part_stored_encrypted_or_with_an_unknown_compression_is_refused(change: dict[str, int]) -> None:
    content = _rewrite(workbook(HEADER), "xl/workbook.xml", **change)
    assert _refusal(content)


@pytest.mark.django_db
def test_the_import_page_answers_a_broken_workbook_with_a_spanish_message(
        django_capture_on_commit_callbacks: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from ruta.jobs.models import Job
    from ruta.program.tests import fixtures
    from ruta.testing.cast import login, make_cast
    from ruta.testing.jobs import run_queue

    cast = make_cast()
    client = Client(raise_request_exception=False)
    login(client, cast.alpha["coordinator"])
    url = f"/programa/{fixtures.programme(cast).pk}/importar/"
    for row in ('<row r="x5"><c r="A2"><v>1</v></c></row>', '<row r="2"><c r="A2" s="zz"><v>1</v></c></row>'):
        upload = SimpleUploadedFile("datos.xlsx", workbook(HEADER + row))
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"kind": "participants", "file": upload})
        # The file is read by the background worker; its job page then says what is wrong.
        assert response.status_code == 302 and response["Location"].startswith("/tareas/")
        run_queue()
        page = client.get(response["Location"])
        assert page.status_code == 200
        assert "El libro está dañado" in page.content.decode()
        assert Job.objects.get(pk=response["Location"].split("/")[2]).status == Job.Status.FAILED
