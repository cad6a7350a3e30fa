"""Stream the rows of an uploaded CSV or XLSX file, never holding the file in memory.

Why not openpyxl for reading: in ``read_only`` mode it reads about 15,000 rows/s on these
machines, below Ruta's import budget (25,000 rows/s). An XLSX sheet is a plain XML part of
a zip; expat with small callbacks reads it at several times that speed. openpyxl and
XlsxWriter still write every spreadsheet Ruta produces.

What the reader promises:

* Rows come as ``(row_number, [value, ...])`` with spreadsheet row numbers (the header is
  row 1) and values aligned with the header; blank rows are skipped.
* A cell that holds a formula is returned as its formula text (``"=SUM(A1:A3)"``): Ruta
  never evaluates a formula nor trusts the value cached beside it.
* CSV: UTF-8 (with or without BOM); a line that is not valid UTF-8 is read as Windows-1252
  (a superset of Latin-1), so files with Latin-1 labels inside a UTF-8 file still read.
  The delimiter is found among ``,`` ``;`` (KoboToolbox's default) and tab.
* XLSX values are ``str``, ``int``, ``float``, ``bool``, ``datetime.date`` or
  ``datetime.datetime`` (a number in a date-formatted cell).
* Anything that is neither (random bytes, a zip that is not a workbook, a DTD, a zip bomb)
  raises :class:`FileRefused` with a message for the user, before any row is read.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import posixpath
import re
import zipfile
from array import array
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import IO, Any
from xml.parsers import expat

from django.utils.translation import gettext_lazy as _

Value = str | int | float | bool | dt.date | dt.datetime | None

MAX_CELL_CHARS = 32_767  # Excel's own limit for a cell
MAX_COLUMNS = 200
MAX_XML_BYTES = 1_500_000_000  # uncompressed size of one part; a zip bomb stops here
MAX_RATIO = 200  # uncompressed / compressed; real sheets compress 5-20×

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
# What zipfile raises for a damaged member, an unknown compression method or an encrypted one.
ZIP_ERRORS = (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError)


class FileRefused(Exception):
    """The file cannot be read as a table; ``message`` says why in the user's language."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass
class Table:
    kind: str  # "csv" or "xlsx"
    headers: list[str]
    rows: Iterator[tuple[int, list[Value]]]
    encoding: str = ""  # CSV only: "utf-8" or "utf-8+windows-1252"
    sheet: str = ""  # XLSX only: the sheet read
    delimiter: str = ""

    def close(self) -> None:
        close = getattr(self.rows, "close", None)
        if close:
            close()


def open_table(stream: IO[bytes], filename: str = "") -> Table:
    """Open ``stream`` (seekable, binary) as CSV or XLSX by its content, not its name."""
    stream.seek(0)
    head = stream.read(8192)
    stream.seek(0)
    if not head.strip(b"\xef\xbb\xbf \t\r\n"):
        raise FileRefused(_("The file is empty."))
    if head.startswith(b"PK\x03\x04"):
        return _open_xlsx(stream)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(_("This is an old Excel file (.xls). Save it as .xlsx or CSV and upload it again."))
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise FileRefused(_("The file is named like an Excel workbook but is not one."))
    return _open_csv(stream, head)


# --- CSV --------------------------------------------------------------------------------

