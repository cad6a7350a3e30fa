from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.db.models import QuerySet
from django.test import TestCase

from ruta.directory.models import Service
from ruta.directory.renipress import import_renipress
from ruta.directory.seed import RENIPRESS_EXTRACT
from ruta.directory.synthetic import COLUMNS, renipress_rows, write_renipress
from ruta.geo.models import District


def run(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("import_renipress", str(path), *args, stdout=out)
    return out.getvalue()


class ImportTestCase(TestCase):
    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp())
        self.districts = sorted(District.objects.filter(code__startswith="08").values_list("code", flat=True))

    def file(self, rows: list[list[str]], name: str = "r.csv", **kwargs: object) -> Path:
        path = self.tmp / name
        write_renipress(path, rows, **kwargs)  # type: ignore[arg-type]
        return path

    def imported(self) -> QuerySet[Service]:
        return Service.objects.filter(renipress_code__startswith="1000")


class BundledExtractTests(ImportTestCase):
    def test_the_migration_loaded_the_extract(self) -> None:
        # The extract's 33, and MINSA's table for the rest of the regional network.
        self.assertEqual(Service.objects.filter(source__startswith="Registro de establecimientos").count(), 33)
        novia = Service.objects.get(renipress_code="2806")
        self.assertEqual(novia.name, "Puesto de Salud La Novia")
        self.assertEqual(novia.district_id, "170303")
        self.assertEqual(str(novia.latitude), "-11.867186")  # NORTE
        self.assertEqual(str(novia.longitude), "-69.137744")  # ESTE
        self.assertEqual(novia.phone, "953573385")
        self.assertEqual(novia.offers, ["medical"])  # the kit only where an administrator records it
        self.assertTrue(Service.objects.get(renipress_code="2793").open_24h)  # "24 HORAS"
        self.assertEqual(Service.objects.get(renipress_code="2751").address, "CARRETERA VARSOVIA,LUCERNA")
        self.assertEqual(Service.objects.get(renipress_code="28527").sector, "private")

    def test_reimporting_it_changes_nothing(self) -> None:
        out = run(RENIPRESS_EXTRACT)
        self.assertIn("33 rows: 0 created, 0 updated, 33 unchanged", out)


class EncodingTests(ImportTestCase):
    def check(self, encoding: str, delimiter: str) -> None:
        rows = renipress_rows(5, self.districts)
        out = run(self.file(rows, encoding=encoding, delimiter=delimiter))
        self.assertIn("5 rows: 5 created", out)
        names = set(self.imported().values_list("name", flat=True))
        self.assertTrue(any("Ñ" in n or "ñ" in n or "é" in n or "í" in n for n in names), names)
        self.assertTrue(all("Ã" not in n for n in names), names)  # no mojibake
        self.assertEqual(self.imported().filter(address__contains="PERÚ").count(), 5)

    def test_utf8_comma(self) -> None:
        self.check("utf-8", ",")

    def test_utf8_with_bom_semicolon(self) -> None:
        self.check("utf-8-sig", ";")

    def test_latin1_semicolon(self) -> None:
        self.check("latin-1", ";")

    def test_latin1_comma(self) -> None:
        self.check("latin-1", ",")

    def test_a_file_mixing_encodings_line_by_line(self) -> None:
        utf8 = self.file(renipress_rows(2, self.districts), "a.csv", encoding="utf-8").read_bytes()
        latin = self.file(renipress_rows(4, self.districts), "b.csv", encoding="latin-1").read_bytes()
        mixed = self.tmp / "mixed.csv"
        mixed.write_bytes(utf8 + latin.split(b"\r\n", 3)[3])  # UTF-8 header + 2 rows, then 2 Latin-1 rows
        self.assertIn("4 rows: 4 created", run(mixed))
        self.assertEqual(self.imported().filter(address__contains="PERÚ").count(), 4)


class NationalFileTests(ImportTestCase):
    def test_twenty_thousand_latin1_rows_then_again(self) -> None:
        every = sorted(District.objects.values_list("code", flat=True))
        shipped = Service.objects.filter(renipress_code__startswith="1").count()
        rows = renipress_rows(20_000, every, inactive_every=50)
        path = self.file(rows, encoding="latin-1")
        with path.open("rb") as stream:
            report = import_renipress(stream, Service, set(every))
        self.assertEqual(report.rows, 20_000)
        self.assertEqual(report.skipped_inactive, 400)
        self.assertEqual(report.created, 19_600)
        self.assertEqual(Service.objects.filter(renipress_code__startswith="1").count() - shipped, 19_600)
        with path.open("rb") as stream:
            again = import_renipress(stream, Service, set(every))
        self.assertEqual((again.created, again.updated, again.unchanged), (0, 0, 19_600))


