from __future__ import annotations

import datetime as dt
import io
import os
from unittest import mock

from django.db import connection
from django.test import TestCase
from django.utils import translation

from ruta.accounts.models import User
from ruta.audit.models import AccessEvent
from ruta.program.imports import importer as imports
from ruta.program.imports.importer import Kind, import_file
from ruta.program.models import Attendance, Participant, Programme, age_on
from ruta.program.tests.io_helpers import csv_bytes, make_activity, make_programme, person, xlsx_bytes
from ruta.testing.cast import Cast, make_cast


class ImportTestCase(TestCase):
    cast: Cast
    user: User
    programme: Programme

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.user = cls.cast.alpha["me_officer"]
        cls.programme = make_programme(organisation=cls.cast.alpha_org)

    def setUp(self) -> None:
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def run_import(self, stream: io.BytesIO, kind: str = Kind.PARTICIPANTS, filename: str = "") -> imports.ImportResult:
        return import_file(self.programme, kind, stream, user=self.user, filename=filename)

    def messages(self, result: imports.ImportResult) -> list[tuple[int, str, str]]:
        return [(e.row, e.column, e.message) for e in result.errors]


class ParticipantImportTest(ImportTestCase):
    def test_it_imports_a_csv_and_a_second_import_adds_nothing(self) -> None:
        rows = [person("TAM-0001"), person("TAM-0002", sex="male", name="Luis Mamani", birth="14/02/2001",
                                           consent="")]
        result = self.run_import(csv_bytes(rows))
        self.assertEqual(self.messages(result), [])
        self.assertEqual((result.rows, result.participants_created), (2, 2))
        luis = Participant.objects.get(code="TAM-0002")
        self.assertEqual((luis.sex, luis.birth_date, luis.district_id, luis.name),
                         ("male", dt.date(2001, 2, 14), "170101", "Luis Mamani"))
        created = luis.history.get(history_type="+", history_user=self.user)
        self.assertEqual((created.name, created.history_change_reason), ("Luis Mamani", "import"))

        again = self.run_import(csv_bytes(rows))
        self.assertTrue(again.ok)
        self.assertEqual((again.participants_created, again.participants_existing), (0, 2))
        self.assertEqual(Participant.objects.count(), 2)
        self.assertEqual(AccessEvent.objects.filter(action="program.import").count(), 2)

    def test_names_are_encrypted_and_hashed_for_duplicate_blocking(self) -> None:
        self.run_import(csv_bytes([person(name="José  Pérez")]))
        with connection.cursor() as cur:
            cur.execute("SELECT name, name_hash FROM program_participant")
            stored, name_hash = cur.fetchone()
        self.assertNotIn("Pérez", stored)
        self.assertEqual(len(name_hash), 64)

    def test_it_reads_an_xlsx_with_date_cells_and_numeric_district_codes(self) -> None:
        result = self.run_import(xlsx_bytes([person(birth=dt.date(2009, 7, 3), district=170102)]))
        self.assertEqual(self.messages(result), [])
        p = Participant.objects.get()
        self.assertEqual((p.birth_date, p.district_id), (dt.date(2009, 7, 3), "170102"))

    def test_formulas_are_never_evaluated_and_free_text_keeps_them_as_text(self) -> None:
        stream = xlsx_bytes([person(), person("TAM-0002")],
                            formulas={(1, 5): '=HYPERLINK("http://evil.example","x")', (2, 2): "=DATE(2008,1,1)"})
        result = self.run_import(stream)
        self.assertEqual(len(result.errors), 1)
        row, column, message = self.messages(result)[0]
        self.assertEqual((row, column), (3, "C · birth_date"))
        self.assertIn("formula", message)
        self.assertEqual(Participant.objects.count(), 0)

        ok = self.run_import(xlsx_bytes([person()], formulas={(1, 5): "=1+1"}))
        self.assertTrue(ok.ok, self.messages(ok))
        self.assertEqual(Participant.objects.get().organisation, "=1+1")

    def test_csv_formulas_are_plain_text(self) -> None:
        result = self.run_import(csv_bytes([person(org="=cmd|' /C calc'!A0")]))
        self.assertTrue(result.ok)
        self.assertEqual(Participant.objects.get().organisation, "=cmd|' /C calc'!A0")

    def test_bad_dates_are_listed_by_row_and_column_and_nothing_is_saved(self) -> None:
        rows = [person("A1"), person("A2", birth="31/02/2008"), person("A3", birth="2008/13/45"),
                person("A4", birth="02-30-2008"), person("A5", birth="01/01/2099")]
        result = self.run_import(csv_bytes(rows))
        self.assertEqual([(r, c) for r, c, _m in self.messages(result)],
                         [(3, "C · birth_date"), (4, "C · birth_date"), (5, "C · birth_date"), (6, "C · birth_date")])
        self.assertIn("does not exist", result.errors[0].message)
        self.assertIn("future", result.errors[3].message)
        self.assertEqual(Participant.objects.count(), 0)

    def test_unknown_districts_are_errors(self) -> None:
        rows = [person("A1", district="999999"), person("A2", district="Atlantis"), person("A3", district="Inambari")]
        result = self.run_import(csv_bytes(rows))
        self.assertEqual([(r, c) for r, c, _m in self.messages(result)], [(2, "E · district"), (3, "E · district")])
        self.assertIn("999999", result.errors[0].message)
        self.assertEqual(Participant.objects.count(), 0)

    def test_district_names_resolve_within_madre_de_dios(self) -> None:
        result = self.run_import(csv_bytes([person(district="Iñapari"), person("B2", district="las piedras")]))
        self.assertTrue(result.ok, self.messages(result))
        self.assertEqual(sorted(Participant.objects.values_list("district_id", flat=True)), ["170103", "170301"])

    def test_exact_repeated_rows_add_nothing_and_conflicting_ones_are_errors(self) -> None:
        result = self.run_import(csv_bytes([person("A1"), person("A1"), person("A2")]))
        self.assertTrue(result.ok)
        self.assertEqual((result.participants_created, result.repeated_rows), (2, 1))

        clash = self.run_import(csv_bytes([person("B1"), person("B1", sex="male")]))
        self.assertEqual([(r, c) for r, c, _m in self.messages(clash)], [(3, "A · participant_code")])
        self.assertIn("row 2", clash.errors[0].message)
        self.assertFalse(Participant.objects.filter(code="B1").exists())

    def test_an_existing_code_with_other_facts_is_an_error_not_an_overwrite(self) -> None:
        self.run_import(csv_bytes([person("A1")]))
        result = self.run_import(csv_bytes([person("A1", district="170104")]))
        self.assertFalse(result.ok)
        self.assertEqual(Participant.objects.get().district_id, "170101")

    def test_repeats_across_batches_are_found(self) -> None:
        with mock.patch.object(imports, "BATCH", 2):
            ok = self.run_import(csv_bytes([person("A1"), person("A2"), person("A1"), person("A3")]))
            self.assertTrue(ok.ok, self.messages(ok))
            self.assertEqual((ok.participants_created, ok.repeated_rows), (3, 1))
            bad = self.run_import(csv_bytes([person("C1"), person("C2"), person("C1", district="170102")]))
        self.assertEqual([r for r, _c, _m in self.messages(bad)], [4])
        self.assertFalse(Participant.objects.filter(code__startswith="C").exists())

    def test_an_error_in_the_last_batch_saves_nothing_of_the_earlier_ones(self) -> None:
        rows = [person(f"A{i}") for i in range(7)] + [person("A9", group="astronaut")]
        with mock.patch.object(imports, "BATCH", 3):
            result = self.run_import(csv_bytes(rows))
        self.assertEqual([(r, c) for r, c, _m in self.messages(result)], [(9, "D · group")])
        self.assertEqual(result.participants_created, 0)
        self.assertEqual(Participant.objects.count(), 0)
        self.assertFalse(AccessEvent.objects.filter(action="program.import").exists())

    def test_wrong_headers_are_refused_before_any_row(self) -> None:
        result = self.run_import(csv_bytes([["1", "2", "3"]], header=["codigo", "sexo", "edad"]))
        messages = [m for _r, _c, m in self.messages(result)]
        self.assertEqual([e.row for e in result.errors], [1, 1])
        self.assertIn("participant_code", messages[0])
        self.assertIn("codigo", messages[1])
        self.assertEqual(Participant.objects.count(), 0)

    def test_a_repeated_column_is_refused(self) -> None:
        result = self.run_import(csv_bytes([person() + ["x"]], header=[*csv_header(), "name"]))
        self.assertIn("appears twice", result.errors[0].message)

    def test_minors_need_guardian_consent(self) -> None:
        result = self.run_import(csv_bytes([person(birth="2012-05-01", consent="no")]))
        self.assertEqual([(r, c) for r, c, _m in self.messages(result)], [(2, "G · guardian_consent")])
        adult = self.run_import(csv_bytes([person("A2", birth="1990-01-01", consent="")]))
        self.assertTrue(adult.ok)

    def test_age_without_birth_date_estimates_it(self) -> None:
        header = ["participant_code", "age", "group", "district", "guardian_consent", "registered_on"]
        result = self.run_import(csv_bytes([["A1", "16", "joven", "170101", "sí", "10/03/2025"]], header=header))
        self.assertTrue(result.ok, self.messages(result))
        p = Participant.objects.get()
        self.assertEqual((p.birth_date, p.birth_date_estimated, p.age_at_registration, p.sex),
                         (dt.date(2009, 3, 10), True, 16, "unknown"))

    def test_an_empty_file_is_refused(self) -> None:
        for content in (b"", b"\xef\xbb\xbf\r\n  \n"):
            result = self.run_import(io.BytesIO(content))
            self.assertEqual([(e.row, e.message) for e in result.errors], [(0, "The file is empty.")])
        header_only = self.run_import(csv_bytes([]))
        self.assertIn("no rows", header_only.errors[0].message)

    def test_ten_megabytes_of_garbage_are_refused_and_nothing_is_saved(self) -> None:
        garbage = io.BytesIO(os.urandom(10 * 1024 * 1024))
        result = self.run_import(garbage, filename="participantes.csv")
        self.assertEqual(len(result.errors), 1)
        self.assertIn("neither a CSV file nor an Excel workbook", result.errors[0].message)
        zip_garbage = io.BytesIO(b"PK\x03\x04" + os.urandom(10 * 1024 * 1024))
        self.assertIn("cannot be opened", self.run_import(zip_garbage).errors[0].message)
        self.assertEqual(Participant.objects.count(), 0)

    def test_ten_megabytes_of_text_garbage_list_capped_errors(self) -> None:
        line = b"lorem;ipsum;dolor;sit;amet\n"
        result = self.run_import(io.BytesIO(line * (10 * 1024 * 1024 // len(line))))
        self.assertFalse(result.ok)
        self.assertEqual(Participant.objects.count(), 0)

    def test_latin1_kobo_csv_with_semicolons_and_group_paths(self) -> None:
        header = ["start", "end", "today", "persona/participant_code", "persona/sex", "persona/birth_date",
                  "persona/group", "persona/district", "persona/organisation", "persona/guardian_consent",
                  "persona/name", "meta/instanceID", "_id", "_uuid", "_submission_time", "__version__"]
        row = ["2025-03-10T09:00:00.000-05:00", "2025-03-10T09:05:00.000-05:00", "2025-03-10", "tam-0007", "female",
               "2008-05-01", "youth", "170101", "I.E. Nuestra Señora", "yes", "María Ñahui", "uuid:1", "1", "u", "t",
               "v1"]
        result = self.run_import(csv_bytes([row], header=header, delimiter=";", encoding="latin-1"))
        self.assertTrue(result.ok, self.messages(result))
        self.assertEqual(result.encoding, "utf-8+windows-1252")
        p = Participant.objects.get()
        self.assertEqual((p.code, p.name, p.organisation, p.registered_on),
                         ("TAM-0007", "María Ñahui", "I.E. Nuestra Señora", dt.date(2025, 3, 10)))

    def test_errors_come_in_spanish_by_default(self) -> None:
        translation.activate("es-pe")
        result = self.run_import(csv_bytes([person(district="Atlantis")]))
        self.assertIn("Distrito desconocido", result.errors[0].message)


def csv_header() -> list[str]:
    from ruta.program.tests.io_helpers import HEADER

    return list(HEADER)


class AttendanceImportTest(ImportTestCase):
    def test_participants_with_an_activity_column_record_attendance_once(self) -> None:
        first = make_activity(self.programme, dt.date(2025, 3, 10))
        second = make_activity(self.programme, dt.date(2025, 4, 2))
        header = [*csv_header(), "activity_id"]
        rows = [person("A1") + [first.pk], person("A1") + [second.pk], person("A2") + [first.pk]]
        result = self.run_import(csv_bytes(rows, header=header))
        self.assertTrue(result.ok, self.messages(result))
        self.assertEqual((result.participants_created, result.attendance_created), (2, 3))
        a1 = Participant.objects.get(code="A1")
        self.assertEqual((a1.sessions_attended, a1.first_attended_on), (2, dt.date(2025, 3, 10)))
        again = self.run_import(csv_bytes(rows, header=header))
        self.assertEqual((again.attendance_created, again.attendance_existing), (0, 3))
        self.assertEqual(Attendance.objects.count(), 3)

    def test_the_facts_imports_set_themselves_are_what_the_attendance_trigger_gives(self) -> None:
        """Imports write new people with their facts and recompute the others' set-based
        (migration 0015): across batches, for people already visible, and after a screen's
        attendance, every fact equals a recomputation from the attendance rows."""
        days = [dt.date(2025, 3, 10), dt.date(2025, 2, 1), dt.date(2025, 5, 20), dt.date(2025, 4, 2)]
        acts = [make_activity(self.programme, day) for day in days]
        self.run_import(csv_bytes([person("OLD", birth="2010-05-19"), person("OLD2", birth="2009-02-01")]))
        old = Participant.objects.get(code="OLD")
        Attendance.objects.create(activity=acts[2], participant=old, programme=self.programme, date=days[2])
        header = [*csv_header(), "activity_id"]
        rows = [person("N1", birth="2010-03-10") + [acts[0].pk], person("N2", birth="2010-02-02") + [acts[1].pk],
                person("N1", birth="2010-03-10") + [acts[1].pk], person("OLD", birth="2010-05-19") + [acts[0].pk],
                person("N2", birth="2010-02-02") + [acts[3].pk], person("OLD", birth="2010-05-19") + [acts[1].pk],
                person("OLD2", birth="2009-02-01") + [acts[3].pk], person("N3", birth="2011-01-01"),
                person("N1", birth="2010-03-10") + [acts[2].pk]]
        with mock.patch.object(imports, "BATCH", 2), mock.patch.object(imports, "STAGED_BATCH", 2):
            result = self.run_import(csv_bytes(rows, header=header))
        self.assertTrue(result.ok, self.messages(result))
        self.assertEqual(result.attendance_created, 8)
        checked = 0
        for p in Participant.objects.all():
            dates = sorted(Attendance.objects.filter(participant=p).values_list("date", flat=True))
            expected = (len(dates), dates[0] if dates else None, dates[-1] if dates else None,
                        age_on(p.birth_date, dates[0]) if dates else None)
            self.assertEqual((p.sessions_attended, p.first_attended_on, p.last_attended_on, p.first_age),
                             expected, p.code)
            checked += bool(dates)
        self.assertEqual(checked, 4)  # N1, N2, OLD (also at a screen) and OLD2; N3 attended nothing
        n1 = Participant.objects.get(code="N1")
        self.assertEqual((n1.sessions_attended, n1.first_attended_on, n1.first_age), (3, days[1], 14))
        # The trigger still keeps the facts of attendance written elsewhere (a screen).
        n3 = Participant.objects.get(code="N3")
        Attendance.objects.create(activity=acts[1], participant=n3, programme=self.programme, date=days[1])
        n3.refresh_from_db()
        self.assertEqual((n3.sessions_attended, n3.first_attended_on, n3.first_age), (1, days[1], 14))

    def test_attendance_file_needs_known_activities_and_participants(self) -> None:
        activity = make_activity(self.programme)
        self.run_import(csv_bytes([person("A1")]))
        header = ["activity_id", "participant_code"]
        result = self.run_import(csv_bytes([[activity.pk, "A1"], [activity.pk, "A1"], [99999, "A1"],
                                            [activity.pk, "ZZ9"]], header=header), kind=Kind.ATTENDANCE)
        self.assertEqual([(r, c) for r, c, _m in self.messages(result)],
                         [(4, "A · activity_id"), (5, "B · participant_code")])
        self.assertEqual(Attendance.objects.count(), 0)
        ok = self.run_import(csv_bytes([[activity.pk, "a1"], [activity.pk, "A1"]], header=header),
                             kind=Kind.ATTENDANCE)
        self.assertEqual((ok.attendance_created, ok.repeated_rows), (1, 1))
        self.assertEqual(Attendance.objects.get().date, activity.date)

    def test_attendance_of_a_merged_participant_goes_to_the_one_kept(self) -> None:
        activity = make_activity(self.programme)
        self.run_import(csv_bytes([person("A1"), person("A2")]))
        kept = Participant.objects.get(code="A1")
        Participant.objects.filter(code="A2").update(merged_into=kept)
        result = self.run_import(csv_bytes([[activity.pk, "A2"]], header=["activity_id", "participant_code"]),
                                 kind=Kind.ATTENDANCE)
        self.assertTrue(result.ok)
        self.assertEqual(Attendance.objects.get().participant_id, kept.pk)

    def test_another_programmes_activity_is_unknown(self) -> None:
        other = make_programme(name="Other")
        activity = make_activity(other)
        self.run_import(csv_bytes([person("A1")]))
        result = self.run_import(csv_bytes([[activity.pk, "A1"]], header=["activity_id", "participant_code"]),
                                 kind=Kind.ATTENDANCE)
        self.assertIn("no activity number", result.errors[0].message)
