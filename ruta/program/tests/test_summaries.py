"""The monthly summaries give the figures the raw tables give, for every range of whole
months, after any sequence of writes (attendance added, moved and removed, people edited,
merged and deleted, post-tests, the completion threshold changed), and the indicators
read the raw tables while anything waits to be settled."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from ruta.accounts.models import Organisation
from ruta.accounts.roles import OrganisationKind
from ruta.program import summaries
from ruta.program.indicators import (
    Filters,
    build_cubes,
    cubes_from,
    month_aligned,
    raw_statements,
    summary_statements,
    uses_summaries,
)
from ruta.program.models import Activity, AssessmentResult, Attendance, Instrument, Participant, Programme

D = dt.date
MONTHS = [D(2025, m, 1) for m in range(1, 7)]
DISTRICTS = ["170101", "170102", "170201"]


def _end_of(day: dt.date) -> dt.date:
    nxt = D(day.year + day.month // 12, day.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _cubes(programme: Programme, f: Filters, *, summarised: bool) -> Any:
    made = summary_statements(programme, f) if summarised else raw_statements(programme, f)
    rows = []
    for sql, params in made:
        with connection.cursor() as cur:
            cur.execute(sql, params)
            rows.append(cur.fetchall())
    return cubes_from(*rows, summarised=summarised)


def _figures(cubes: Any) -> Any:
    people = sorted((c.sex, c.group, c.band, c.district, c.reached, c.completed, c.posts, c.passes, c.pairs,
                     round(c.gain_sum, 2)) for c in cubes.people)
    return people, dict(cubes.youth_by_month), sorted((s.group, s.district, s.sessions) for s in cubes.sessions)


OPS = st.lists(st.tuples(st.sampled_from(["attend"] * 8 + ["unattend", "move", "edit", "birth",
                                          "post", "merge", "delete", "threshold"]),
                         st.integers(0, 5), st.integers(0, 29), st.integers(0, 5)), min_size=10, max_size=80)


class SummariesMatchRawTables(TestCase):
    def setUp(self) -> None:
        org, _new = Organisation.objects.get_or_create(name="Summary NGO", kind=OrganisationKind.NGO,
                                                       district_id="170101")
        self.programme = Programme.objects.create(name=f"Summary grant {Programme.objects.count()}", donor="D",
                                                  starts_on=D(2025, 1, 1),
                                                  ends_on=D(2025, 6, 30), completion_sessions=2,
                                                  organisation=org)
        self.people = [
            Participant.objects.create(programme=self.programme, code=f"S-{i}",
                                       sex=["female", "male", "unknown"][i % 3],
                                       birth_date=D(2000 + i, 3, 1 + i), registered_on=D(2025, 1, 1),
                                       group=["youth", "youth", "teacher"][i % 3], district_id=DISTRICTS[i % 3])
            for i in range(6)
        ]
        self.activities = [
            Activity.objects.create(programme=self.programme, type="workshop",
                                    date=D(2025, 1 + k % 6, 1 + 5 * (k // 6)),
                                    duration_minutes=60, district_id=DISTRICTS[k % 3], place="IE",
                                    target_group="youth")
            for k in range(30)
        ]
        self.instrument = Instrument.objects.create(programme=self.programme, code="rights", title="Rights",
                                                    items={"version": 1, "items": []},
                                                    answer_key={"version": 1, "answers": {}},
                                                    scoring={"version": 1, "rule": "percent_correct"})

    def _apply(self, op: str, i: int, k: int, m: int) -> None:
        person, act = self.people[i], self.activities[k]
        if not Participant.all_objects.filter(pk=person.pk).exists():
            return
        if op == "attend":
            Attendance.objects.get_or_create(activity=act, participant=person)
        elif op == "unattend":
            Attendance.objects.filter(activity=act, participant=person).delete()
        elif op == "move":  # an activity's new date moves its attendance (actions.update_activity)
            day = D(2025, 1 + m, 1 + k % 28)
            Activity.objects.filter(pk=act.pk).update(date=day)
            Attendance.objects.filter(activity=act).update(date=day)
        elif op == "edit":
            Participant.objects.filter(pk=person.pk).update(sex=["female", "male"][m % 2], group=["youth", "teacher",
                                                            "family"][m % 3], district_id=DISTRICTS[m % 3])
        elif op == "birth":
            Participant.objects.filter(pk=person.pk).update(birth_date=D(1996 + 3 * m, 1 + m, 10))
        elif op == "post":
            phase = "pre" if m < 2 else "post"
            AssessmentResult.objects.update_or_create(
                participant=person, instrument_code="rights", phase=phase,
                defaults={"instrument": self.instrument, "programme": self.programme,
                          "taken_on": D(2025, 1 + m, 1 + k % 28), "answers": {"version": 1, "answers": {}},
                          "score": k % 11, "max_score": 10, "score_percent": Decimal(k % 11 * 10) + Decimal("0.25"),
                          "rule": {"version": 1}})
        elif op == "merge":  # dedupe.merge_participants: shared activities dropped, the rest moved
            keep = self.people[(i + 1) % 6]
            if not Participant.all_objects.filter(pk=keep.pk).exists():
                return
            shared = Attendance.objects.filter(participant=keep).values("activity_id")
            Attendance.objects.filter(participant=person, activity_id__in=shared).delete()
            Attendance.objects.filter(participant=person).update(participant=keep)
        elif op == "delete":
            Attendance.objects.filter(participant=person).delete()
            AssessmentResult.objects.filter(participant=person).delete()
            Participant.all_objects.filter(pk=person.pk).delete()
        elif op == "threshold":
            Programme.objects.filter(pk=self.programme.pk).update(completion_sessions=1 + m)

    def _check_every_range(self) -> None:
        self.programme.refresh_from_db()
        for x, start in enumerate(MONTHS):
            for end in MONTHS[x:]:
                for f in (Filters(start, _end_of(end)), Filters(start, _end_of(end), district="170101"),
                          Filters(start, _end_of(end), group="youth", province="1702")):
                    self.assertEqual(_figures(_cubes(self.programme, f, summarised=True)),
                                     _figures(_cubes(self.programme, f, summarised=False)), (f, start, end))

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(OPS, st.booleans())
    def test_after_random_writes(self, ops: list[tuple[str, int, int, int]], settle_each: bool) -> None:
        for op in ops:
            self._apply(*op)
            if settle_each:
                summaries.settle()
        summaries.settle()
        self.assertTrue(summaries.ready(self.programme.pk))
        self._check_every_range()
        # A rebuild from the raw tables gives the same summary rows as the upkeep did.
        kept = self._summary_rows()
        summaries.rebuild(self.programme.pk)
        self.assertEqual(self._summary_rows(), kept)

    def _summary_rows(self) -> list[tuple[Any, ...]]:
        with connection.cursor() as cur:
            cur.execute('SELECT kind, month, lo, prev, sex, "group", district_id, band, people, passes, pairs, '
                        "gain_cents FROM program_reachsummary WHERE programme_id = %s ORDER BY 1, 2, 3, 4, 5, 6, 7, 8",
                        [self.programme.pk])
            return cur.fetchall()

    def test_two_months_of_two_sessions(self) -> None:
        # Threshold 2: two sessions in January and two in February complete once in Jan–Feb.
        for k in (0, 6, 1, 7):  # activities 0 and 6 in January, 1 and 7 in February
            self._apply("attend", 0, k, 0)
        summaries.settle()
        f = Filters(D(2025, 1, 1), D(2025, 2, 28))
        self.assertEqual(sum(c.completed for c in _cubes(self.programme, f, summarised=True).people), 1)
        self._check_every_range()

    def test_pending_people_send_reads_to_the_raw_tables(self) -> None:
        f = Filters(D(2025, 2, 1), D(2025, 3, 31))
        self.assertTrue(month_aligned(f))
        self.assertFalse(month_aligned(Filters(D(2025, 2, 1), D(2025, 3, 30))))
        Attendance.objects.create(activity=self.activities[1], participant=self.people[0])
        self.assertFalse(uses_summaries(self.programme, f))  # listed by the trigger, not settled
        self.assertEqual(sum(c.reached for c in build_cubes(self.programme, f).people), 1)
        summaries.settle()
        self.assertTrue(uses_summaries(self.programme, f))
        self.assertEqual(sum(c.reached for c in build_cubes(self.programme, f).people), 1)


def test_month_rows_by_hand() -> None:
    # Sessions: Jan 1, Mar 2, Apr 1, Jun 1; threshold 3.
    rows = summaries.month_rows([(202501, 1), (202503, 2), (202504, 1), (202506, 1)], 3)
    assert [r for r in rows if r[0] == "r"] == [("r", 202501, 202501, 0), ("r", 202503, 202503, 202501),
                                                ("r", 202504, 202504, 202503), ("r", 202506, 202506, 202504)]
    # By March: Jan–Mar has 3; by April: Mar–Apr has 3; by June: Mar–Jun (Apr–Jun has 2).
    assert [r for r in rows if r[0] == "c"] == [("c", 202503, 202501, 0), ("c", 202504, 202503, 202501)]



class WritersSettleBeforeTheyCommit(TestCase):
    """The app's writers leave nothing pending: the next read of whole months uses the summaries."""

    def setUp(self) -> None:
        from ruta.program.tests.io_helpers import make_activity, make_programme

        self.programme = make_programme(completion_sessions=2)
        self.first = make_activity(self.programme, D(2025, 3, 10))
        self.second = make_activity(self.programme, D(2025, 4, 2))

    def _reached(self, f: Filters) -> tuple[int, int]:
        cubes = _cubes(self.programme, f, summarised=True)
        raw = _cubes(self.programme, f, summarised=False)
        self.assertEqual(_figures(cubes), _figures(raw))
        return sum(c.reached for c in cubes.people), sum(c.completed for c in cubes.people)

    def test_an_import_with_attendance(self) -> None:
        from ruta.program.imports.importer import import_file
        from ruta.program.tests.io_helpers import HEADER, csv_bytes, person
        from ruta.testing.cast import make_cast

        user = make_cast().alpha["me_officer"]
        rows = [person("A1") + [self.first.pk], person("A1") + [self.second.pk], person("A2") + [self.first.pk]]
        result = import_file(self.programme, "participants", csv_bytes(rows, header=[*HEADER, "activity_id"]),
                             user=user)
        self.assertTrue(result.ok)
        f = Filters(D(2025, 3, 1), D(2025, 4, 30))
        self.assertTrue(uses_summaries(self.programme, f))
        self.assertEqual(self._reached(f), (2, 1))
        self.assertEqual(self._reached(Filters(D(2025, 4, 1), D(2025, 4, 30))), (1, 0))

    def test_attendance_screens(self) -> None:
        from ruta.program import actions

        people = [Participant.objects.create(programme=self.programme, code=f"W-{i}", sex="male",
                                             birth_date=D(2010, 1, 1), registered_on=D(2025, 1, 1), group="youth",
                                             district_id="170101") for i in range(3)]
        actions.set_attendance(self.first, [p.pk for p in people])
        actions.add_attendance(self.second, people[0])
        f = Filters(D(2025, 3, 1), D(2025, 4, 30))
        self.assertTrue(uses_summaries(self.programme, f))
        self.assertEqual(self._reached(f), (3, 1))
        actions.set_attendance(self.first, [people[1].pk])
        self.assertTrue(uses_summaries(self.programme, f))
        self.assertEqual(self._reached(f), (2, 0))
