"""Reports per objective and question: first attempts, gain, withheld small counts, exports = screen."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import openpyxl
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

    def people(self, n: int, *, sex: str = "female", start: int = 0) -> list[Participant]:
        out = []
        for i in range(start, start + n):
            person = fixtures.participant(self.cast, f"P-R{i:05d}", name=f"Persona{i} Apellido", sex=sex)
            Attendance.objects.get_or_create(activity=self.activity, participant=person)
            out.append(person)
        return out

    def test_objective_shares_and_gain_over_first_attempts(self) -> None:
        people = self.people(10)
        self.run_phase(people, "pre", right=3)   # questions 1–3 right: all on objective one (1–6)
        self.run_phase(people, "post", right=6)  # 1–6 right
        report = build(self.course, Programme.objects.all())
        one, two = report.objective_rows
        self.assertEqual((one[1], one[2], one[3], one[4], one[5]), ("10", 50.0, "10", 100.0, 50.0))
        self.assertEqual((two[2], two[4], two[5]), (0.0, 0.0, 0.0))
        self.assertEqual(len(report.question_rows), 20)
        # The 10 people are split between the test's forms: no question has 10 answers, no share.
        answered = [row for row in report.question_rows if row[3] != "0"]
        self.assertTrue(answered and all(row[4] == "n<10" and row[8] == "n<10" for row in answered))

    def test_counts_from_fewer_than_five_and_shares_from_fewer_than_ten_people_are_withheld(self) -> None:
        self.run_phase(self.people(4), "pre", right=3)
        report = build(self.course, Programme.objects.all())
        self.assertEqual(report.objective_rows[0][1:3], ["<5", "n<10"])
        self.run_phase(self.people(5, start=4), "pre", right=3)  # 9 people: counted, no share yet
        report = build(self.course, Programme.objects.all())
        self.assertEqual(report.objective_rows[0][1:3], ["9", "n<10"])
        answered = [row for row in report.question_rows if row[3] != "0"]
        self.assertTrue(answered and all(row[4] == row[8] == row[9] == "n<10" for row in answered))

    def test_an_attacker_reading_every_breakdown_together_recovers_no_small_count(self) -> None:
        """12 women and 2 men: the men's "<5" by sex must not come back from the people of the
        objective (no breakdown) or of the question, published in the other views."""
        from ruta.testing.disclosure import recovered

        self.run_phase(self.people(12) + self.people(2, sex="male", start=12), "pre", right=3)
        reports = [build(self.course, Programme.objects.all(), by) for by in ["", "sex", "group", "age_band",
                                                                               "district"]]
        parts, tables = reports[0].people_set
        self.assertTrue(all(r.people_set == (parts, tables) for r in reports))  # one set, whatever the view
        self.assertFalse(recovered(parts, tables))
        by_sex = {row[0]: row[2] for row in reports[1].objective_rows if row[1] == reports[1].objective_rows[0][1]}
        self.assertEqual(by_sex["Hombre"], "<5")
        published = {reports[0].objective_rows[0][1], reports[0].question_rows[0][3], by_sex["Mujer"]}
        self.assertIn("x", published)  # 14 people or 12 women: one of them is hidden

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

    def test_the_xlsx_matches_the_screen(self) -> None:
        people = self.people(10)  # shares need 10 people (suppression.MIN_BASE)
        self.run_phase(people, "pre", right=3)
        self.run_phase(people, "post", right=7)
        for by in ("", "sex"):
            query = f"?por={by}" if by else ""
            page = self.client.get(reverse("learning:report", args=["sample"]) + query)
            self.assertEqual(page.status_code, 200)
            screen = _tables(page.content.decode())
            body = self.client.get(reverse("learning:report_export", args=["sample", "xlsx"]) + query)
            self.assertEqual(body.status_code, 200)
            book = openpyxl.load_workbook(io.BytesIO(body.content), read_only=True)
            self.assertEqual(book.sheetnames, ["Preguntas", "Objetivos"])
            for title in book.sheetnames:
                sheet = [[_figure(v) for v in row] for row in book[title].iter_rows(values_only=True)]
                self.assertEqual(sheet, [[_figure(v) for v in row] for row in screen[title]], (by, title))
            # The shares are numbers a spreadsheet can work with (or a withheld mark), and some were shown.
            header, *rows = book["Objetivos"].iter_rows(values_only=True)
            shares = [row[i] for row in rows for i, h in enumerate(header) if str(h).endswith("(%)")]
            self.assertTrue(all(isinstance(v, int | float) or v in ("<5", "—", "n<10") for v in shares), shares)
            self.assertTrue(any(isinstance(v, int | float) for v in shares), shares)


class _TableReader(HTMLParser):
    """The report page's tables as text, by the heading before each: {"Objetivos": [[header], [row]…]}."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.heading = ""
        self.cell: list[str] | None = None
        self.row: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "h2":
            self.heading = ""
            self.cell = []
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self.cell is not None:
            self.heading, self.cell = "".join(self.cell).strip(), None
        elif tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables.setdefault(self.heading, []).append(self.row)
            self.row = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def _tables(html: str) -> dict[str, list[list[str]]]:
    reader = _TableReader()
    reader.feed(html)
    return reader.tables


def _figure(value: object) -> object:
    """A cell as a reader takes it: "50,0" on the Spanish screen and 50.0 in the workbook are the same figure."""
    text = "" if value is None else str(value).strip()
    if re.fullmatch(r"-?\d+(?:[.,]\d+)?", text):
        return float(text.replace(",", "."))
    return text