_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    # Windows-1252 text has no C0 controls besides tab/CR/LF; random bytes have many.
    return len(_CONTROL.findall(head)) <= max(2, len(head) // 1000)


def _decoded_lines(stream: IO[bytes], state: dict[str, Any]) -> Iterator[str]:
    decode_utf8 = codecs.getdecoder("utf-8")
    decode_1252 = codecs.getdecoder("cp1252")
    first = True
    for raw in stream:
        if first:
            raw = raw.removeprefix(codecs.BOM_UTF8)
            first = False
        try:
            line = decode_utf8(raw)[0]
        except UnicodeDecodeError:
            try:
                line = decode_1252(raw)[0]
            except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
                line = raw.decode("latin-1")
            state["fallback"] = True
        if "\x00" in line:
            raise FileRefused(_("Line {line} holds binary data: this is not a CSV file.").format(
                line=state["line"] + 1))
        state["line"] += 1
        yield line


def _open_csv(stream: IO[bytes], head: bytes) -> Table:
    if not _looks_like_text(head):
        raise FileRefused(_("This is neither a CSV file nor an Excel workbook (.xlsx)."))
    sample = head.removeprefix(codecs.BOM_UTF8).decode("utf-8", errors="replace")
    first_line = sample.splitlines()[0] if sample.splitlines() else ""
    delimiter = max([",", ";", "\t"], key=first_line.count)
    if first_line.count(delimiter) == 0:
        delimiter = ","
    state: dict[str, Any] = {"fallback": False, "line": 0}
    lines = _decoded_lines(stream, state)
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        headers = next(reader)
    except StopIteration:
        raise FileRefused(_("The file is empty.")) from None
    except csv.Error:
        raise FileRefused(_("The first line of the file cannot be read as CSV.")) from None
    if len(headers) > MAX_COLUMNS:
        raise FileRefused(_("The first line has {n} columns: this is not one of Ruta's templates.").format(
            n=len(headers)))
    table = Table(kind="csv", headers=[h.strip() for h in headers], rows=iter(()), delimiter=delimiter)
    table.rows = _csv_rows(reader, state, table, len(headers))
    return table


def _csv_rows(reader: Any, state: dict[str, Any], table: Table, width: int) -> Iterator[tuple[int, list[Value]]]:
    """Rows numbered as a spreadsheet shows the file: one row per record (a quoted cell may
    span lines), blank lines included, the header being row 1."""
    csv.field_size_limit(MAX_CELL_CHARS * 4)
    number = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            raise FileRefused(_("Line {line} cannot be read as CSV (a quote is not closed or a cell is too long)."
                                ).format(line=state["line"])) from None
        number += 1
        if not cells or not any(cells):
            continue
        if len(cells) < width:
            cells.extend([""] * (width - len(cells)))
        table.encoding = "utf-8+windows-1252" if state["fallback"] else "utf-8"
        yield number, cells  # type: ignore[misc]
    table.encoding = "utf-8+windows-1252" if state["fallback"] else "utf-8"


# --- XLSX -------------------------------------------------------------------------------

def _no_doctype(*args: Any) -> None:
    raise FileRefused(_("The workbook holds a document type declaration, which Ruta does not accept."))


def _parser() -> Any:
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = _no_doctype
    parser.EntityDeclHandler = _no_doctype
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    parser.buffer_size = 1 << 16
    return parser


def _member(zf: zipfile.ZipFile, name: str) -> zipfile.ZipInfo | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_XML_BYTES or info.file_size > MAX_RATIO * max(info.compress_size, 1000):
        raise FileRefused(_("The workbook is compressed suspiciously well; Ruta does not open it."))
    return info


def _parse_part(zf: zipfile.ZipFile, name: str, start: Any, end: Any = None, chars: Any = None) -> bool:
    info = _member(zf, name)
    if info is None:
        return False
    parser = _parser()
    parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if chars:
        parser.CharacterDataHandler = chars
    try:
        with zf.open(info) as f:
            parser.ParseFile(f)
    except expat.ExpatError:
        raise FileRefused(_("The workbook is damaged (a part of it is not valid XML).")) from None
    except ZIP_ERRORS:
        raise FileRefused(_("The workbook is damaged (it cannot be decompressed).")) from None
    return True


def _rels(zf: zipfile.ZipFile, name: str) -> dict[str, str]:
    out: dict[str, str] = {}

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{NS_PKG_REL}}}Relationship":
            out[attrs.get("Id", "")] = attrs.get("Target", "")

    _parse_part(zf, name, start)
    return out


# Built-in number formats that show dates (ECMA-376 18.8.30).
_BUILTIN_DATE_FORMATS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47}
_DATE_TOKENS = re.compile(r"[dmyhs]", re.I)


def _is_date_format(code: str) -> bool:
    code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)  # drop quoted text, escapes, [colours]
    return bool(_DATE_TOKENS.search(code)) and "General" not in code


def _date_styles(zf: zipfile.ZipFile, name: str) -> set[int]:
    custom: dict[int, str] = {}
    xf_formats: list[int] = []
    depth = {"xfs": False}

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = tag.rpartition("}")[2]
        if local == "numFmt":
            try:
                custom[int(attrs.get("numFmtId", "-1"))] = attrs.get("formatCode", "")
            except ValueError:
                pass
        elif local == "cellXfs":
            depth["xfs"] = True
        elif local == "xf" and depth["xfs"]:
            try:
                xf_formats.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                xf_formats.append(0)

    def end(tag: str) -> None:
        if tag.endswith("cellXfs"):
            depth["xfs"] = False

    _parse_part(zf, name, start, end)
    return {
        i for i, fmt in enumerate(xf_formats)
        if fmt in _BUILTIN_DATE_FORMATS or (fmt in custom and _is_date_format(custom[fmt]))
    }


