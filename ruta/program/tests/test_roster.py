"""A class registered as a roster in one go: school and date kept, all or nothing, a row that
may be someone already registered flagged on its row."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from unittest import mock

from django.urls import reverse
from django.utils import translation

from ruta.program.models import Attendance, Participant, School
from ruta.program.tests import fixtures
from ruta.testing.cast import BaseTestCase, login


class RosterTest(BaseTestCase):
    def setUp(self) -> None:
        translation.activate("es-pe")
        self.activity = fixtures.activity(self.cast)  # 10 March 2025, Tambopata
        self.url = reverse("program:roster", args=[self.activity.pk])
        self.school = School.objects.filter(district_id="170101", level="Secundaria").order_by("pk").first()
        login(self.client, self.facilitator)

    def post(self, rows: list[dict[str, str]], **shared: str) -> Any:
        data: dict[str, str] = {"registered_on": "2025-03-10", "school": str(self.school.pk) if self.school else "",
                                "district": "170101", "group": "youth", "p-TOTAL_FORMS": str(len(rows)),
                                "p-INITIAL_FORMS": "0", "p-MIN_NUM_FORMS": "0", "p-MAX_NUM_FORMS": "60"}
        data.update(shared)
        for i, row in enumerate(rows):
            data.update({f"p-{i}-{k}": v for k, v in row.items()})
        return self.client.post(self.url, data)

    def test_the_form_starts_at_the_activity_date_with_ten_rows(self) -> None:
        page = self.client.get(self.url)
        self.assertContains(page, 'value="2025-03-10"')
        self.assertContains(page, "Persona 10")
        self.assertNotContains(page, "Persona 11")

    def test_a_class_is_registered_with_its_school_and_date_and_marked_present(self) -> None:
        response = self.post([
            {"name": "Ana Ríos Paz", "sex": "female", "age": "14", "guardian_consent": "on"},
            {"name": "Luis Soto Vera", "sex": "male", "age": "15", "guardian_consent": "on"},
            {},  # an empty row is skipped
        ])
        self.assertRedirects(response, reverse("program:activity", args=[self.activity.pk]))
        people = Participant.objects.filter(programme=self.activity.programme)
        self.assertEqual(people.count(), 2)
        assert self.school is not None
        self.assertEqual({(p.school_id, p.organisation, p.registered_on) for p in people},
                         {(self.school.pk, self.school.name, dt.date(2025, 3, 10))})
        self.assertEqual(Attendance.objects.filter(activity=self.activity).count(), 2)

    def test_today_is_accepted_and_the_future_is_not(self) -> None:
        with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2025, 3, 12)):
            ok = self.post([{"name": "Ana Ríos Paz", "sex": "female", "age": "19"}], registered_on="2025-03-12")
            self.assertEqual(ok.status_code, 302)
            late = self.post([{"name": "Rosa Paz", "sex": "female", "age": "19"}], registered_on="2025-03-13")
        self.assertContains(late, "no puede estar en el futuro", status_code=400)

    def test_one_bad_row_saves_nothing_and_says_which(self) -> None:
        response = self.post([
            {"name": "Ana Ríos Paz", "sex": "female", "age": "14", "guardian_consent": "on"},
            {"name": "Luis Soto Vera", "age": "15", "guardian_consent": "on"},  # no sex
            {"name": "Eva Luna Sol", "sex": "female", "age": "13"},  # under 18, no consent
        ])
        self.assertContains(response, "No se guardó nada", status_code=400)
        self.assertContains(response, "Elige el sexo del participante", status_code=400)
        self.assertFalse(Participant.objects.filter(programme=self.activity.programme).exists())
        self.assertFalse(Attendance.objects.filter(activity=self.activity).exists())

    def test_a_row_that_may_be_someone_registered_is_flagged_then_decided(self) -> None:
        known = fixtures.participant(self.cast, "P-KNOWN1", name="Rosa Quispe Mamani", birth=dt.date(2010, 5, 1))
        rows = [{"name": "Rosa Quipse Mamani", "sex": "female", "age": "15", "guardian_consent": "on"},
                {"name": "Ana Ríos Paz", "sex": "female", "age": "14", "guardian_consent": "on"}]
        flagged = self.post(rows)
        self.assertContains(flagged, "Todavía no se guardó nada")
        self.assertContains(flagged, "P-KNOWN1")
        self.assertEqual(Participant.objects.filter(programme=self.activity.programme).count(), 1)
        rows[0]["same_as"] = str(known.pk)
        done = self.post(rows)
        self.assertEqual(done.status_code, 302)
        self.assertEqual(Participant.objects.filter(programme=self.activity.programme).count(), 2)
        new = Participant.objects.filter(programme=self.activity.programme).exclude(code="P-KNOWN1").get()
        present = set(Attendance.objects.filter(activity=self.activity).values_list("participant_id", flat=True))
        self.assertEqual(present, {known.pk, new.pk})

    def test_the_same_person_twice_in_one_roster_is_refused(self) -> None:
        response = self.post([{"name": "Ana Ríos Paz", "sex": "female", "age": "19"},
                              {"name": "ana rios paz", "sex": "female", "age": "19"}])
        self.assertContains(response, "ya está en la fila 1", status_code=400)
        self.assertFalse(Participant.objects.filter(programme=self.activity.programme).exists())

    def test_another_programmes_participant_cannot_be_chosen(self) -> None:
        from ruta.program.models import Programme

        other = Programme.objects.create(name="Other", donor="X", starts_on=dt.date(2025, 1, 1),
                                         ends_on=dt.date(2025, 12, 31))
        stranger = Participant.objects.create(programme=other, code="P-OTHER1", sex="female",
                                              birth_date=dt.date(2000, 1, 1), registered_on=dt.date(2025, 1, 1),
                                              group="youth", district_id="170101")
        response = self.post([{"name": "Ana Ríos Paz", "sex": "female", "age": "19",
                               "same_as": str(stranger.pk)}])
        self.assertContains(response, "ya no está en este programa", status_code=400)
        self.assertFalse(Attendance.objects.filter(activity=self.activity).exists())

    def test_more_rows_keeps_what_was_typed_and_saves_nothing(self) -> None:
        typed = [{"name": "Ana Ríos Paz", "sex": "female", "age": "14", "guardian_consent": "on"},
                 {"name": "Luis Soto Vera", "sex": "", "age": "abc"}]  # not checked yet: only kept
        response = self.post([*typed, *({} for _ in range(8))], more="1", registered_on="2025-03-09")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'value="Ana Ríos Paz"')
        self.assertContains(response, 'value="Luis Soto Vera"')
        self.assertContains(response, 'value="abc"')
        self.assertContains(response, 'value="2025-03-09"')
        consent = re.search(r'<input[^>]*name="p-0-guardian_consent"[^>]*>', response.content.decode())
        assert consent is not None and "checked" in consent.group(0)
        self.assertContains(response, "Persona 20")
        self.assertNotContains(response, "Persona 21")
        self.assertNotContains(response, "errorlist")
        self.assertFalse(Participant.objects.filter(programme=self.activity.programme).exists())

    def test_more_rows_stops_at_sixty(self) -> None:
        response = self.post([{} for _ in range(55)], more="1")
        self.assertContains(response, "Persona 60")
        self.assertNotContains(response, "Persona 61")
        self.assertNotContains(response, 'name="more"')

    def test_more_than_sixty_rows_are_refused(self) -> None:
        response = self.post([{"name": f"Persona {i}", "sex": "female", "age": "19"} for i in range(61)])
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Participant.objects.filter(programme=self.activity.programme).exists())


class RecentListTest(BaseTestCase):
    def test_the_recent_list_shows_age_and_school(self) -> None:
        translation.activate("es-pe")
        earlier, person = fixtures.attended(self.cast)  # Rosa, born 2 April 2009, seen 10 March 2025
        Participant.objects.filter(pk=person.pk).update(organisation="I.E. Santa Rosa")
        later = fixtures.activity(self.cast, day=dt.date(2025, 5, 10))
        login(self.client, self.facilitator)
        html = self.client.get(reverse("program:activity", args=[later.pk])).content.decode()
        recent = html[html.index('type="checkbox" name="participant"'):]  # the recent list's first tick box
        self.assertIn("16 años · I.E. Santa Rosa", recent)


class DateFieldsTest(BaseTestCase):
    def setUp(self) -> None:
        translation.activate("es-pe")
        login(self.client, self.facilitator)

    def test_date_inputs_carry_an_iso_date_the_phone_can_show(self) -> None:
        # A type=date input only shows a value written 2025-03-10; "10/03/2025" left it empty.
        prog = fixtures.programme(self.cast)
        with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2025, 3, 10)):
            page = self.client.get(reverse("program:activity_new", args=[prog.pk]))
        self.assertContains(page, 'type="date" name="date" value="2025-03-10"')

    def test_facilitators_are_listed_by_name_not_username(self) -> None:
        prog = fixtures.programme(self.cast)
        self.facilitator.first_name, self.facilitator.last_name = "Felipe", "Quispe"
        self.facilitator.save(update_fields=["first_name", "last_name"])
        page = self.client.get(reverse("program:activity_new", args=[prog.pk])).content.decode()
        self.assertIn("Felipe Quispe", page)
        self.assertNotIn(f"> {self.facilitator.username}</label>", page)
