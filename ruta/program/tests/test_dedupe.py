from __future__ import annotations

import datetime as dt

from django.test import TestCase

from ruta.accounts.models import User
from ruta.audit.models import AccessEvent
from ruta.program import dedupe
from ruta.program.models import AssessmentResult, Attendance, Instrument, Participant, Programme
from ruta.program.tests.io_helpers import make_activity, make_programme
from ruta.testing.cast import Cast, make_cast


def make_person(programme, code, name="Ana Quispe", *, sex="female", birth=dt.date(2008, 5, 1),  # type: ignore[no-untyped-def]
                district="170101", **kw):
    return Participant.objects.create(programme=programme, code=code, name=name, sex=sex, birth_date=birth,
                                      district_id=district, registered_on=dt.date(2025, 1, 10), group="youth", **kw)


class NameSimilarityTest(TestCase):
    def test_the_same_name_written_differently_is_similar(self) -> None:
        self.assertEqual(dedupe.name_similarity("José Pérez", "JOSE  PEREZ"), 1.0)
        self.assertGreater(dedupe.name_similarity("Quispe Ana", "Ana Quispe"), 0.9)
        self.assertGreater(dedupe.name_similarity("Ana Quispe", "Ana Quispe Mamani"), 0.9)
        self.assertGreater(dedupe.name_similarity("Ana Quispe", "Ana Quipse"), dedupe.SIMILARITY)

    def test_different_or_missing_names_are_not(self) -> None:
        self.assertLess(dedupe.name_similarity("Ana Quispe", "Rosa Huamán"), dedupe.SIMILARITY)
        self.assertEqual(dedupe.name_similarity("", "Ana Quispe"), 0.0)


class DuplicateTest(TestCase):
    cast: Cast
    user: User
    programme: Programme

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.user = cls.cast.alpha["coordinator"]
        cls.programme = make_programme(organisation=cls.cast.alpha_org)

    def test_suggestions_need_the_same_blocking_keys_and_a_similar_name(self) -> None:
        p = self.programme
        a = make_person(p, "A1", "Ana Quispe")
        b = make_person(p, "A2", "ana quipse")
        make_person(p, "A3", "Rosa Huamán")  # same block, other name
        make_person(p, "A4", "Ana Quispe", district="170102")  # other district
        make_person(p, "A5", "Ana Quispe", birth=dt.date(2008, 5, 2))  # other birth date
        make_person(p, "A6", "Ana Quispe", sex="male")  # other sex
        make_person(p, "A7", "")  # no name: nothing to compare
        found = dedupe.suggestions(p)
        self.assertEqual([(s.first["id"], s.second["id"]) for s in found], [(a.pk, b.pk)])
        self.assertEqual(found[0].first["name"], "Ana Quispe")

    def test_a_pair_marked_different_is_not_suggested_again(self) -> None:
        a = make_person(self.programme, "A1")
        b = make_person(self.programme, "A2")
        dedupe.mark_not_duplicate(self.programme, b.pk, a.pk, user=self.user)
        self.assertEqual(dedupe.suggestions(self.programme), [])
        event = AccessEvent.objects.get(action=dedupe.NOT_DUPLICATE)
        self.assertEqual(event.actor, self.user)

    def test_merge_moves_attendance_and_results_and_keeps_history(self) -> None:
        p = self.programme
        keep = make_person(p, "A1")
        retire = make_person(p, "A2", "Ana Quispe Mamani")
        shared, only_retired, other = (make_activity(p, dt.date(2025, m, 5)) for m in (2, 3, 4))
        for act in (shared, other):
            Attendance.objects.create(activity=act, participant=keep)
        for act in (shared, only_retired):
            Attendance.objects.create(activity=act, participant=retire)
        instrument = Instrument.objects.create(programme=p, code="T1", title="Test", items={"version": 1, "items": []},
                                               answer_key={"version": 1, "answers": {}},
                                               scoring={"version": 1, "rule": "percent_correct", "pass_percent": 70})
        common = {"instrument": instrument, "taken_on": dt.date(2025, 2, 5), "answers": {"version": 1, "answers": {}},
                  "score": 1, "max_score": 2, "score_percent": 50, "rule": {}}
        AssessmentResult.objects.create(participant=keep, phase="pre", **common)
        AssessmentResult.objects.create(participant=retire, phase="pre", **common)
        moved_post = AssessmentResult.objects.create(participant=retire, phase="post", **common)

        summary = dedupe.merge_participants(p, keep.pk, retire.pk, user=self.user)

        self.assertEqual((summary["attendance_moved"], summary["attendance_dropped"]), (1, 1))
        self.assertEqual((summary["results_moved"], summary["results_dropped"]), (1, 1))
        keep.refresh_from_db()
        retire.refresh_from_db()
        self.assertEqual(keep.sessions_attended, 3)
        self.assertEqual(retire.sessions_attended, 0)
        self.assertEqual(retire.merged_into, keep)
        # The facts the database keeps per person follow the rows that moved.
        self.assertEqual((keep.post_taken_on, retire.post_taken_on), (dt.date(2025, 2, 5), None))
        moved_post.refresh_from_db()
        self.assertEqual(moved_post.participant, keep)
        last = retire.history.latest()
        self.assertEqual((last.history_user, last.merged_into_id), (self.user, keep.pk))
        self.assertIn("merged into", last.history_change_reason)
        self.assertTrue(AssessmentResult.history.filter(history_type="-").exists())
        event = AccessEvent.objects.get(action=dedupe.MERGED)
        self.assertEqual((event.actor, event.detail["kept"]), (self.user, keep.pk))
        self.assertEqual(dedupe.suggestions(p), [])

    def test_merge_refuses_retired_records_itself_and_other_programmes(self) -> None:
        a = make_person(self.programme, "A1")
        b = make_person(self.programme, "A2")
        other = make_person(make_programme(name="Other"), "A3")
        with self.assertRaises(dedupe.MergeRefused):
            dedupe.merge_participants(self.programme, a.pk, a.pk, user=self.user)
        with self.assertRaises(dedupe.MergeRefused):
            dedupe.merge_participants(self.programme, a.pk, other.pk, user=self.user)
        dedupe.merge_participants(self.programme, a.pk, b.pk, user=self.user)
        with self.assertRaises(dedupe.MergeRefused):
            dedupe.merge_participants(self.programme, a.pk, b.pk, user=self.user)

    def test_the_kept_record_takes_an_exact_birth_date_and_a_missing_name(self) -> None:
        keep = make_person(self.programme, "A1", "", birth_date_estimated=True)
        retire = make_person(self.programme, "A2", "Ana Quispe")
        dedupe.merge_participants(self.programme, keep.pk, retire.pk, user=self.user)
        keep.refresh_from_db()
        self.assertEqual((keep.name, keep.birth_date_estimated), ("Ana Quispe", False))
