"""On SQLite an import is staged in short transactions: nothing of it is seen until it is
published, every figure stays exact meanwhile, and a failed or killed import leaves nothing."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import sys
import uuid
from typing import Any
from unittest import mock

from django.db import connection
from django.utils import translation

from ruta.jobs.actions import recover_interrupted
from ruta.jobs.models import Job
from ruta.program import dedupe, exports, indicators
from ruta.program.imports import importer
from ruta.program.imports.importer import import_file
from ruta.program.models import Attendance, Participant, StagedImport
from ruta.program.tests.io_helpers import HEADER, csv_bytes, make_activity, person
from ruta.program.tests.test_imports import ImportTestCase


class StagedImportTest(ImportTestCase):
    def setUp(self) -> None:
        super().setUp()
        if connection.vendor != "sqlite":
            self.skipTest("PostgreSQL imports in one transaction")
        self.first = make_activity(self.programme, dt.date(2025, 3, 10))
        self.second = make_activity(self.programme, dt.date(2025, 4, 2))
        header = [*HEADER, "activity_id"]
        assert import_file(self.programme, "participants", csv_bytes([person("OLD") + [self.first.pk]],
                                                                     header=header), user=self.user).ok
        self.old = Participant.objects.get(code="OLD")
        # The visible person's new attendance, then new people (one looks like a duplicate of OLD).
        self.rows = [person("OLD") + [self.second.pk], person("N1") + [self.first.pk],
                     person("N2", name="Rosa Huamán") + [self.first.pk], person("N3") + [self.second.pk]]
        self.header = header

    def reached(self) -> float | None:
        return indicators.compute(self.programme)["youth_reached"].value

    def seen(self) -> dict[str, Any]:
        self.old.refresh_from_db()
        return {
            "participants": Participant.objects.filter(programme=self.programme).count(),
            "attendance": Attendance.objects.filter(programme=self.programme).count(),
            "old_sessions": self.old.sessions_attended,
            "reached": self.reached(),
            "duplicates": len(dedupe.suggestions(self.programme)),
            "exported": len(list(exports.csv_lines("participants", self.programme))) - 1,
            "history": Participant.history.filter(programme=self.programme).count(),  # type: ignore[attr-defined]
        }

    def import_watching(self, rows: list[list[Any]], **kw: Any) -> tuple[importer.ImportResult, list[dict[str, Any]]]:
        during: list[dict[str, Any]] = []
        with mock.patch.object(importer, "BATCH", 2):
            result = import_file(self.programme, "participants", csv_bytes(rows, header=self.header), user=self.user,
                                 progress=lambda n: during.append({"rows": n, **self.seen()}), **kw)
        return result, during

    def test_nothing_of_a_staged_import_is_seen_until_it_is_published(self) -> None:
        before = self.seen()
        self.assertEqual((before["participants"], before["old_sessions"], before["reached"]), (1, 1, 1))
        result, during = self.import_watching(self.rows)
        self.assertTrue(result.ok, result.errors)
        self.assertEqual([d["rows"] for d in during], [2, 4])
        self.assertGreater(Participant.all_objects.count(), 1)
        for state in during:
            self.assertEqual({k: v for k, v in state.items() if k != "rows"}, before)  # not even the facts moved
        after = self.seen()
        self.assertEqual((after["participants"], after["attendance"], after["old_sessions"], after["reached"]),
                         (4, 5, 2, 4))
        self.assertEqual((result.participants_created, result.participants_existing, result.attendance_created),
                         (3, 1, 4))
        self.assertFalse(StagedImport.objects.exists())
        self.assertLess(result.longest_write_s, 2)

    def test_a_file_with_one_bad_row_leaves_nothing_behind(self) -> None:
        before = self.seen()
        result, during = self.import_watching([*self.rows, person("N4", group="astronaut") + [self.first.pk]])
        self.assertEqual(result.error_count, 1)
        self.assertGreater(len(during), 1)
        self.assertEqual(self.seen(), before)
        self.assertEqual((Participant.all_objects.count(), Attendance.all_objects.count()), (1, 1))
        self.assertFalse(StagedImport.objects.exists())

    def test_a_second_import_of_people_being_staged_is_refused_not_doubled(self) -> None:
        other = uuid.uuid4()
        with mock.patch.object(importer, "discard"), mock.patch.object(importer.Importer, "_publish_deferred",
                                                                        side_effect=RuntimeError):
            with self.assertRaises(RuntimeError):
                import_file(self.programme, "participants", csv_bytes(self.rows, header=self.header), user=self.user,
                            job_id=other)
        self.assertTrue(StagedImport.objects.filter(job_id=other).exists())  # as a killed worker leaves it
        result = import_file(self.programme, "participants", csv_bytes(self.rows, header=self.header), user=self.user)
        self.assertEqual({e.row for e in result.errors}, {3, 4, 5})  # N1, N2, N3: another import holds them
        importer.discard(other)
        again = import_file(self.programme, "participants", csv_bytes(self.rows, header=self.header), user=self.user)
        self.assertTrue(again.ok, again.errors)
        self.assertEqual(Participant.objects.count(), 4)

    def test_a_worker_killed_mid_import_is_cleaned_up_at_the_next_start(self) -> None:
        dead = subprocess.Popen([sys.executable, "-c", "pass"])
        dead.wait()
        job = Job.objects.create(kind="program.import", status=Job.Status.RUNNING, requested_by=self.user,
                                 worker=f"{socket.gethostname()}:{dead.pid}")
        before = self.seen()
        with mock.patch.object(importer, "discard"), mock.patch.object(importer.Importer, "_publish_deferred",
                                                                        side_effect=KeyboardInterrupt):
            with self.assertRaises(KeyboardInterrupt):
                import_file(self.programme, "participants", csv_bytes(self.rows, header=self.header), user=self.user,
                            job_id=uuid.UUID(str(job.pk)))
        self.assertEqual(Participant.all_objects.count(), 4)
        self.assertEqual(self.seen(), before)  # left behind, but unseen
        with translation.override("es-pe"):
            self.assertEqual(recover_interrupted(), 1)
        self.assertEqual((Participant.all_objects.count(), Attendance.all_objects.count()), (1, 1))
        self.assertFalse(StagedImport.objects.exists())
        self.assertEqual(self.seen(), before)
