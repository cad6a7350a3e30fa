from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase

from ruta.lib.terminal import ProgressLine, data_lines
from ruta.program.models import Participant
from ruta.program.tests.io_helpers import csv_bytes, make_programme, person


class ImportCommandTest(TestCase):
    def write(self, content: bytes) -> Path:
        tmp = tempfile.NamedTemporaryFile(suffix=".csv", delete=False)  # noqa: SIM115
        tmp.write(content)
        tmp.close()
        self.addCleanup(Path(tmp.name).unlink)
        return Path(tmp.name)

    def test_it_imports_a_file_into_a_programme(self) -> None:
        programme = make_programme()
        path = self.write(csv_bytes([person("A1"), person("A2")]).getvalue())
        out = io.StringIO()
        call_command("import_participants", programme.pk, str(path), stdout=out, stderr=io.StringIO())
        self.assertIn("2 rows: 2 new participants", out.getvalue())
        self.assertEqual(Participant.objects.filter(programme=programme).count(), 2)

    def test_errors_are_listed_by_row_and_column_and_nothing_is_saved(self) -> None:
        programme = make_programme()
        path = self.write(csv_bytes([person("A1"), person("A2", birth="31/02/2008")]).getvalue())
        err = io.StringIO()
        with self.assertRaisesMessage(CommandError, "1 error(s); nothing was saved."):
            call_command("import_participants", programme.pk, str(path), stdout=io.StringIO(), stderr=err)
        self.assertIn("row 3, column C · birth_date", err.getvalue())
        self.assertFalse(Participant.all_objects.exists())

    def test_an_unknown_programme_is_refused(self) -> None:
        with self.assertRaisesMessage(CommandError, "There is no programme 999."):
            call_command("import_participants", 999, "x.csv")


def test_the_progress_line_rewrites_one_line_and_ends_it() -> None:
    out = io.StringIO()
    bar = ProgressLine(out, "rows", force=True)
    bar(150, 300)
    bar._last = 0.0
    bar(300, 300)
    bar.end()
    text = out.getvalue()
    assert text.startswith("\rrows [###############...............]  50% 150/300")
    assert "100% 300/300" in text and text.endswith("\n") and text.count("\n") == 1
    quiet = io.StringIO()
    ProgressLine(quiet, "rows")(1, 2)  # not a terminal: nothing
    assert quiet.getvalue() == ""


def test_data_lines_counts_rows_with_or_without_a_last_newline(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_bytes(b"h\r\n1\r\n2\r\n")
    (tmp_path / "b.csv").write_bytes(b"h\n1\n2")
    assert data_lines(tmp_path / "a.csv") == 2 and data_lines(tmp_path / "b.csv") == 2
