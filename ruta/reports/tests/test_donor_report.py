from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence

import openpyxl
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from ruta.program.models import ADULT_GROUPS, AgeBand, Attendance, Participant, Programme, Sex, Target
from ruta.program.tests.io_helpers import make_activity
from ruta.reports import render
from ruta.reports.donor import Period, PeriodError, build, parse_period, quarters
from ruta.reports.models import DonorNarrative
from ruta.testing.cast import BaseTestCase

D = dt.date


def grant(org) -> Programme:  # type: ignore[no-untyped-def]
    return Programme.objects.create(name="Grant", donor="EMpower", starts_on=D(2025, 1, 1), ends_on=D(2025, 12, 31),
                                    organisation=org, donor_organisation=org, completion_sessions=2)


BORN_2009 = D(2009, 1, 1)


def _boxes(box):  # type: ignore[no-untyped-def]
    """Every box WeasyPrint laid out on a page."""
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _boxes(child)


def people(programme: Programme, n: int, *, sex: str, prefix: str, birth: dt.date = BORN_2009,
           group: str = "youth") -> list[Participant]:
    return [Participant.objects.create(programme=programme, code=f"{prefix}{i}", sex=sex, birth_date=birth,
                                       registered_on=D(2025, 2, 1), group=group, district_id="170101",
                                       guardian_consent=True, name=f"Persona {prefix}{i}") for i in range(n)]


