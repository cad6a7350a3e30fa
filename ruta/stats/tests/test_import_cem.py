from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from ruta.stats.cem_import import ImportRefused, import_file
from ruta.stats.counts import cem_counts
from ruta.stats.models import CemLoad, CemRecord
from ruta.stats.tests import register_file


def cem_stats(*args: str) -> dict[str, object]:
    out = io.StringIO()
    call_command("cem_stats", "--json", *args, stdout=out)
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


class DoneWhenTest(TestCase):
    """The issue's test: counts from the raw CSV (csv module) = ``cem_stats --json`` after import."""

    def setUp(self) -> None:
        self.tmp = Path(self.enterContext(__import__("tempfile").TemporaryDirectory()))

    def write(self, name: str, data: bytes) -> Path:
        path = self.tmp / name
        path.write_bytes(data)
        return path

    def test_counts_match_the_raw_file_and_reimports_change_nothing(self) -> None:
        records = list(register_file.rows(3000, seed=1))
        utf8 = register_file.csv_text(records).encode("utf-8")
        call_command("import_cem", str(self.write("cem2024.csv", utf8)), stdout=io.StringIO())
        for department in (None, "17", "15"):
            args = ("--department", department) if department else ()
            assert cem_stats(*args) == register_file.expected_counts(utf8, "utf-8", department)
        assert cem_stats("--department", "17", "--year", "2024") == register_file.expected_counts(
            utf8, "utf-8", "17", 2024)
        assert cem_stats("--year", "2023")["total"] == 0
        before = list(CemRecord.objects.order_by("pk").values_list(*_fields()))
        loads = CemLoad.objects.count()

        # The same file again, and a Latin-1 copy with ';' (as Excel in Spanish saves it): nothing added.
        latin1 = register_file.csv_text(records, delimiter=";").encode("latin-1")
        for name, data in (("again.csv", utf8), ("latin1.csv", latin1),
                           ("bom.csv", b"\xef\xbb\xbf" + utf8)):
            out = io.StringIO()
            call_command("import_cem", str(self.write(name, data)), stdout=out)
            assert "nothing to do" in out.getvalue()
            assert list(CemRecord.objects.order_by("pk").values_list(*_fields())) == before
            assert CemLoad.objects.count() == loads
        assert cem_stats() == register_file.expected_counts(latin1, "latin-1")

    def test_a_utf8_file_with_latin1_labels_reads_as_the_utf8_one(self) -> None:
        records = list(register_file.rows(200, seed=2))
        utf8 = register_file.csv_text(records).encode("utf-8")
        lines = utf8.split(b"\r\n")
        mixed = b"\r\n".join(line.decode("utf-8").encode("latin-1") if i % 2 else line for i, line in enumerate(lines))
        import_file(self.write("a.csv", utf8), name="a.csv")
        summary = import_file(self.write("b.csv", mixed), name="b.csv")
        assert [y["outcome"] for y in summary["years"]] == ["unchanged"]
        assert set(CemRecord.objects.values_list("cem", flat=True)) >= {"CEM COMISARÍA SALVACIÓN"}

    def test_a_newer_file_for_a_year_replaces_it_only_with_replace(self) -> None:
        july = register_file.csv_text(list(register_file.rows(500, seed=3, months=(1, 7)))).encode()
        august = register_file.csv_text(list(register_file.rows(600, seed=4, months=(1, 8)))).encode()
        call_command("import_cem", str(self.write("jul.csv", july)), stdout=io.StringIO())
        out = io.StringIO()
        with pytest.raises(CommandError, match="--replace"):
            call_command("import_cem", str(self.write("aug.csv", august)), stdout=out)
        assert "would replace 500 rows from jul.csv" in out.getvalue()
        assert cem_stats()["total"] == 500 and CemRecord.objects.count() == 500  # nothing staged is left
        out = io.StringIO()
        call_command("import_cem", str(self.tmp / "aug.csv"), "--replace", stdout=out)
        assert "replaced 500 rows" in out.getvalue()
        assert cem_stats() == register_file.expected_counts(august, "utf-8")
        assert CemRecord.objects.count() == 600  # the replaced rows are gone, not just hidden
        assert list(CemLoad.objects.order_by("pk").values_list("status", "rows")) == [
            ("superseded", 0), ("current", 600)]

    def test_years_in_one_file_are_kept_apart(self) -> None:
        records = list(register_file.rows(100, seed=5, year=2023)) + list(register_file.rows(150, seed=6, year=2024))
        data = register_file.csv_text(records).encode()
        summary = import_file(self.write("two.csv", data), name="two.csv")
        assert [(y["year"], y["rows"], y["outcome"]) for y in summary["years"]] == [(2023, 100, "new"),
                                                                                    (2024, 150, "new")]
        assert cem_stats("--year", "2023") == register_file.expected_counts(data, "utf-8", year=2023)

    def test_errors_are_reported_by_row_and_column_and_nothing_is_imported(self) -> None:
        records = list(register_file.rows(50, seed=7))
        records[2]["SEXO_VICTIMA"] = "7"
        records[9]["FECHA_INGRESO"] = "31/02/2024"
        records[9]["EDAD_VICTIMA"] = "doce"
        records[20]["DPTO_DOMICILIO"] = ""
        with pytest.raises(ImportRefused) as refused:
            import_file(self.write("bad.csv", register_file.csv_text(records).encode()), name="bad.csv")
        assert refused.value.result["errors"] == [
            {"row": 4, "column": "SEXO_VICTIMA",
             "message": "“7” no es uno de los códigos del registro para esta columna."},
            {"row": 11, "column": "FECHA_INGRESO", "message": "No es una fecha de ingreso (dd/mm/aaaa)."},
            {"row": 11, "column": "EDAD_VICTIMA", "message": "No es una edad en años."},
            {"row": 22, "column": "DPTO_DOMICILIO", "message": "Esta columna no puede estar vacía."},
        ]
        assert "4" in refused.value.message
        assert CemRecord.objects.count() == 0 and CemLoad.objects.count() == 0

    def test_a_file_without_the_registers_columns_is_refused(self) -> None:
        with pytest.raises(ImportRefused, match="SEXO_VICTIMA"):
            import_file(self.write("x.csv", b"CEM,FECHA_INGRESO\nA,01/01/2024\n"), name="x.csv")

    def test_labels_instead_of_codes_are_read(self) -> None:
        records = list(register_file.rows(20, seed=8))
        records[0].update(SEXO_VICTIMA="Mujer", TIPO_VIOLENCIA="Violencia Sexual", LENGUA_MATERNA_VICTIMA="CASTELLANO",
                          NIVEL_DE_RIESGO_VICTIMA="riesgo severo")
        import_file(self.write("labels.csv", register_file.csv_text(records).encode()), name="labels.csv")
        first = CemRecord.objects.order_by("pk").first()
        assert first is not None
        assert (first.sex, first.violence_type, first.mother_tongue, first.risk) == (
            "female", "sexual", "spanish", "severe")

    def test_an_xlsx_file_imports_like_its_csv(self) -> None:
        from openpyxl import Workbook

        records = list(register_file.rows(300, seed=9))
        csv_data = register_file.csv_text(records).encode()
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Casos CEM")
        names = register_file.variables()
        sheet.append(names)
        for record in records:  # numbers as numbers, as the ministry's workbooks hold them
            sheet.append([int(record[n]) if record[n].isdigit() and n not in _TEXT else record[n] for n in names])
        stream = io.BytesIO()
        book.save(stream)
        summary = import_file(self.write("cem.xlsx", stream.getvalue()), name="cem.xlsx")
        assert summary["imported"] == 300
        assert cem_stats() == register_file.expected_counts(csv_data, "utf-8")
        summary = import_file(self.write("cem.csv", csv_data), name="cem.csv")
        assert [y["outcome"] for y in summary["years"]] == ["unchanged"]

    def test_an_spss_file_imports_like_its_csv(self) -> None:
        pytest.importorskip("pyreadstat")
        from ruta.stats.tests.sav import write_sav

        records = list(register_file.rows(300, seed=10))
        csv_data = register_file.csv_text(records).encode()
        kinds = [80 if c in _TEXT else 0 for c in _SAV_COLUMNS]  # numbers as SPSS numbers, text as text
        path = self.tmp / "cem.sav"
        write_sav(path, _SAV_COLUMNS, kinds, [[r[c] for c in _SAV_COLUMNS] for r in records])
        summary = import_file(path, name="cem.sav")
        assert summary["imported"] == 300
        assert cem_stats() == register_file.expected_counts(csv_data, "utf-8")
        assert [y["outcome"] for y in import_file(self.write("cem.csv", csv_data), name="cem.csv")["years"]] == [
            "unchanged"]