class BadRowTests(ImportTestCase):
    def test_it_skips_and_counts_unknown_ubigeo_inactive_and_codeless_rows(self) -> None:
        rows = renipress_rows(6, self.districts)
        col = COLUMNS.index
        rows[0][col("UBIGEO")] = "999999"
        rows[1][col("UBIGEO")] = ""
        rows[2][col("ESTADO")] = "INACTIVO"
        rows[3][col("COD_IPRESS")] = ""
        rows[4][col("NORTE")] = "not a number"
        out = run(self.file(rows))
        self.assertIn("6 rows: 2 created, 0 updated, 0 unchanged, 0 deactivated, 4 skipped", out)
        self.assertIn("(1 inactive, 2 unknown UBIGEO, 1 without code or name)", out)
        self.assertIn("999999 ×1", out)
        bad_coordinates = self.imported().get(renipress_code=rows[4][col("COD_IPRESS")])
        self.assertIsNone(bad_coordinates.latitude)  # a bad coordinate is dropped, not the facility

    def test_a_file_without_the_registry_columns_is_refused_and_nothing_is_saved(self) -> None:
        path = self.file(renipress_rows(3, self.districts), header=[c if c != "UBIGEO" else "UBI" for c in COLUMNS])
        with self.assertRaisesMessage(CommandError, "Missing column(s): UBIGEO"):
            run(path)
        self.assertFalse(self.imported().exists())

    def test_a_missing_file_is_a_clear_error(self) -> None:
        with self.assertRaisesMessage(CommandError, "Cannot read"):
            run(self.tmp / "nope.csv")

    def test_codes_and_ubigeo_as_spreadsheets_write_them(self) -> None:
        rows = renipress_rows(1, ["080101"])
        rows[0][COLUMNS.index("COD_IPRESS")] = "00100000"
        rows[0][COLUMNS.index("UBIGEO")] = "80101"
        run(self.file(rows))
        self.assertEqual(self.imported().get().district_id, "080101")
        self.assertEqual(self.imported().get().renipress_code, "100000")


class UpsertTests(ImportTestCase):
    def test_updates_registry_fields_and_keeps_curated_ones(self) -> None:
        rows = renipress_rows(2, self.districts)
        run(self.file(rows))
        first = self.imported().order_by("renipress_code").first()
        assert first is not None
        first.offers = ["medical", "psychological"]
        first.notes = "Atiende en quechua."
        first.confidence = "verified"
        first.languages = ["es", "qu"]
        first.save()
        rows[0][COLUMNS.index("TELEFONO")] = "082-571234"
        rows[0][COLUMNS.index("NOMBRE")] = "NUEVO NOMBRE"
        out = run(self.file(rows))
        self.assertIn("1 updated, 1 unchanged", out)
        first.refresh_from_db()
        self.assertEqual(first.phones, "082-571234")
        self.assertTrue(first.name.endswith("Nuevo Nombre"))
        self.assertEqual(first.offers, ["medical", "psychological"])
        self.assertEqual(first.notes, "Atiende en quechua.")
        self.assertEqual(first.confidence, "verified")
        self.assertEqual(first.languages, ["es", "qu"])

    def test_the_national_file_updates_the_seeded_santa_rosa_instead_of_adding_a_second(self) -> None:
        # docs/directory.md (both languages): nothing to deactivate after a national import.
        seeded = Service.objects.get(renipress_code="2698")
        row = renipress_rows(1, ["170101"])[0]
        row[COLUMNS.index("COD_IPRESS")] = "2698"
        row[COLUMNS.index("NOMBRE")] = "HOSPITAL SANTA ROSA"
        row[COLUMNS.index("TELEFONO")] = "082-571019"
        out = run(self.file([row]))
        self.assertIn("0 created, 1 updated", out)
        rosa = Service.objects.filter(name__icontains="santa rosa", district_id="170101", active=True)
        self.assertEqual([s.pk for s in rosa], [seeded.pk])
        self.assertEqual(rosa[0].phones, "082-571019")

    def test_a_facility_no_longer_active_is_deactivated(self) -> None:
        rows = renipress_rows(2, self.districts)
        run(self.file(rows))
        rows[1][COLUMNS.index("ESTADO")] = "INACTIVO"
        out = run(self.file(rows))
        self.assertIn("1 deactivated", out)
        self.assertEqual(self.imported().filter(active=True).count(), 1)

    def test_department_option_limits_the_import(self) -> None:
        rows = renipress_rows(4, ["080101", "150101"])
        out = run(self.file(rows), "--department", "08")
        self.assertIn("2 created", out)
        with self.assertRaises(CommandError):
            run(self.file(rows), "--department", "Cusco")
