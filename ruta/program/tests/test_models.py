from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test import TestCase

from ruta.lib.fields import search_hash
from ruta.program.models import NAME_HASH_PURPOSE, Activity, Attendance, Participant, Programme


def make_programme(**kw: object) -> Programme:
    defaults = {"name": "Grant", "donor": "EMpower", "starts_on": dt.date(2025, 1, 1), "ends_on": dt.date(2025, 12, 31)}
    defaults.update(kw)
    return Programme.objects.create(**defaults)


class AttendanceFactsTest(TestCase):
    def test_triggers_keep_participant_facts_equal_to_attendance(self) -> None:
        prog = make_programme()
        person = Participant.objects.create(
            programme=prog, code="P1", birth_date=dt.date(2008, 5, 1), registered_on=dt.date(2025, 1, 5),
            group="youth", district_id="170101", name="Ana Quispe",
        )
        acts = [
            Activity.objects.create(programme=prog, type="workshop", date=dt.date(2025, m, 10), duration_minutes=90,
                                    district_id="170101", place="IE 1", target_group="youth")
            for m in (3, 1, 6)
        ]
        for act in acts:
            Attendance.objects.create(activity=act, participant=person)
        person.refresh_from_db()
        self.assertEqual((person.sessions_attended, person.first_attended_on, person.last_attended_on),
                         (3, dt.date(2025, 1, 10), dt.date(2025, 6, 10)))
        Attendance.objects.filter(activity=acts[1]).delete()
        Attendance.objects.filter(activity=acts[2]).update(date=dt.date(2025, 2, 1))
        person.refresh_from_db()
        self.assertEqual((person.sessions_attended, person.first_attended_on, person.last_attended_on),
                         (2, dt.date(2025, 2, 1), dt.date(2025, 3, 10)))

    def test_the_name_is_stored_encrypted_with_a_hash_for_blocking(self) -> None:
        prog = make_programme()
        Participant.objects.create(programme=prog, code="P2", birth_date=dt.date(2008, 5, 1),
                                   registered_on=dt.date(2025, 1, 5), group="youth", district_id="170101",
                                   name="José  Pérez")
        with connection.cursor() as cur:
            cur.execute("SELECT name, name_hash FROM program_participant")
            stored, name_hash = cur.fetchone()
        self.assertNotIn("Pérez", stored)
        self.assertEqual(name_hash, search_hash("jose perez", NAME_HASH_PURPOSE))
