"""Reports per objective and question: first attempts, gain, withheld small counts, exports = screen."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from ruta.learning import actions
from ruta.learning.models import LiveSession
from ruta.learning.report import build
from ruta.learning.tests.test_live import LiveTestCase
from ruta.program.models import Attendance, Participant, Programme
from ruta.program.tests import fixtures


class ReportTest(LiveTestCase):
    def run_phase(self, people: list[Participant], phase: str, right: int) -> LiveSession:
        session = actions.open_session(self.facilitator, self.activity, self.course, phase)
        for person in people:
            seat = actions.admit(self.facilitator, actions.join(session))
            seat = actions.pick_participant(seat, person.pk)
            for i, q in enumerate(actions.seat_questions(seat)):
                wrong = [c for c in range(len(q.choices("es"))) if c not in q.correct][:1]
                actions.answer(seat, q.code, q.correct if i < right else wrong)
                if i == 0:  # a second attempt never counts
                    actions.answer(seat, q.code, wrong)
        actions.close_session(self.facilitator, session)
        return session

    def people(self, n: int) -> list[Participant]:
        out = []
        for i in range(n):
            person = fixtures.participant(self.cast, f"P-R{i:05d}", name=f"Persona{i} Apellido")
            Attendance.objects.get_or_create(activity=self.activity, participant=person)
            out.append(person)
        return out

    def test_objective_shares_and_gain_over_first_attempts(self) -> None:
        people = self.people(6)
        self.run_phase(people, "pre", right=3)   # questions 1–3 right: all on objective one (1–6)
        self.run_phase(people, "post", right=6)  # 1–6 right
        report = build(self.course, Programme.objects.all())
        one, two = report.objective_rows
        self.assertEqual((one[1], one[2], one[3], one[4], one[5]), ("6", 50.0, "6", 100.0, 50.0))
        self.assertEqual((two[2], two[4], two[5]), (0.0, 0.0, 0.0))
        self.assertEqual(len(report.question_rows), 20)

    def test_figures_from_fewer_than_five_people_are_withheld(self) -> None:
        self.run_phase(self.people(4), "pre", right=3)
        report = build(self.course, Programme.objects.all())
        self.assertEqual(report.objective_rows[0][1:3], ["<5", "<5"])

    def test_another_organisations_answers_are_not_counted(self) -> None:
        self.run_phase(self.people(6), "pre", right=3)
        report = build(self.course, Programme.objects.none())
        self.assertEqual(report.objective_rows[0][1], "0")

    def test_the_csv_matches_the_screen(self) -> None:
        self.run_phase(self.people(5), "pre", right=4)
        url = reverse("learning:report", args=["sample"])
        page = self.client.get(url + "?por=sex")
        self.assertEqual(page.status_code, 200)
        report = page.context["report"]
        body = self.client.get(reverse("learning:report_export", args=["sample", "csv"]) + "?por=sex")
        rows = list(csv.reader(io.StringIO(body.content.decode("utf-8-sig"))))
        expected = [["Preguntas"], report.question_header, *report.question_rows, [],
                    ["Objetivos"], report.objective_header, *report.objective_rows, []]
        self.assertEqual(rows, [[str(c) for c in r] for r in expected])
        self.assertEqual(self.client.get(reverse("learning:report_export", args=["sample", "xlsx"])).status_code, 200)
