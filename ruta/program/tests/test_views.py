"""The facilitator's screen, the test sheet and the dashboard, end to end."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone, translation

from ruta.program.models import Activity, AssessmentResult, Attendance, Participant
from ruta.program.tests import fixtures
from ruta.testing.cast import BaseTestCase, login

D = dt.date


class FacilitatorScreenTest(BaseTestCase):
    def setUp(self) -> None:
        translation.activate("es-pe")  # URLs without the /en/ prefix, whatever ran before
        self.prog = fixtures.programme(self.cast)
        login(self.client, self.facilitator)

    def activity_data(self, **kw: object) -> dict[str, object]:
        data: dict[str, object] = {
                "type": "workshop", "title": "Taller 1", "date": "2025-04-02", "duration_minutes": "90",
                "district": "170104", "place": "I.E. Laberinto", "target_group": "youth", "topics": "Consentimiento",
                "facilitators": [str(self.facilitator.pk)]}
        data.update(kw)
        return data

    def test_a_facilitator_records_an_activity_then_lands_on_its_attendance(self) -> None:
        response = self.client.post(reverse("program:activity_new", args=[self.prog.pk]), self.activity_data())
        activity = Activity.objects.get(title="Taller 1")
        self.assertRedirects(response, reverse("program:activity", args=[activity.pk]))
        self.assertEqual(list(activity.facilitators.all()), [self.facilitator])
        page = self.client.get(reverse("program:activity", args=[activity.pk]))
        self.assertContains(page, "Nadie marcado como presente todavía")

    def test_it_rejects_a_date_outside_the_programme_in_the_users_language(self) -> None:
        url = reverse("program:activity_new", args=[self.prog.pk])
        response = self.client.post(url, self.activity_data(date="2024-06-01"))
        self.assertContains(response, "fuera del periodo del programa")
        response = self.client.post("/en" + url, self.activity_data(date="2024-06-01"))
        self.assertContains(response, "outside the programme")
        self.assertFalse(Activity.objects.filter(title="Taller 1").exists())

    def test_search_as_you_type_finds_by_code_and_part_of_the_name_through_post(self) -> None:
        activity = fixtures.activity(self.cast)
        fixtures.participant(self.cast, "P-ROSA01", name="Rosa Huamán")
        fixtures.participant(self.cast, "P-LUIS01", name="Luis Quispe", sex="male")
        url = reverse("program:activity_search", args=[activity.pk])
        self.assertEqual(self.client.get(url).status_code, 302)  # never a query string with a name
        fragment = self.client.post(url, {"q": "huaman"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="search-results")
        self.assertContains(fragment, "P-ROSA01")
        self.assertNotContains(fragment, "P-LUIS01")
        self.assertNotContains(fragment, "<html")
        by_code = self.client.post(url, {"q": "p-luis"})  # without JavaScript: the whole page
        self.assertContains(by_code, "P-LUIS01")
        self.assertContains(by_code, "<html")

    def test_marking_present_and_removing(self) -> None:
        activity = fixtures.activity(self.cast)
        person = fixtures.participant(self.cast)
        self.client.post(reverse("program:attendance_add", args=[activity.pk]), {"participant": [person.pk]})
        self.assertTrue(Attendance.objects.filter(activity=activity, participant=person).exists())
        person.refresh_from_db()
        self.assertEqual(person.sessions_attended, 1)
        self.client.post(reverse("program:attendance_remove", args=[activity.pk]), {"participant": person.pk})
        self.assertFalse(Attendance.objects.filter(activity=activity).exists())

    def test_a_minor_needs_guardian_consent_and_nothing_is_half_saved(self) -> None:
        activity = fixtures.activity(self.cast)
        url = reverse("program:participant_new", args=[activity.pk])
        data = {"name": "Nayeli Condori", "sex": "female", "age": "14", "group": "youth", "district": "170101"}
        response = self.client.post(url, data)
        self.assertContains(response, "consentimiento")
        self.assertFalse(Participant.objects.exists())
        response = self.client.post(url, {**data, "guardian_consent": "on"})
        person = Participant.objects.get()
        self.assertRedirects(response, reverse("program:activity", args=[activity.pk]))
        self.assertTrue(person.birth_date_estimated)
        self.assertEqual(person.age_at_registration, 14)
        self.assertTrue(Attendance.objects.filter(activity=activity, participant=person).exists())
        self.assertNotIn("Nayeli", response["Location"])

    def test_a_facilitator_cannot_open_someone_elses_activity(self) -> None:
        other = Activity.objects.create(programme=self.prog, type="training", date=D(2025, 5, 5), duration_minutes=60,
                                        district_id="170101", place="UGEL", target_group="teacher")
        self.assertEqual(self.client.get(reverse("program:activity", args=[other.pk])).status_code, 404)
        login(self.client, self.coordinator)
        self.assertEqual(self.client.get(reverse("program:activity", args=[other.pk])).status_code, 200)


class SheetTest(BaseTestCase):
    def setUp(self) -> None:
        translation.activate("es-pe")  # URLs without the /en/ prefix, whatever ran before
        self.activity, self.rosa = fixtures.attended(self.cast)
        self.luis = fixtures.participant(self.cast, "P-LUIS01", name="Luis Quispe", sex="male")
        Attendance.objects.create(activity=self.activity, participant=self.luis)
        self.test = fixtures.instrument(self.cast)
        self.url = reverse("program:sheet", args=[self.activity.pk, self.test.pk, "pre"])
        login(self.client, self.facilitator)

    def test_a_whole_groups_sheet_is_scored_with_the_rule_stored(self) -> None:
        response = self.client.post(self.url, {f"p{self.rosa.pk}": "abcda", f"p{self.luis.pk}": "a b - - b",
                                               "taken_on": "2025-03-10"})
        self.assertRedirects(response, self.url)
        rosa = AssessmentResult.objects.get(participant=self.rosa)
        luis = AssessmentResult.objects.get(participant=self.luis)
        self.assertEqual((rosa.score, rosa.max_score, float(rosa.score_percent)), (5, 5, 100.0))
        self.assertEqual((luis.score, float(luis.score_percent)), (2, 40.0))
        self.assertEqual(luis.answers, {"version": 1, "answers": {"q1": "a", "q2": "b", "q3": None, "q4": None,
                                                                  "q5": "b"}})
        self.assertEqual(luis.rule["scoring"]["rule"], "percent_correct")
        self.assertEqual(luis.rule["answer_key"]["answers"]["q1"], "a")

    def test_one_bad_row_saves_nothing_and_says_which(self) -> None:
        response = self.client.post(self.url, {f"p{self.rosa.pk}": "abcda", f"p{self.luis.pk}": "abz"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Escriba 5 respuestas", status_code=400)
        self.assertFalse(AssessmentResult.objects.exists())
        response = self.client.post("/en" + self.url, {f"p{self.luis.pk}": "abzzz"})
        self.assertContains(response, "is not an answer to question q3", status_code=400)

    def test_it_rejects_a_date_taken_in_the_future_and_saves_nothing(self) -> None:
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        response = self.client.post("/en" + self.url, {f"p{self.rosa.pk}": "abcda", "taken_on": tomorrow.isoformat()})
        self.assertContains(response, "The date taken cannot be in the future.", status_code=400)
        response = self.client.post("/en" + self.url, {f"p{self.rosa.pk}": "abcda", "taken_on": "2025-13-45"})
        self.assertContains(response, "The date taken is not a valid date.", status_code=400)
        self.assertFalse(AssessmentResult.objects.exists())

    def test_an_empty_sheet_asks_for_answers_and_shows_the_saved_ones(self) -> None:
        response = self.client.post("/en" + self.url, {"taken_on": "2025-03-10"})
        self.assertContains(response, "Type at least one participant", status_code=400)
        self.client.post(self.url, {f"p{self.rosa.pk}": "abcda", "taken_on": "2025-03-10"})
        response = self.client.get(self.url)
        self.assertContains(response, 'value="abcda"')
        self.assertContains(response, "100 %")


class DashboardTest(BaseTestCase):
    def setUp(self) -> None:
        translation.activate("es-pe")  # URLs without the /en/ prefix, whatever ran before
        self.activity, self.rosa = fixtures.attended(self.cast)
        self.url = reverse("program:dashboard", args=[fixtures.programme(self.cast).pk])

    def test_the_coordinator_sees_exact_counts_with_definitions(self) -> None:
        login(self.client, self.coordinator)
        response = self.client.get(self.url)
        self.assertContains(response, "Jóvenes alcanzados")
        self.assertContains(response, "Participantes únicos de 10 a 24 años")
        self.assertNotContains(response, "&lt;5")

    def test_the_donor_sees_small_counts_suppressed_and_no_person(self) -> None:
        login(self.client, self.donor)
        response = self.client.get(self.url)
        self.assertContains(response, "&lt;5")
        self.assertNotContains(response, "Rosa")
        self.assertNotContains(response, self.rosa.code)

    def test_filters_are_checked(self) -> None:
        login(self.client, self.me_officer)
        response = self.client.get("/en" + self.url, {"start": "2025-06-01", "end": "2025-01-01"})
        self.assertContains(response, "The end of the period is before its start.", status_code=400)

    def test_charts_are_svg_without_script(self) -> None:
        login(self.client, self.coordinator)
        for chart in ("metas", "tendencia", "distritos"):
            response = self.client.get(reverse("program:chart", args=[fixtures.programme(self.cast).pk, chart]))
            self.assertEqual(response["Content-Type"], "image/svg+xml; charset=utf-8")
            self.assertNotIn(b"<script", response.content)


class SettingsTest(BaseTestCase):
    def setUp(self) -> None:
        translation.activate("es-pe")
        self.prog = fixtures.programme(self.cast)
        self.url = reverse("program:settings", args=[self.prog.pk])
        login(self.client, self.coordinator)

    def test_a_target_is_set_and_replaced_for_its_slice(self) -> None:
        from ruta.program.models import Target

        data = {"form": "target", "indicator": "youth_reached", "sex": "female", "value": "850"}
        self.assertRedirects(self.client.post(self.url, data), self.url)
        self.client.post(self.url, {**data, "value": "900"})
        self.assertEqual([(t.sex, t.value) for t in Target.objects.filter(programme=self.prog)], [("female", 900)])

    def test_it_refuses_a_breakdown_the_indicator_does_not_have(self) -> None:
        response = self.client.post("/en" + self.url, {"form": "target", "indicator": "sessions_delivered",
                                                       "sex": "female", "value": "10"})
        self.assertContains(response, "cannot be broken down this way", status_code=400)

    def test_the_programme_period_must_be_in_order(self) -> None:
        response = self.client.post(self.url, {"form": "programme", "name": "X", "donor": "Y",
                                               "starts_on": "2025-12-31", "ends_on": "2025-01-01",
                                               "completion_sessions": "4"})
        self.assertContains(response, "El fin del periodo es anterior a su inicio.", status_code=400)


class EmptyDashboardTest(BaseTestCase):
    def test_a_programme_without_activity_shows_an_empty_dashboard_to_the_donor(self) -> None:
        translation.activate("es-pe")
        login(self.client, self.donor)
        response = self.client.get(reverse("program:dashboard", args=[fixtures.programme(self.cast).pk]))
        self.assertContains(response, "No hay actividades en esta selección.")


class HomeLinksTest(BaseTestCase):
    def test_the_coordinator_reaches_import_duplicates_and_exports_from_the_programme(self) -> None:
        from ruta.program.tests.fixtures import programme

        prog = programme(self.cast)
        self.login(self.coordinator)
        page = self.client.get("/en/programa/").content.decode()
        for name in ("program:import", "program:duplicates", "program:exports"):
            url = reverse(name, args=[prog.pk])
            assert f'href="/en{url}"' in page or f'href="{url}"' in page
        self.login(self.facilitator)
        assert reverse("program:import", args=[prog.pk]) not in self.client.get("/programa/").content.decode()
