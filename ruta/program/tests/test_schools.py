"""Schools chosen from a list: MINEDU's padrón loaded on install, a newer padrón updating it,
a school added by hand, the registration form listing the district's schools first."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from ruta.program.models import Participant, School
from ruta.program.reference import PADRON, link_free_text_schools, load_padron
from ruta.program.tests import fixtures
from ruta.testing.cast import BaseTestCase, login

HEADER = PADRON.read_text(encoding="utf-8").splitlines()[0]
FIRST = PADRON.read_text(encoding="utf-8").splitlines()[1]  # 1544592-0 BOCA MANU, Fitzcarrald


def padron(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


class PadronTest(BaseTestCase):
    def test_the_padron_is_loaded_on_install_with_its_source_and_no_director(self) -> None:
        loaded = School.objects.exclude(minedu_code="")
        self.assertEqual(loaded.count(), 122)
        self.assertEqual(loaded.filter(level="Secundaria").count(), 93)
        boca = School.objects.get(minedu_code="1544592-0")
        self.assertEqual((boca.name, boca.district_id), ("BOCA MANU", "170202"))
        self.assertIn("MINEDU", boca.source)
        self.assertNotIn("director", {f.name for f in School._meta.get_fields()})

    def test_a_newer_padron_updates_by_code_and_never_duplicates(self) -> None:
        renamed = FIRST.replace(",BOCA MANU,", ",BOCA MANU NUEVA,")
        new = FIRST.replace(",1544592,0,", ",9999999,0,").replace(",BOCA MANU,", ",COLEGIO NUEVO,")
        elsewhere = FIRST.replace(",170202,", ",150101,").replace(",1544592,0,", ",8888888,0,")
        result = load_padron(io.BytesIO(padron(renamed, new, elsewhere)), source="MINEDU 2026")
        self.assertEqual((result.added, result.updated, result.skipped), (1, 1, 1))
        self.assertEqual(School.objects.exclude(minedu_code="").count(), 123)
        self.assertEqual(School.objects.get(minedu_code="1544592-0").name, "BOCA MANU NUEVA")
        again = load_padron(io.BytesIO(padron(renamed, new)), source="MINEDU 2026")
        self.assertEqual((again.added, again.updated), (0, 0))

    def test_a_latin1_padron_is_read_too(self) -> None:
        row = FIRST.replace(",BOCA MANU,", ",SEÑOR DE LOS MILAGROS,")
        load_padron(io.BytesIO(padron(row).decode().encode("latin-1")), source="x")
        self.assertEqual(School.objects.get(minedu_code="1544592-0").name, "SEÑOR DE LOS MILAGROS")

    def test_free_text_schools_are_linked_where_the_name_matches_and_kept_where_not(self) -> None:
        school = School.objects.filter(district_id="170101").order_by("pk").first()
        assert school is not None
        matching = fixtures.participant(self.cast, "P-SCH001")
        Participant.objects.filter(pk=matching.pk).update(organisation=f"I.E. {school.name.title()}")
        other = fixtures.participant(self.cast, "P-SCH002")
        Participant.objects.filter(pk=other.pk).update(organisation="Club de jóvenes Las Piedras")
        self.assertEqual(link_free_text_schools(), 1)
        matching.refresh_from_db()
        other.refresh_from_db()
        linked = School.objects.filter(pk=matching.school_id or 0).first()
        self.assertEqual(linked.name if linked else None, school.name)
        self.assertEqual((other.school_id, other.organisation), (None, "Club de jóvenes Las Piedras"))


class SchoolScreenTest(BaseTestCase):
    def setUp(self) -> None:
        translation.activate("es-pe")
        self.url = reverse("program:schools")
        login(self.client, self.coordinator)

    def test_a_coordinator_adds_a_primary_school_by_hand_once(self) -> None:
        data = {"form": "school", "name": "I.E. N.º 52001 Primaria", "district": "170101", "level": "Primaria",
                "place": "Puerto Maldonado"}
        self.assertRedirects(self.client.post(self.url, data), self.url)
        school = School.objects.get(name="I.E. N.º 52001 Primaria")
        self.assertEqual((school.minedu_code, school.added_by), ("", self.coordinator))
        again = self.client.post(self.url, {**data, "name": "i.e. n.º 52001  primaria"})
        self.assertContains(again, "ya tiene una institución educativa con este nombre", status_code=400)

    def test_a_coordinator_imports_a_padron_and_a_wrong_file_is_refused_in_spanish(self) -> None:
        new = FIRST.replace(",1544592,0,", ",9999999,0,").replace(",BOCA MANU,", ",COLEGIO NUEVO,")
        upload = SimpleUploadedFile("padron.csv", padron(new), content_type="text/csv")
        response = self.client.post(self.url, {"form": "padron", "source": "MINEDU 2026", "file": upload})
        self.assertRedirects(response, self.url)
        self.assertTrue(School.objects.filter(minedu_code="9999999-0", source="MINEDU 2026").exists())
        wrong = SimpleUploadedFile("x.csv", b"a,b\n1,2\n", content_type="text/csv")
        refused = self.client.post(self.url, {"form": "padron", "source": "x", "file": wrong})
        self.assertContains(refused, "no es un archivo del padrón", status_code=400)

    def test_facilitators_cannot_change_the_list(self) -> None:
        login(self.client, self.facilitator)
        self.assertEqual(self.client.post(self.url, {"form": "school", "name": "X", "district": "170101",
                                                     "level": "Primaria"}).status_code, 403)


class SchoolInRegistrationTest(BaseTestCase):
    def setUp(self) -> None:
        translation.activate("es-pe")
        self.activity = fixtures.activity(self.cast)  # in Tambopata (170101)
        login(self.client, self.facilitator)

    def test_the_registration_form_lists_the_activity_districts_schools_first(self) -> None:
        html = self.client.get(reverse("program:activity", args=[self.activity.pk])).content.decode()
        select = html[html.index('name="school"'):]
        self.assertLess(select.index('label="Tambopata"'), select.index('label="Fitzcarrald"'))

    def test_a_participant_registered_with_a_school_keeps_it_and_its_name(self) -> None:
        school = School.objects.get(minedu_code="1544592-0")
        response = self.client.post(reverse("program:participant_new", args=[self.activity.pk]), {
            "name": "Ana Ríos Paz", "sex": "female", "age": "15", "group": "youth", "district": "170202",
            "school": str(school.pk), "guardian_consent": "on"})
        self.assertEqual(response.status_code, 302)
        person = Participant.objects.get(programme=self.activity.programme)
        self.assertEqual((person.school_id, person.organisation), (school.pk, "BOCA MANU"))