class DonorReportTest(BaseTestCase):
    programme: Programme
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.programme = p = grant(cls.cast.alpha_org)
        march = make_activity(p, D(2025, 3, 10))
        june = make_activity(p, D(2025, 6, 12), district_id="170201")
        girls = people(p, 12, sex="female", prefix="F")
        boys = people(p, 2, sex="male", prefix="M")
        teachers = people(p, 6, sex="female", prefix="T", birth=D(1985, 1, 1), group="teacher")
        for person in girls + boys + teachers:
            Attendance.objects.create(activity=march, participant=person)
        for person in girls[:7]:
            Attendance.objects.create(activity=june, participant=person)
        Target.objects.create(programme=p, indicator="youth_reached", value=1250)
        Target.objects.create(programme=p, indicator="youth_reached", sex="female", value=850)
        Target.objects.create(programme=p, indicator="youth_reached", sex="male", value=400)
        Target.objects.create(programme=p, indicator="adults_trained", group="teacher", value=60)

    def setUp(self) -> None:
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def report(self):  # type: ignore[no-untyped-def]
        return build(self.programme, Period(D(2025, 1, 1), D(2025, 12, 31)))

    def test_targets_show_progress_with_small_counts_suppressed(self) -> None:
        rows = {(t.indicator, t.slice_label): t for t in self.report().targets}
        self.assertEqual(rows[("youth_reached", "All")].actual, "14")
        self.assertEqual(rows[("youth_reached", "All")].progress, 1)
        # 12 girls and 2 boys beside a total of 14: the girls' count would give the boys away ("x").
        self.assertEqual(rows[("youth_reached", "Female")].actual, "x")
        male = rows[("youth_reached", "Male")]
        self.assertEqual((male.actual, male.progress), ("<5", None))
        self.assertEqual(rows[("adults_trained", "Teachers")].actual, "6")
        self.assertEqual(rows[("adults_trained", "Teachers")].progress, 10)

    def test_tables_suppress_small_cells_and_what_would_reveal_them(self) -> None:
        table = self.report().tables[0]  # young people by sex × age band
        cells = {label: (cells, total) for label, cells, total in table.rows}
        female_cells, female_total = cells["Female"]
        self.assertEqual(female_cells[1], "x")  # 12 aged 15–19 (born 2009: 16 in March 2025), beside 2 boys
        self.assertEqual(female_cells[0], "0")  # zero shows 0
        male_cells, male_total = cells["Male"]
        self.assertEqual((male_cells[1], male_total), ("<5", "<5"))
        self.assertNotIn("2", [*male_cells, male_total])
        self.assertEqual(table.total, "14")
        sessions = self.report().tables[3]  # sessions are not people: never suppressed
        self.assertEqual([(label, total) for label, _cells, total in sessions.rows],
                         [("Tambopata", "1"), ("Manu", "1")])
        indicators = {row.code: row.value for row in self.report().indicators}
        self.assertEqual((indicators["sessions_delivered"], indicators["adults_trained"]), ("2", "6"))

    def test_an_attacker_reading_every_table_of_the_report_recovers_no_small_count(self) -> None:
        from ruta.testing.disclosure import recovered

        parts, protected = self.report().people_set
        assert any(c.mark == "<5" for t in protected for r in t.cells for c in r)
        assert not recovered(parts, protected)

    def test_an_attacker_reading_the_donors_dashboard_and_report_together_recovers_no_small_count(self) -> None:
        """The donor's dashboard and the donor report for one period publish figures of one protected
        set: every count of people either page shows is that set's figure under its name, and an
        exact attacker reading the whole set (every table of both) pins no "<5" down."""
        from ruta.program import dashboard
        from ruta.program.disclosure import NEW_YOUTH, figure
        from ruta.program.indicators import Filters
        from ruta.testing.disclosure import recovered

        Target.objects.create(programme=self.programme, indicator="youth_reached", sex="male", province_id="1702",
                              value=10)
        Target.objects.create(programme=self.programme, indicator="youth_reached", province_id="1703", value=10)
        report = self.report()
        board = dashboard.build(self.programme, Filters(D(2025, 1, 1), D(2025, 12, 31)), suppress=True)
        people = board["people"]
        self.assertEqual(report.people_set, (people.parts, people.tables))  # one set for both
        assert not recovered(people.parts, people.tables)

        def text(name: tuple[object, ...]) -> str:
            return str(people[name]) if people[name].hidden else str(people[name].value)

        Y, C, A = "youth_reached", "youth_completed", "adults_trained"
        seen = []
        for table, code, row_dim in zip(board["tables"], (Y, C, A), ("age_band", "age_band", "group"), strict=True):
            rows = [b for b, _l in (AgeBand.choices if row_dim == "age_band" else [(g.value, 0) for g in ADULT_GROUPS])]
            for r, (_label, cells) in zip(rows, table.rows, strict=True):
                expected = [text(figure(code, **{row_dim: r, "sex": x})) for x, _l in Sex.choices]
                seen += [*cells]
                self.assertEqual(cells, [*expected, text(figure(code, **{row_dim: r}))])
            self.assertEqual(table.totals, [*(text(figure(code, sex=x)) for x, _l in Sex.choices), text(figure(code))])
        districts = board["districts"]
        for row in districts["rows"]:
            self.assertEqual(row["cells"][:3], [text(figure(c, district=row["code"])) for c in (Y, C, A)])
        self.assertEqual(districts["totals"][:3], [text(figure(c)) for c in (Y, C, A)])
        self.assertEqual([r["new"] for r in board["trend"]["rows"]],
                         [text(figure(NEW_YOUTH, month=m)) for m in board["trend"]["months"]])
        self.assertTrue(all(r["cumulative"] == "" for r in board["trend"]["rows"]))  # no running total
        two_slices = next(t for t in board["targets"] if t["indicator"].code == Y and " · " in t["slice"])
        self.assertEqual(two_slices["actual"], text(figure(Y, province="1702", sex="male")))
        report_target = next(t for t in report.targets if t.indicator == Y and " · " in t.slice_label)
        self.assertEqual(report_target.actual, two_slices["actual"])
        nobody_yet = next(t for t in board["targets"] if t["indicator"].code == Y and t["slice"] == "Tahuamanu")
        self.assertEqual(nobody_yet["actual"], "0")  # a province with no one reached: in the set, as 0
        headline = {h["code"]: h["value"] for h in board["headline"]}
        self.assertEqual([headline[c] for c in (Y, C, A)], [text(figure(c)) for c in (Y, C, A)])
        # The report's tables show the same figures.
        sexes, bands = [x for x, _l in Sex.choices], [b for b, _l in AgeBand.choices]
        groups = [g.value for g in ADULT_GROUPS]
        for table, code, ((row_dim, rows), (col_dim, cols)) in zip(report.tables[:3], (Y, A, Y), (
                (("sex", sexes), ("age_band", bands)), (("group", groups), ("sex", sexes)),
                (("district", report.district_codes), ("sex", sexes))), strict=True):
            self.assertEqual([(cells, total) for _label, cells, total in table.rows], [
                ([text(figure(code, **{row_dim: r, col_dim: c})) for c in cols], text(figure(code, **{row_dim: r})))
                for r in rows])
            self.assertEqual((table.totals, table.total), ([text(figure(code, **{col_dim: c})) for c in cols],
                                                           text(figure(code))))
        training = next(t for t in report.tables if t.title.startswith("People trained"))
        self.assertEqual([cells[0] for _label, cells, _t in training.rows],
                         [text(figure(Y)), *(text(figure(A, group=g)) for g in groups), text(figure(A))])
        self.assertEqual(report.youth_by_month_shown, [text(figure(NEW_YOUTH, month=m)) for m in report.months])
        indicators = {row.code: row.value for row in report.indicators}
        self.assertEqual([indicators[c] for c in (Y, C, A)], [headline[c] for c in (Y, C, A)])
        self.assertIn("<5", seen)

    def test_donor_figures_stop_at_the_last_closed_month_on_the_report_and_the_dashboard(self) -> None:
        from unittest import mock

        from ruta.program import dashboard
        from ruta.program.indicators import Filters

        with mock.patch("django.utils.timezone.localdate", return_value=D(2025, 6, 20)):
            report = self.report()
            board = dashboard.build(self.programme, Filters(D(2025, 1, 1), D(2025, 6, 20)), suppress=True)
            coordinator = dashboard.build(self.programme, Filters(D(2025, 1, 1), D(2025, 6, 20)), suppress=False)
        assert report.figures_period is not None
        self.assertEqual((report.figures_period.start, report.figures_period.end), (D(2025, 1, 1), D(2025, 5, 31)))
        self.assertEqual(report.figures_label, "01/01/2025 – 31/05/2025")
        self.assertEqual(report.months[-1], "2025-05")
        self.assertEqual(sum(report.sessions_by_month), 1)  # the June session is not counted yet
        self.assertNotIn("Manu", [label for label, _c, _t in report.tables[2].rows])
        self.assertEqual((board["filters"].end, board["trend"]["months"][-1]), (D(2025, 5, 31), "2025-05"))
        self.assertEqual(coordinator["trend"]["months"][-1], "2025-06")  # exact figures are live
        with mock.patch("django.utils.timezone.localdate", return_value=D(2025, 1, 20)):
            early = self.report()
            empty = dashboard.build(self.programme, Filters(D(2025, 1, 1), D(2025, 12, 31)), suppress=True)
        self.assertEqual((empty["trend"]["months"], empty["districts"]["rows"]), ([], []))
        self.assertEqual(early.figures_label, "No month of this period has closed yet.")
        self.assertEqual(early.months, [])

    def test_monthly_trend_suppresses_people_not_sessions(self) -> None:
        report = self.report()
        self.assertEqual(report.months[2], "2025-03")
        self.assertEqual(report.youth_by_month[2], 14)
        self.assertEqual((report.youth_by_month[5], report.youth_by_month_shown[5]), (0, "0"))  # zero shows 0
        self.assertEqual(report.sessions_by_month[2:6], [1, 0, 0, 1])

    def test_pdf_has_a_cover_and_pages_and_fetches_nothing(self) -> None:
        DonorNarrative.objects.create(programme=self.programme, period_start=D(2025, 1, 1),
                                      period_end=D(2025, 12, 31), summary="Trimestre con avances en Tambopata.")
        document = render.document(self.report())
        pages = [list(_boxes(page._page_box)) for page in document.pages]
        texts = [" ".join(b.text for b in boxes if type(b).__name__ == "TextBox") for boxes in pages]
        self.assertGreaterEqual(len(pages), 4)
        self.assertIn("REPORT TO THE DONOR", texts[0])  # text-transform: uppercase
        self.assertNotIn("Narrative", texts[0])  # the cover stands alone
        self.assertIn("Trimestre con avances en Tambopata.", " ".join(texts))
        self.assertIn("About small numbers", " ".join(texts))
        charts = [b for boxes in pages for b in boxes if type(b).__name__ in ("InlineReplacedBox", "BlockReplacedBox")]
        self.assertEqual(len(charts), 2)
        self.assertTrue(all(b.width > 300 and b.height > 100 for b in charts))
        pdf = document.write_pdf()
        self.assertTrue(pdf.startswith(b"%PDF-"))

    def test_xlsx_has_every_part_and_writes_text_as_text(self) -> None:
        content = render.xlsx(self.report())
        book = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(book.sheetnames, ["Cover", "Narrative", "Indicators", "Targets", "Disaggregation",
                                           "Monthly trend", "Definitions"])
        targets = book["Targets"]
        values = [[c.value for c in row] for row in targets.iter_rows(min_row=2, max_col=5)]
        self.assertIn(["Young people reached", "Male", 400, "<5", "—"], values)
        self.assertEqual(targets.cell(2, 4).data_type, "n")
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            sheets = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet"))
            self.assertNotIn("<f>", sheets)
            self.assertTrue(any(n.startswith("xl/charts/") for n in z.namelist()))

    def test_no_participant_code_or_name_appears_in_the_report(self) -> None:
        self.login(self.cast.alpha["donor"])
        response = self.client.get(reverse("reports:donor", kwargs={"pk": self.programme.pk}))
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        self.assertNotIn("Persona", body)
        self.assertNotIn(">F1<", body)
        self.assertIn("&lt;5", body)


