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


class DatabaseKeptFactsTest(TestCase):
    def test_age_at_first_attendance_and_latest_post_test_follow_the_rows(self) -> None:
        from decimal import Decimal

        from ruta.program.models import AssessmentResult, Instrument

        prog = make_programme()
        person = Participant.objects.create(
            programme=prog, code="P3", birth_date=dt.date(2000, 7, 1), registered_on=dt.date(2025, 1, 5),
            group="youth", district_id="170101",
        )
        act = Activity.objects.create(programme=prog, type="workshop", date=dt.date(2025, 6, 30), duration_minutes=60,
                                      district_id="170101", place="IE", target_group="youth")
        Attendance.objects.create(activity=act, participant=person)
        person.refresh_from_db()
        self.assertEqual(person.first_age, 24)  # the day before turning 25
        person.birth_date = dt.date(2000, 6, 1)
        person.save()
        person.refresh_from_db()
        self.assertEqual((person.first_age, person.sessions_attended), (25, 1))  # save() kept the count
        test = Instrument.objects.create(programme=prog, code="t", title="T", items={"version": 1, "items": []},
                                         answer_key={"version": 1, "answers": {}}, scoring={"version": 1})
        common = {"participant": person, "instrument": test, "answers": {}, "max_score": 10, "rule": {}}
        AssessmentResult.objects.create(phase="post", taken_on=dt.date(2025, 7, 1), score=8, score_percent=80,
                                        **common)
        person.refresh_from_db()
        self.assertEqual((person.post_score_percent, person.knowledge_gain), (Decimal("80.00"), None))
        AssessmentResult.objects.create(phase="pre", taken_on=dt.date(2025, 6, 30), score=3, score_percent=30,
                                        **common)
        person.refresh_from_db()
        self.assertEqual((person.post_taken_on, person.knowledge_gain), (dt.date(2025, 7, 1), Decimal("50.00")))
        AssessmentResult.objects.filter(phase="post").delete()
        person.refresh_from_db()
        self.assertEqual((person.post_taken_on, person.knowledge_gain), (None, None))