_TEXT = {"CEM", "FECHA_INGRESO", "DPTO_DOMICILIO", "PROV_DOMICILIO", "DIST_DOMICILIO", "CENTRO_POBLADO_DOMICILIO"}
_SAV_COLUMNS = ["CEM", "FECHA_INGRESO", "EDAD_VICTIMA", "SEXO_VICTIMA", "LENGUA_MATERNA_VICTIMA", "DPTO_DOMICILIO",
                "PROV_DOMICILIO", "DIST_DOMICILIO", "VINCULO_AGRESOR_VICTIMA", "TIPO_VIOLENCIA", "VIOLACION",
                "PRIMERA_VEZ_AGREDE", "NIVEL_DE_RIESGO_VICTIMA", "INTERPUSO_DENUNCIA"]


def _fields() -> list[str]:
    from ruta.stats.register import FIELDS
    return ["load_id", *FIELDS]


def test_counts_have_exactly_the_issues_shape(db: object) -> None:
    counts = cem_counts()
    assert list(counts) == ["department", "year", "total", "by_sex", "rape_reports", "rape_reports_girls_under_18",
                            "repeat_aggression"]
    assert list(counts["by_sex"]) == ["female", "male"]
    assert list(counts["by_sex"]["female"]) == ["total", "age_0_17", "sexual", "partner", "family", "severe",
                                                "complaint_filed"]