class SharedStrings:
    """The workbook's shared strings, packed: blocks of 4,096 strings joined into one ``str``
    with an array of offsets. A list of 400,000 ``str`` objects (codes and names of 200,000
    people) takes about 25 MB; packed they take the size of their text plus 4 bytes each."""

    BLOCK = 4096

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.offsets: list[array[int]] = []
        self.pending: list[str] = []
        self.count = 0

    def append(self, text: str) -> None:
        self.pending.append(text)
        self.count += 1
        if len(self.pending) == self.BLOCK:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        offsets = array("I", [0])
        for text in self.pending:
            offsets.append(offsets[-1] + len(text))
        self.blocks.append("".join(self.pending))
        self.offsets.append(offsets)
        self.pending = []

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: int) -> str:
        block, i = divmod(index, self.BLOCK)
        offsets = self.offsets[block]
        return self.blocks[block][offsets[i]:offsets[i + 1]]


def _shared_strings(zf: zipfile.ZipFile, name: str) -> SharedStrings:
    strings = SharedStrings()
    parts: list[str] = []
    state = {"in_t": False, "skip": 0}

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = tag.rpartition("}")[2]
        if local == "t" and not state["skip"]:
            state["in_t"] = True
        elif local in ("rPh", "phoneticPr"):
            state["skip"] += 1

    def end(tag: str) -> None:
        local = tag.rpartition("}")[2]
        if local == "t":
            state["in_t"] = False
        elif local in ("rPh", "phoneticPr"):
            state["skip"] -= 1
        elif local == "si":
            strings.append("".join(parts))
            parts.clear()

    def chars(data: str) -> None:
        if state["in_t"]:
            parts.append(data)

    _parse_part(zf, name, start, end, chars)
    strings.flush()
    return strings


def _col_index(ref: str) -> int:
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        else:
            break
    return n - 1


def _excel_date(serial: float, date1904: bool) -> dt.date | dt.datetime | float:
    if serial < 0 or serial > 2_958_465:  # beyond 9999-12-31
        return serial
    base = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)  # noqa: DTZ001 - a calendar date
    if not date1904 and serial < 60:
        serial += 1  # Excel's phantom 1900-02-29
    moment = base + dt.timedelta(days=serial)
    if moment.hour == moment.minute == moment.second == moment.microsecond == 0:
        return moment.date()
    return moment


def _number(text: str) -> int | float:
    text = text.strip()
    if text.isdigit() or (text[:1] == "-" and text[1:].isdigit()):
        return int(text)
    value = float(text)
    if value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _open_xlsx(stream: IO[bytes]) -> Table:
    try:
        zf = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRefused(_("This looks like a compressed file but it cannot be opened.")) from None
    try:
        if _member(zf, "xl/workbook.xml") is None:
            raise FileRefused(_("This compressed file is not an Excel workbook (.xlsx)."))
        sheets: list[tuple[str, str, str]] = []
        flags = {"date1904": False}

        def wb_start(tag: str, attrs: dict[str, str]) -> None:
            local = tag.rpartition("}")[2]
            if local == "sheet":
                sheets.append((attrs.get("name", ""), attrs.get(f"{NS_REL}}}id", ""), attrs.get("state", "visible")))
            elif local == "workbookPr":
                flags["date1904"] = attrs.get("date1904", "0") in ("1", "true")

        _parse_part(zf, "xl/workbook.xml", wb_start)
        rels = _rels(zf, "xl/_rels/workbook.xml.rels")
        visible = [s for s in sheets if s[2] == "visible"] or sheets
        if not visible:
            raise FileRefused(_("The workbook has no sheet."))
        sheet_name, rid, _state = visible[0]
        target = rels.get(rid, "")
        if not target:
            raise FileRefused(_("The workbook is damaged (its first sheet is missing)."))
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        strings = _shared_strings(zf, "xl/sharedStrings.xml")
        date_styles = _date_styles(zf, "xl/styles.xml")
        info = _member(zf, part)
        if info is None:
            raise FileRefused(_("The workbook is damaged (its first sheet is missing)."))
    except zipfile.BadZipFile:
        raise FileRefused(_("This looks like a compressed file but it cannot be opened.")) from None
    except BaseException:
        zf.close()
        raise
    rows = _sheet_rows(zf, info, strings, date_styles, flags["date1904"])
    try:
        first = next(rows, None)
    except BaseException:
        rows.close()
        raise
    if first is None:
        rows.close()
        raise FileRefused(_("The first sheet of the workbook is empty."))
    headers = ["" if v is None else str(v).strip() for v in first[1]]
    while headers and headers[-1] == "":
        headers.pop()
    if len(headers) > MAX_COLUMNS:
        rows.close()
        raise FileRefused(_("The first line has {n} columns: this is not one of Ruta's templates.").format(
            n=len(headers)))
    width = len(headers)

    def aligned() -> Iterator[tuple[int, list[Value]]]:
        try:
            for number, values in rows:
                if len(values) < width:
                    values.extend([None] * (width - len(values)))
                yield number, values
        finally:
            rows.close()

    return Table(kind="xlsx", headers=headers, rows=aligned(), sheet=sheet_name)


