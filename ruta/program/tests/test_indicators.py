"""Indicators against a dataset small enough to count by hand (see the table below)."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from ruta.program.actions import record_sheet
from ruta.program.indicators import (
    REGISTRY,
    Filters,
    Slice,
    build_cubes,
    compute,
    months_between,
    youth_reached_by_month,
)
from ruta.program.models import Activity, Attendance, Instrument, Participant, Programme

D = dt.date

# code: (sex, birth date, group, district)
PEOPLE = {
    "A": ("female", D(2000, 7, 1), "youth", "170101"),  # 24 at first attendance, turns 25 on 1 July
    "B": ("male", D(2010, 2, 1), "youth", "170101"),  # 15; three sessions in the year: completes
    "C": ("unknown", D(2012, 1, 1), "youth", "170204"),  # sex not recorded; 13
    "D": ("female", D(1999, 1, 1), "youth", "170101"),  # 26: not youth
    "E": ("female", D(2008, 5, 1), "youth", "170301"),  # first attended in Dec 2024, again in Feb 2025
    "F": ("male", D(2008, 3, 1), "youth", "170101"),  # attended only in Dec 2024 (outside)
    "G": ("female", D(2007, 1, 1), "youth", "170104"),  # Nov 2025 and Jan 2026 (after the period)
    "H": ("female", D(2005, 1, 1), "youth", "170101"),  # Dec 2024, Mar and Jun 2025: 2 in period
    "T1": ("female", D(1990, 1, 1), "teacher", "170301"),
    "T2": ("male", D(1985, 1, 1), "authority", "170301"),
}
# code: (date, district, target group, attendees)
ACTIVITIES = {
    "X0": (D(2024, 12, 15), "170101", "youth", ["E", "F", "H"]),
    "X1": (D(2025, 3, 10), "170101", "youth", ["A", "B", "C", "D", "H"]),
    "X2": (D(2025, 6, 10), "170204", "youth", ["B", "C", "H"]),
    "X3": (D(2025, 9, 10), "170101", "youth", ["A", "B"]),
    "X4": (D(2025, 2, 10), "170301", "teacher", ["T1", "T2", "E"]),
    "X5": (D(2025, 11, 20), "170101", "youth", ["G"]),
    "X6": (D(2026, 1, 15), "170101", "youth", ["G"]),
}
YEAR = Filters(start=D(2025, 1, 1), end=D(2025, 12, 31))


class IndicatorsTest(TestCase):
    prog: Programme
    people: dict[str, Participant]
    acts: dict[str, Activity]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.prog = Programme.objects.create(name="Grant", donor="EMpower", starts_on=D(2024, 7, 1),
                                            ends_on=D(2026, 6, 30), completion_sessions=3)
        cls.people = {
            code: Participant.objects.create(programme=cls.prog, code=code, sex=sex, birth_date=birth, group=group,
                                             district_id=district, registered_on=D(2024, 7, 1),
                                             guardian_consent=True)
            for code, (sex, birth, group, district) in PEOPLE.items()
        }
        cls.acts = {}
        for code, (day, district, group, attendees) in ACTIVITIES.items():
            act = Activity.objects.create(programme=cls.prog, type="workshop", title=code, date=day,
                                          duration_minutes=90, district_id=district, place="IE", target_group=group)
            cls.acts[code] = act
            for person in attendees:
                Attendance.objects.create(activity=act, participant=cls.people[person])
        test = Instrument.objects.create(
            programme=cls.prog, code="rights", version=1, title="Rights",
            items={"version": 1, "items": [{"id": f"q{i}", "text": {"es": "?", "en": "?"},
                                            "choices": [{"id": "a"}, {"id": "b"}]} for i in range(1, 5)]},
            answer_key={"version": 1, "answers": {"q1": "a", "q2": "a", "q3": "a", "q4": "a"}},
            scoring={"version": 1, "rule": "percent_correct", "pass_percent": 70},
        )
        p = cls.people
        record_sheet(test, phase="pre", taken_on=D(2025, 3, 10), activity=None, actor=None, sheet={
            p["B"].pk: {"q1": "a", "q2": "b", "q3": "b", "q4": "b"},  # 25 %
            p["C"].pk: {"q1": "a", "q2": "a", "q3": "b", "q4": None},  # 50 %
        })
        record_sheet(test, phase="post", taken_on=D(2025, 9, 10), activity=None, actor=None, sheet={
            p["B"].pk: {"q1": "a", "q2": "a", "q3": "a", "q4": "b"},  # 75 %: gain 50
            p["C"].pk: {"q1": "a", "q2": "b", "q3": "a", "q4": "b"},  # 50 %: gain 0
            p["A"].pk: {"q1": "a", "q2": "a", "q3": "a", "q4": "a"},  # 100 %, no pre-test
        })

    def values(self, f: Filters = YEAR) -> dict[str, float | None]:
        return {code: v.value for code, v in compute(self.prog, f).items()}

    def test_the_year_counts_each_person_once_and_only_inside_the_period(self) -> None:
        # Youth: A (24 then 25), B, C (sex unknown), E (one session in 2025), G (one in 2025), H.
        # Not D (26), not F (only Dec 2024), not T1/T2 (adults).
        self.assertEqual(self.values(), {
            "youth_reached": 6,
            "youth_completed": 1,  # only B; H has three sessions but two in 2025
            "adults_trained": 2,
            "sessions_delivered": 5,  # X1–X5
            "post_test_pass_share": 66.7,  # B and A of B, C, A
            "mean_knowledge_gain": 25.0,  # (50 + 0) / 2; A has no pre-test
        })

    def test_disaggregation_by_sex_and_age_band(self) -> None:
        cubes = build_cubes(self.prog, YEAR)
        youth = REGISTRY["youth_reached"]
        self.assertEqual(youth.value(cubes, Slice(sex="female")).value, 4)  # A, E, G, H
        self.assertEqual(youth.value(cubes, Slice(sex="male")).value, 1)
        self.assertEqual(youth.value(cubes, Slice(sex="unknown")).value, 1)
        self.assertEqual(youth.value(cubes, Slice(age_band="20-24")).value, 1)  # A, by age at first attendance
        self.assertEqual(youth.value(cubes, Slice(age_band="15-19")).value, 4)  # B, E, G, H
        self.assertEqual(youth.value(cubes, Slice(age_band="10-14")).value, 1)  # C
        self.assertEqual(REGISTRY["adults_trained"].value(cubes, Slice(group="teacher")).value, 1)
        self.assertEqual(REGISTRY["adults_trained"].value(cubes, Slice(group="authority")).value, 1)
        self.assertEqual(REGISTRY["mean_knowledge_gain"].value(cubes, Slice(sex="male")).value, 50.0)

    def test_filters_by_place_group_and_a_shorter_period(self) -> None:
        tahuamanu = self.values(Filters(YEAR.start, YEAR.end, province="1703"))
        self.assertEqual((tahuamanu["youth_reached"], tahuamanu["adults_trained"],
                          tahuamanu["sessions_delivered"]), (1, 2, 1))
        huepetuhe = self.values(Filters(YEAR.start, YEAR.end, district="170204"))
        self.assertEqual((huepetuhe["youth_reached"], huepetuhe["sessions_delivered"]), (1, 1))
        teachers = self.values(Filters(YEAR.start, YEAR.end, group="teacher"))
        self.assertEqual((teachers["youth_reached"], teachers["adults_trained"], teachers["sessions_delivered"]),
                         (0, 1, 1))
        q1 = self.values(Filters(D(2025, 1, 1), D(2025, 3, 31)))
        self.assertEqual((q1["youth_reached"], q1["youth_completed"], q1["sessions_delivered"]), (5, 0, 2))
        self.assertIsNone(q1["post_test_pass_share"])  # no post-test in the quarter

    def test_everyone_in_the_whole_programme_period(self) -> None:
        values = self.values(Filters.for_programme(self.prog))
        # F now counts (Dec 2024), and H and G complete nothing new: H has 3 sessions → completes.
        self.assertEqual((values["youth_reached"], values["youth_completed"], values["sessions_delivered"]), (7, 2, 7))

    def test_monthly_trend_counts_new_people_by_month_of_first_attendance(self) -> None:
        cubes = build_cubes(self.prog, YEAR)
        months = months_between(YEAR.start, YEAR.end)
        trend = dict(zip(months, youth_reached_by_month(cubes, months)))
        self.assertEqual(trend["2025-03"], 3)  # A, B, C (H and E first came in Dec 2024)
        self.assertEqual(trend["2025-11"], 1)  # G
        self.assertEqual(sum(trend.values()), 4)

    def test_periods_that_people_attended_on_both_sides_of(self) -> None:
        # April–May 2025: A (Mar, Sep), B (Mar, Jun, Sep) and H (Mar, Jun) came before and after, not in it.
        spring = self.values(Filters(D(2025, 4, 1), D(2025, 5, 31)))
        self.assertEqual((spring["youth_reached"], spring["youth_completed"], spring["adults_trained"]), (0, 0, 0))
        # June 2025: B (before and after), C and H (before, and in June).
        june = self.values(Filters(D(2025, 6, 1), D(2025, 6, 30)))
        self.assertEqual((june["youth_reached"], june["youth_completed"]), (3, 0))
        # March–December 2025: H has three sessions in all but two in it; B has three in it.
        rest = self.values(Filters(D(2025, 3, 1), D(2025, 12, 31)))
        self.assertEqual((rest["youth_reached"], rest["youth_completed"]), (5, 1))

    def test_every_month_aligned_period_matches_the_attendance_rows(self) -> None:
        rows = list(Attendance.objects.values_list("participant__code", "date"))
        months = [D(2024, 12, 1), *[D(2025, m, 1) for m in range(1, 13)], D(2026, 1, 1), D(2026, 2, 1)]
        youth = {code for code, (_s, _b, group, _d) in PEOPLE.items() if group == "youth" and code != "D"}  # D: 26
        for i, start in enumerate(months[:-1]):
            for end_next in months[i + 1:]:
                end = end_next - dt.timedelta(days=1)
                sessions: dict[str, int] = {}
                for code, day in rows:
                    if start <= day <= end:
                        sessions[code] = sessions.get(code, 0) + 1
                got = self.values(Filters(start, end))
                came = youth & set(sessions)
                with self.subTest(start=start, end=end):
                    self.assertEqual(got["youth_reached"], len(came))
                    self.assertEqual(got["youth_completed"], len([c for c in came if sessions[c] >= 3]))
                    self.assertEqual(got["adults_trained"], len({"T1", "T2"} & set(sessions)))