class PeriodTest(TestCase):
    def test_periods_are_checked_against_the_programme(self) -> None:
        p = Programme(name="x", donor="y", starts_on=D(2025, 2, 15), ends_on=D(2025, 12, 31))
        self.assertEqual(parse_period(p, None, None), Period(D(2025, 2, 15), D(2025, 12, 31)))
        for start, end in (("2025-04-01", "2025-03-01"), ("2024-12-01", "2025-01-31"), ("31/03/2025", "")):
            with self.assertRaises(PeriodError):
                parse_period(p, start, end)
        qs = quarters(p)
        self.assertEqual([(q.start, q.end) for q in qs[:2]], [(D(2025, 2, 15), D(2025, 3, 31)),
                                                               (D(2025, 4, 1), D(2025, 6, 30))])
        self.assertEqual(len(qs), 5)


class NarrativeTest(BaseTestCase):
    programme: Programme
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.programme = grant(cls.cast.alpha_org)

    def url(self, name: str) -> str:
        return reverse(name, kwargs={"pk": self.programme.pk}) + "?start=2025-01-01&end=2025-03-31"

    def test_the_coordinator_writes_the_narrative_with_history(self) -> None:
        self.login(self.coordinator)
        response = self.client.post(self.url("reports:narrative"), {"summary": "Se capacitó a docentes.",
                                                                    "achievements": "", "challenges": "Lluvias.",
                                                                    "next_steps": ""})
        self.assertEqual(response.status_code, 302)
        narrative = DonorNarrative.objects.get()
        self.assertEqual((narrative.period_start, narrative.period_end), (D(2025, 1, 1), D(2025, 3, 31)))
        self.assertEqual(narrative.history.latest().history_user, self.coordinator)
        self.client.post(self.url("reports:narrative"), {"summary": "Versión 2", "achievements": "",
                                                         "challenges": "", "next_steps": ""})
        self.assertEqual(DonorNarrative.objects.get().summary, "Versión 2")
        self.assertEqual(set(DonorNarrative.history.values_list("history_user", flat=True)), {self.coordinator.pk})
        page = self.client.get(self.url("reports:donor"))
        self.assertContains(page, "Versión 2")

    def test_a_bad_period_is_refused_in_the_users_language(self) -> None:
        self.login(self.coordinator)
        url = reverse("reports:donor_pdf", kwargs={"pk": self.programme.pk}) + "?start=2030-01-01"
        response = self.client.get(url)
        self.assertEqual(response.status_code, 400)
        self.assertIn("dentro del periodo", response.content.decode())

    def test_the_index_links_the_data_work_for_coordinators_only(self) -> None:
        self.login(self.coordinator)
        import_url = reverse("program:import", kwargs={"pk": self.programme.pk})
        self.assertContains(self.client.get(reverse("reports:index")), import_url)
        self.login(self.cast.alpha["donor"])
        page = self.client.get(reverse("reports:index"))
        self.assertContains(page, reverse("reports:donor", kwargs={"pk": self.programme.pk}))
        self.assertNotContains(page, import_url)

    def test_downloads_work_for_the_donor(self) -> None:
        from ruta.jobs.models import Job
        from ruta.testing.jobs import run_queue

        donor = self.cast.alpha["donor"]
        self.login(donor)
        self.assertContains(self.client.get(self.url("reports:donor_pdf")), "Preparar el PDF")
        with self.captureOnCommitCallbacks(execute=True):
            started = self.client.post(reverse("reports:donor_pdf", kwargs={"pk": self.programme.pk}),
                                       {"start": self.programme.starts_on.isoformat(),
                                        "end": self.programme.ends_on.isoformat()})
        job = Job.objects.get(requested_by=donor, kind="reports.donor_pdf")
        self.assertRedirects(started, reverse("jobs:job", kwargs={"job_id": job.pk}))
        run_queue()
        job.refresh_from_db()
        self.assertEqual(job.status, Job.Status.SUCCEEDED)
        pdf = self.client.get(reverse("jobs:download", kwargs={"job_id": job.pk}))
        self.assertEqual(pdf["Content-Type"], "application/pdf")
        self.assertTrue(b"".join(pdf.streaming_content).startswith(b"%PDF-"))  # type: ignore[attr-defined]
        xlsx = self.client.get(self.url("reports:donor_xlsx"))
        self.assertEqual(xlsx.status_code, 200)
        self.assertIn("attachment", xlsx["Content-Disposition"])