def _sheet_rows(zf: zipfile.ZipFile, info: zipfile.ZipInfo, strings: SharedStrings, date_styles: set[int],
                date1904: bool) -> Generator[tuple[int, list[Value]], None, None]:
    """Parse the sheet in 64 KB slices, yielding the rows completed by each slice."""
    done: list[tuple[int, list[Value]]] = []
    cur: dict[int, Value] = {}
    st: dict[str, Any] = {"row": 0, "col": -1, "type": "n", "style": -1, "text": None, "formula": None,
                          "mode": "", "in_sheet": False}
    parts: list[str] = []
    n_strings = len(strings)
    row_tag = f"{NS_MAIN}}}row"
    c_tag = f"{NS_MAIN}}}c"
    v_tag = f"{NS_MAIN}}}v"
    f_tag = f"{NS_MAIN}}}f"
    t_tag = f"{NS_MAIN}}}t"
    data_tag = f"{NS_MAIN}}}sheetData"

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == c_tag:
            ref = attrs.get("r")
            st["col"] = _col_index(ref) if ref else st["col"] + 1
            st["type"] = attrs.get("t", "n")
            s = attrs.get("s")
            st["style"] = int(s) if s else -1
            st["text"] = None
            st["formula"] = None
        elif tag == v_tag or tag == t_tag:
            st["mode"] = "v" if tag == v_tag else "t"
            parts.clear()
        elif tag == f_tag:
            st["mode"] = "f"
            parts.clear()
        elif tag == row_tag:
            r = attrs.get("r")
            st["row"] = int(r) if r else st["row"] + 1
            st["col"] = -1
            cur.clear()
        elif tag == data_tag:
            st["in_sheet"] = True

    def chars(data: str) -> None:
        if st["mode"]:
            parts.append(data)

    def end(tag: str) -> None:
        if tag == v_tag or tag == t_tag:
            text = "".join(parts)
            st["text"] = text if st["text"] is None or tag == v_tag else st["text"] + text
            st["mode"] = ""
        elif tag == f_tag:
            st["formula"] = "".join(parts)
            st["mode"] = ""
        elif tag == c_tag:
            col = st["col"]
            if col >= MAX_COLUMNS:
                return
            formula = st["formula"]
            if formula is not None:
                cur[col] = "=" + formula if formula else "=…"
                return
            text = st["text"]
            if text is None:
                return
            kind = st["type"]
            value: Value
            if kind == "s":
                idx = int(text)
                value = strings[idx] if 0 <= idx < n_strings else ""
            elif kind in ("inlineStr", "str"):
                value = text
            elif kind == "b":
                value = text == "1"
            elif kind == "e":
                value = text  # "#N/A", "#REF!"…: kept as text, so validation names it
            elif kind == "d":
                try:
                    value = dt.datetime.fromisoformat(text.rstrip("Z"))
                    if value.time() == dt.time(0):
                        value = value.date()
                except ValueError:
                    value = text
            else:
                try:
                    number = _number(text)
                except ValueError:
                    value = text
                else:
                    value = _excel_date(number, date1904) if st["style"] in date_styles else number
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                value = value[:MAX_CELL_CHARS]
            cur[col] = value
        elif tag == row_tag:
            if cur and any(v not in (None, "") for v in cur.values()):
                width = max(cur) + 1
                values: list[Value] = [None] * width
                for i, v in cur.items():
                    values[i] = v
                done.append((st["row"], values))
            cur.clear()

    parser = _parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        with zf.open(info) as f:
            while True:
                chunk = f.read(1 << 16)
                try:
                    parser.Parse(chunk, not chunk)
                except expat.ExpatError:
                    raise FileRefused(_("The workbook is damaged (its sheet is not valid XML).")) from None
                except ValueError:  # a row number, style or shared-string index that is not a number
                    raise FileRefused(_("The workbook is damaged (a row or cell reference in its sheet is not "
                                        "valid).")) from None
                if done:
                    yield from done
                    done.clear()
                if not chunk:
                    break
    except ZIP_ERRORS:
        raise FileRefused(_("The workbook is damaged (it cannot be decompressed).")) from None
    finally:
        zf.close()
