"""Search before registering: 20 re-registrations of people already in the programme, written
as facilitators write them (typos, accents, swapped or missing surnames, an age a year off).
Before: registering searched nothing, and the search a facilitator could run first (code,
exact name, part of the name), typed with the name as written the second time, found 2.
After: the similar-name search (keyed hashes of name parts, birth year ±1, same district or
school) finds every one, and flags nobody who merely shares a first name."""

from __future__ import annotations

import datetime as dt
import sys

from django.urls import reverse
from django.utils import translation

from ruta.lib.names import name_part_hashes, shared_parts
from ruta.program.actions import NewParticipant, register_participant
from ruta.program.models import Attendance, Participant
from ruta.program.search import find_participants, similar_people
from ruta.program.tests import fixtures
from ruta.testing.cast import BaseTestCase, login

D = dt.date
DAY = D(2025, 6, 2)

# (as first registered, as registered again, age first, age again)
RE_REGISTRATIONS = [
    ("Rosa Quispe Mamani", "Rosa Quipse Mamani", 15, 15),  # letters swapped
    ("María Huamán Condori", "Maria Huaman Condori", 14, 15),  # accents left out, a year older
    ("Luis Condori Apaza", "Luis Apaza Condori", 16, 16),  # surnames swapped
    ("Yesenia Ccahuana Flores", "Yesenia Cahuana Flores", 13, 13),  # a letter missing
    ("Jhon Vargas Rojas", "John Vargas Rojas", 17, 18),  # spelling of the first name
    ("Katherine Torres Cusi", "Katerine Torres Cusi", 15, 14),  # silent h left out
    ("Sheyla Huillca Ramos", "Sheila Huillca", 16, 16),  # y/i, second surname missing
    ("Brayan Choque Yucra", "Bryan Choque Yucra", 12, 12),  # a vowel missing
    ("Jhoselyn Pérez García", "Joselyn Perez Garcia", 18, 18),  # h and accents
    ("Milagros Sánchez Chávez", "Milagros Chavez Sanchez", 19, 19),  # swapped, no accents
    ("Wilber Dañino Cusi", "Wilver Danino Cusi", 20, 21),  # v/b, ñ typed as n
    ("Thalía Mamani Flores", "Talia Mamani Flores", 11, 11),  # silent h, accent
    ("Nayeli Apaza Quispe", "Nayely Apaza Kispe", 14, 14),  # y/i, qu/k
    ("Renzo Huamán Torres", "Renzo Guaman Torres", 22, 22),  # hu/gu: sounds alike, spelt apart
    ("Daysi Rojas Vargas", "Daisy Rojas Vargas", 13, 13),  # letters swapped
    ("Kevin Ramos Choque", "Kevin Ramos", 17, 17),  # second surname missing
    ("Flor de María Yucra Ccahuana", "Flor Maria Yucra", 16, 17),  # particle dropped
    ("Saúl Huillca Condori", "Saul Huilca Condori", 21, 21),  # doubled letter
    ("Noemí Cusi Sánchez", "Noemi Cusi Sanches", 15, 16),  # z/s at the end
    ("Edwin García Pérez", "Edwin Perez Garcia", 23, 23),  # swapped
]


class SimilarNameTest(BaseTestCase):
    def setUp(self) -> None:
        translation.activate("es-pe")
        self.prog = fixtures.programme(self.cast)

    def register(self, name: str, age: int, district: str = "170101", school: str = "") -> Participant:
        return register_participant(self.prog, NewParticipant(
            sex="female", group="youth", district_id=district, registered_on=DAY, age=age, name=name,
            organisation=school, guardian_consent=True), actor=None)

    def test_twenty_re_registrations_are_caught_before_registering(self) -> None:
        originals = [self.register(first, age) for first, _again, age, _age2 in RE_REGISTRATIONS]
        before = after = 0
        for person, (_first, again, _age, age_again) in zip(originals, RE_REGISTRATIONS):
            old = find_participants(self.prog, again, district_id="170101", exclude=set(), today=DAY)
            before += any(f.pk == person.pk for f in old)
            new = similar_people(self.prog, name=again, birth_year=DAY.year - age_again, district_id="170101",
                                 today=DAY)
            after += any(f.pk == person.pk for f in new)
        sys.stdout.write(f"\nre-registrations caught: before {before}/20, after {after}/20\n")
        self.assertEqual(before, 2)
        self.assertEqual(after, 20)

    def test_sharing_a_first_name_or_another_age_or_place_is_not_similar(self) -> None:
        self.register("Rosa Quispe Mamani", 15)
        self.assertEqual(similar_people(self.prog, name="Rosa Flores Apaza", birth_year=DAY.year - 15,
                                        district_id="170101", today=DAY), [])
        self.assertEqual(similar_people(self.prog, name="Rosa Quispe Mamani", birth_year=DAY.year - 18,
                                        district_id="170101", today=DAY), [])
        self.assertEqual(similar_people(self.prog, name="Rosa Quispe Mamani", birth_year=DAY.year - 15,
                                        district_id="170301", today=DAY), [])
        self.assertEqual(similar_people(self.prog, name="Rosa", birth_year=DAY.year - 15,
                                        district_id="170101", today=DAY), [])

    def test_the_same_school_in_another_district_is_searched_too(self) -> None:
        self.register("Rosa Quispe Mamani", 15, district="170102", school="I.E. Santa Rosa")
        found = similar_people(self.prog, name="Rosa Quispe", birth_year=DAY.year - 15, district_id="170101",
                               school="i.e. santa rosa", today=DAY)
        self.assertEqual(len(found), 1)

    def test_name_part_hashes_are_keyed_and_order_free(self) -> None:
        a, b = name_part_hashes("Luis Condori Apaza"), name_part_hashes("Luis Apaza Condori")
        self.assertEqual(len(a), 9)
        self.assertEqual(shared_parts(a, b), 3)
        self.assertNotIn("luis", " ".join(a))
        self.assertNotEqual(name_part_hashes("Luis Condori", "other.purpose"), name_part_hashes("Luis Condori"))

    def test_the_facilitator_is_asked_before_registering_someone_similar(self) -> None:
        activity = fixtures.activity(self.cast)
        person = self.register("Rosa Quispe Mamani", 15)
        login(self.client, self.facilitator)
        url = reverse("program:participant_new", args=[activity.pk])
        data = {"name": "Rosa Quipse", "sex": "female", "age": "16", "group": "youth", "district": "170101",
                "guardian_consent": "on"}
        page = self.client.post(url, data)
        self.assertContains(page, "¿Ya está registrada?")
        self.assertContains(page, person.code)
        self.assertEqual(Participant.objects.filter(programme=self.prog).count(), 1)
        self.assertFalse(Attendance.objects.filter(activity=activity).exists())
        confirmed = self.client.post(url, {**data, "confirm_new": "on"})
        self.assertEqual(confirmed.status_code, 302)
        self.assertEqual(Participant.objects.filter(programme=self.prog).count(), 2)