class TrainingTableTest(BaseTestCase):
    """Adults trained and their knowledge gain beside the young people, protected."""

    programme: Programme

    @classmethod
    def setUpTestData(cls) -> None:
        from ruta.program.models import AssessmentResult, Instrument

        super().setUpTestData()
        cls.programme = p = grant(cls.cast.alpha_org)
        march = make_activity(p, D(2025, 3, 10))
        girls = people(p, 12, sex="female", prefix="F")
        teachers = people(p, 12, sex="female", prefix="T", birth=D(1985, 1, 1), group="teacher")
        mayors = people(p, 2, sex="male", prefix="A", birth=D(1980, 1, 1), group="authority")
        test = Instrument.objects.create(programme=p, code="learning-sample", title="T",
                                         items={"version": 1, "items": []}, answer_key={"version": 1, "answers": {}},
                                         scoring={"version": 1})
        for person in girls + teachers + mayors:
            Attendance.objects.create(activity=march, participant=person)
            common = {"participant": person, "instrument": test, "answers": {}, "max_score": 10, "rule": {}}
            AssessmentResult.objects.create(phase="pre", taken_on=D(2025, 3, 10), score=4, score_percent=40, **common)
            post = 80 if person.group == "teacher" else 60
            AssessmentResult.objects.create(phase="post", taken_on=D(2025, 3, 11), score=post // 10,
                                            score_percent=post, **common)

    def setUp(self) -> None:
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def table(self):  # type: ignore[no-untyped-def]
        report = build(self.programme, Period(D(2025, 1, 1), D(2025, 12, 31)))
        return next(t for t in report.tables if t.title.startswith("People trained and their knowledge gain"))

    def test_adults_gain_shows_beside_youth_with_small_groups_withheld(self) -> None:
        rows = {label: cells for label, cells, _total in self.table().rows}
        self.assertEqual(rows["Young people (10–24)"], ["12", "12", "20", "0"])
        # The teachers' 12 stands beside the all-adults 14: one of them is hidden ("x") so that
        # the 2 authorities cannot be worked out; the teachers' mean and share rest on 12 results.
        self.assertEqual(rows["Teachers"][2:], ["40", "100"])
        self.assertIn("x", [rows["Teachers"][0], rows["All adults trained"][0]])
        self.assertIn("x", [rows["Teachers"][1], rows["All adults trained"][1]])
        # 2 authorities: their count, pairs, mean and share are withheld. The all-adults mean
        # and share are withheld too: with the teachers' beside them, 2 results would come back.
        self.assertEqual(rows["Local authorities"], ["<5", "<5", "n<10", "n<10"])
        self.assertEqual(rows["All adults trained"][2:], ["n<10", "n<10"])
        self.assertFalse(self.table().totals_shown)

    def test_no_mean_or_share_comes_from_fewer_than_ten_results(self) -> None:
        from ruta.program.models import AssessmentResult

        AssessmentResult.objects.filter(participant__code__in=[f"F{i}" for i in range(3, 12)]).delete()
        rows = {label: cells for label, cells, _total in self.table().rows}
        self.assertEqual(rows["Young people (10–24)"][1:], ["<5", "n<10", "n<10"])  # 3 young people tested

    def test_the_table_is_in_the_page_and_the_spreadsheet(self) -> None:
        report = build(self.programme, Period(D(2025, 1, 1), D(2025, 12, 31)))
        book = openpyxl.load_workbook(io.BytesIO(render.xlsx(report)))
        values = [c.value for row in book["Disaggregation"].iter_rows() for c in row]
        self.assertIn("Mean knowledge gain (percentage points)", values)
        self.assertIn("Young people (10–24)", values)


def _shown(text: str):  # type: ignore[no-untyped-def]
    from ruta.lib.suppression import Shown

    return Shown(None, text) if text in ("<5", "x") else Shown(int(text.replace("\xa0", "").replace(" ", "")))


def _read(texts: list[list[str]], names: Sequence[Sequence[object]]):  # type: ignore[no-untyped-def]
    """One published table as a reader has it: its extended grid of texts (cells with their row
    totals last, then the column totals and grand total) and what each figure is."""
    from ruta.lib.suppression import ProtectedTable, SetPart

    n_r, n_c = len(texts) - 1, len(texts[0]) - 1
    part = SetPart([[0] * n_c for _r in range(n_r)],
                   {(i, j): names[i][j] for i in range(n_r + 1) for j in range(n_c + 1)})
    grid = [[_shown(t) for t in row] for row in texts]
    return part, ProtectedTable([row[:-1] for row in grid[:-1]], [row[-1] for row in grid[:-1]], grid[-1][:-1],
                                grid[-1][-1])


class ReaderAttackTest(BaseTestCase):
    """Young people by age band × sex and by district × sex share their totals by sex: each table
    protected alone is safe, read together they give a "<5" away (the example of
    ruta/tests/test_disclosure_sets.py, as people of a programme). The attacker here reads what the
    donor's dashboard and the donor report *publish*, as text, not the set behind them."""

    programme: Programme

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.programme = p = grant(cls.cast.alpha_org)
        march = make_activity(p, D(2025, 3, 10))
        born = {"10-14": D(2013, 1, 1), "15-19": D(2008, 1, 1), "20-24": D(2003, 1, 1)}
        # (band, sex, district), as AGE = [[11, 0], [22, 4], [21, 2]], DISTRICT = [[41, 5], [13, 1]].
        girls = ["10-14"] * 11 + ["15-19"] * 22 + ["20-24"] * 21
        boys = ["15-19"] * 4 + ["20-24"] * 2
        rows = [(b, "female", "170101" if i < 41 else "170102") for i, b in enumerate(girls)]
        rows += [(b, "male", "170101" if i < 5 else "170102") for i, b in enumerate(boys)]
        for i, (band, sex, district) in enumerate(rows):
            person = Participant.objects.create(
                programme=p, code=f"Y{i}", sex=sex, birth_date=born[band], registered_on=D(2025, 2, 1),
                group="youth", district_id=district, guardian_consent=True, name=f"Persona Y{i}")
            Attendance.objects.create(activity=march, participant=person)

    def test_the_attacker_reading_the_published_tables_of_both_pages_recovers_no_small_count(self) -> None:
        from ruta.program import dashboard
        from ruta.program.indicators import Filters
        from ruta.testing.disclosure import attacker, published_system

        translation.activate("en")
        self.addCleanup(translation.deactivate)
        report = build(self.programme, Period(D(2025, 1, 1), D(2025, 12, 31)))
        board = dashboard.build(self.programme, Filters(D(2025, 1, 1), D(2025, 12, 31)), suppress=True)
        sexes, bands = [x for x, _l in Sex.choices], [b for b, _l in AgeBand.choices]
        districts = report.district_codes
        read = []
        # The dashboard: young people by age band × sex, and by district (a line).
        youth = board["tables"][0]
        read.append(_read([cells for _label, cells in youth.rows] + [youth.totals],
                          [[("Y", b, s) for s in sexes] + [("Y", b)] for b in bands]
                          + [[("Y", s) for s in sexes] + ["Y"]]))
        column = [row["cells"][0] for row in board["districts"]["rows"]]
        line = [*column, board["districts"]["totals"][0]]
        read.append(_read([line, line], [[*(("Y", d) for d in districts), "Y"]] * 2))  # a line: cells = totals
        # The donor report: young people by sex × age band, and by district × sex.
        by_sex, by_district = report.tables[0], report.tables[2]
        read.append(_read([[*cells, total] for _l, cells, total in by_sex.rows] + [[*by_sex.totals, by_sex.total]],
                          [[*(("Y", b, s) for b in bands), ("Y", s)] for s in sexes]
                          + [[*(("Y", b) for b in bands), "Y"]]))
        read.append(_read([[*cells, total] for _l, cells, total in by_district.rows]
                          + [[*by_district.totals, by_district.total]],
                          [[*(("Y", d, s) for s in sexes), ("Y", d)] for d in districts]
                          + [[*(("Y", s) for s in sexes), "Y"]]))
        parts, tables = [p for p, _t in read], [t for _p, t in read]
        figures, lines = published_system(parts, tables)
        found = attacker(figures, lines)
        self.assertTrue(found)  # there are "<5" to attack (the boys aged 15–19, the boy of 170102)
        self.assertEqual([k for k, values in found.items() if len(values) < 2], [])
