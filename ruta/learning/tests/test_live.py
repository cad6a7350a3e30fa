"""Live tests end to end: code, join, admit, name or anonymous code, answers, help, close."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import translation

from ruta.learning import actions, paper
from ruta.learning.codes import SeatState
from ruta.learning.models import CODE_ALPHABET, Answer, LiveSession, Seat, TestVersion, first_form, form_for
from ruta.learning.tests.helpers import SAME, phone, sample_course
from ruta.lib.ratelimit import reset_all
from ruta.program.models import Activity, AssessmentResult, Attendance, Participant
from ruta.program.tests import fixtures
from ruta.testing.cast import BaseTestCase, login


class LiveTestCase(BaseTestCase):
    def setUp(self) -> None:
        translation.activate("es-pe")
        reset_all()
        self.course = sample_course()
        self.activity, self.person = fixtures.attended(self.cast)
        self.other = fixtures.participant(self.cast, "P-BBB222", name="Luis Quispe Mamani")
        Attendance.objects.get_or_create(activity=self.activity, participant=self.other)
        login(self.client, self.facilitator)

    def open(self, phase: str = "pre") -> LiveSession:
        response = self.client.post(reverse("learning:start", args=[self.activity.pk]),
                                    {"course": "sample", "phase": phase})
        session = LiveSession.objects.get(activity=self.activity, state="open")
        self.assertRedirects(response, reverse("learning:live", args=[session.pk]))
        return session

    def join(self, session: LiveSession, client: Client | None = None) -> tuple[Client, Seat]:
        client = client or phone()
        response = client.post("/t/", {"code": (session.code or "").lower()}, headers=SAME)
        self.assertEqual(response.status_code, 302)
        seat = Seat.objects.get(token=response["Location"].rstrip("/").rsplit("/", 1)[1])
        return client, seat

    def admitted(self, session: LiveSession, participant: Participant | None = None) -> tuple[Client, Seat]:
        client, seat = self.join(session)
        self.client.post(reverse("learning:seat_decide", args=[session.pk, seat.pk]), {"decision": "admit"})
        if participant is not None:
            client.post(f"/t/{seat.token}/quien/", {"participant": participant.pk}, headers=SAME)
        seat.refresh_from_db()
        return client, seat

    def answer_all(self, client: Client, seat: Seat, right: int) -> None:
        for i, q in enumerate(actions.seat_questions(seat)):
            chosen = q.correct if i < right else [c for c in range(len(q.choices("es"))) if c not in q.correct][:1]
            response = client.post(f"/t/{seat.token}/responder/", {"question": q.code, "choice": chosen}, headers=SAME)
            self.assertEqual(response.status_code, 302, response.content[:300])


class OpenTest(LiveTestCase):
    def test_opening_gives_a_six_character_code_from_the_unambiguous_alphabet(self) -> None:
        session = self.open()
        assert session.code is not None
        self.assertEqual(len(session.code), 6)
        self.assertTrue(set(session.code) <= set(CODE_ALPHABET))
        self.assertFalse(set("01OIL5S2Z8B") & set(CODE_ALPHABET))

    def test_opening_marks_the_test_version_used(self) -> None:
        session = self.open()
        self.assertIsNotNone(TestVersion.objects.get(pk=session.version_id).used_at)

    def test_it_refuses_a_second_open_test_for_the_same_activity(self) -> None:
        self.open()
        response = self.client.post(reverse("learning:start", args=[self.activity.pk]),
                                    {"course": "sample", "phase": "post"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(LiveSession.objects.filter(activity=self.activity).count(), 1)

    def test_another_organisations_facilitator_gets_404(self) -> None:
        session = self.open()
        other = Client()
        login(other, self.cast.beta["facilitator"])
        self.assertEqual(other.get(reverse("learning:live", args=[session.pk])).status_code, 404)
        self.assertEqual(other.post(reverse("learning:close", args=[session.pk])).status_code, 404)


class JoinTest(LiveTestCase):
    def test_a_wrong_code_is_a_400_in_spanish(self) -> None:
        response = phone().post("/t/", {"code": "XXXXXX"}, headers=SAME)
        self.assertContains(response, "Ningún test abierto tiene este código", status_code=400)

    def test_a_post_from_another_site_is_refused(self) -> None:
        session = self.open()
        response = phone().post("/t/", {"code": session.code}, HTTP_SEC_FETCH_SITE="cross-site")
        self.assertEqual(response.status_code, 403)
        response = phone().post("/t/", {"code": session.code}, HTTP_ORIGIN="https://evil.example")
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Seat.objects.exists())

    def test_a_post_with_a_matching_origin_and_no_fetch_metadata_passes(self) -> None:
        session = self.open()
        response = phone().post("/t/", {"code": session.code}, HTTP_ORIGIN="http://testserver")
        self.assertEqual(response.status_code, 302)

    def test_joins_are_rate_limited(self) -> None:
        client = phone()
        codes = [client.post("/t/", {"code": "XXXXXX"}, headers=SAME).status_code for _ in range(125)]
        self.assertIn(429, codes)

    def test_a_phone_waits_until_admitted(self) -> None:
        session = self.open()
        client, seat = self.join(session)
        self.assertContains(client.get(f"/t/{seat.token}/"), "Tu teléfono es el número 1")
        self.client.post(reverse("learning:seat_decide", args=[session.pk, seat.pk]), {"decision": "admit"})
        self.assertContains(client.get(f"/t/{seat.token}/"), "Luis Q.")

    def test_a_refused_phone_cannot_answer(self) -> None:
        session = self.open()
        client, seat = self.join(session)
        self.client.post(reverse("learning:seat_decide", args=[session.pk, seat.pk]), {"decision": "refuse"})
        seat.refresh_from_db()
        self.assertEqual(seat.state, SeatState.REFUSED)
        response = client.post(f"/t/{seat.token}/quien/", {"participant": self.person.pk}, headers=SAME)
        self.assertEqual(response.status_code, 400)

    def test_the_roster_shows_first_name_and_initial_only(self) -> None:
        session = self.open()
        client, seat = self.admitted(session)
        page = client.get(f"/t/{seat.token}/").content.decode()
        self.assertIn("Rosa H.", page)
        self.assertNotIn("Huamán", page)
        self.assertNotIn("Quispe", page)

    def test_a_name_cannot_be_taken_twice(self) -> None:
        session = self.open()
        self.admitted(session, self.person)
        client, seat = self.admitted(session)
        response = client.post(f"/t/{seat.token}/quien/", {"participant": self.person.pk}, headers=SAME)
        self.assertContains(response, "ya fue elegido en otro teléfono", status_code=400)

    def test_someone_outside_the_roster_cannot_be_picked(self) -> None:
        stranger = fixtures.participant(self.cast, "P-ZZZ999", name="Ana Torres")
        session = self.open()
        client, seat = self.admitted(session)
        response = client.post(f"/t/{seat.token}/quien/", {"participant": stranger.pk}, headers=SAME)
        self.assertEqual(response.status_code, 400)

    def test_an_anonymous_code_pairs_pre_and_post_with_opposite_forms(self) -> None:
        session = self.open("pre")
        client, seat = self.admitted(session)
        client.post(f"/t/{seat.token}/quien/", {"anonymous": "1", "mother": "m", "day": "14", "town": "p"},
                    headers=SAME)
        seat.refresh_from_db()
        self.client.post(reverse("learning:close", args=[session.pk]))
        post = self.open("post")
        client2, seat2 = self.admitted(post)
        client2.post(f"/t/{seat2.token}/quien/", {"anonymous": "1", "mother": "M", "day": "14", "town": "P"},
                     headers=SAME)
        seat2.refresh_from_db()
        self.assertEqual(seat.pairing_hash, seat2.pairing_hash)
        self.assertEqual({seat.form, seat2.form}, {"A", "B"})

    def test_a_bad_anonymous_day_is_a_400(self) -> None:
        session = self.open()
        client, seat = self.admitted(session)
        response = client.post(f"/t/{seat.token}/quien/", {"anonymous": "1", "mother": "m", "day": "45", "town": "p"},
                               headers=SAME)
        self.assertEqual(response.status_code, 400)


class AnswerTest(LiveTestCase):
    def test_one_question_per_screen_and_resume_after_reload(self) -> None:
        session = self.open()
        client, seat = self.admitted(session, self.person)
        questions = actions.seat_questions(seat)
        self.assertContains(client.get(f"/t/{seat.token}/"), "Pregunta 1 de 10")
        client.post(f"/t/{seat.token}/responder/", {"question": questions[0].code, "choice": ["1"]}, headers=SAME)
        page = client.get(f"/t/{seat.token}/")  # a reload, or the phone switched on again
        self.assertContains(page, "Pregunta 2 de 10")
        self.assertContains(page, questions[1].text_es)

    def test_a_retried_answer_is_not_duplicated_and_the_first_is_kept(self) -> None:
        session = self.open()
        client, seat = self.admitted(session, self.person)
        q = actions.seat_questions(seat)[0]
        for choice in ("1", "1", "0"):
            response = client.post(f"/t/{seat.token}/responder/", {"question": q.code, "choice": [choice]},
                                   HTTP_ACCEPT="application/json", headers=SAME)
            self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(Answer.objects.filter(seat=seat).count(), 1)
        self.assertEqual(Answer.objects.get(seat=seat).chosen, [1])

    def test_it_rejects_an_answer_out_of_range_or_two_on_a_single_choice(self) -> None:
        session = self.open()
        client, seat = self.admitted(session, self.person)
        q = next(q for q in actions.seat_questions(seat) if q.kind == "single")
        for choice in (["7"], ["-1"], ["0", "1"], ["x"], []):
            response = client.post(f"/t/{seat.token}/responder/", {"question": q.code, "choice": choice}, headers=SAME)
            self.assertEqual(response.status_code, 400, choice)
        self.assertFalse(Answer.objects.exists())

    def test_it_rejects_a_question_of_the_other_form(self) -> None:
        session = self.open()
        client, seat = self.admitted(session, self.person)
        other = "B" if seat.form == "A" else "A"
        q = session.version.questions.filter(form=other).first()
        assert q is not None
        response = client.post(f"/t/{seat.token}/responder/", {"question": q.code, "choice": ["1"]}, headers=SAME)
        self.assertEqual(response.status_code, 400)

    def test_the_last_answer_shows_done_without_a_score(self) -> None:
        session = self.open()
        client, seat = self.admitted(session, self.person)
        self.answer_all(client, seat, right=7)
        page = client.get(f"/t/{seat.token}/")
        self.assertContains(page, "Listo")
        self.assertNotContains(page, "70")

    def test_help_tells_the_facilitator_only_that_someone_asked(self) -> None:
        session = self.open()
        client, seat = self.admitted(session, self.person)
        page = client.post(f"/t/{seat.token}/ayuda/", headers=SAME)
        self.assertContains(page, "Línea 100")
        self.assertContains(page, "Chat 100")
        live = self.client.get(reverse("learning:live", args=[session.pk])).content.decode()
        self.assertIn("Alguien en la sala pidió ayuda", live)
        self.assertEqual(live.count("Rosa H."), 1)  # the seat list; nothing ties the request to a phone

    def test_every_question_screen_has_the_help_button(self) -> None:
        session = self.open()
        client, seat = self.admitted(session, self.person)
        self.assertContains(client.get(f"/t/{seat.token}/"), "Necesito ayuda")


class CloseTest(LiveTestCase):
    def test_closing_frees_the_code_and_places_answer_410(self) -> None:
        session = self.open()
        client, seat = self.admitted(session, self.person)
        code = session.code
        self.client.post(reverse("learning:close", args=[session.pk]))
        self.assertEqual(client.get(f"/t/{seat.token}/").status_code, 410)
        q = actions.seat_questions(seat)[0]
        self.assertEqual(client.post(f"/t/{seat.token}/responder/", {"question": q.code, "choice": ["1"]},
                                     headers=SAME).status_code, 410)
        self.assertEqual(phone().post("/t/", {"code": code}, headers=SAME).status_code, 400)

    def test_pre_and_post_become_paired_programme_results_with_the_gain(self) -> None:
        pre = self.open("pre")
        client, seat = self.admitted(pre, self.person)
        self.answer_all(client, seat, right=4)
        self.client.post(reverse("learning:close", args=[pre.pk]))
        post = self.open("post")
        client, seat2 = self.admitted(post, self.person)
        self.answer_all(client, seat2, right=9)
        self.client.post(reverse("learning:close", args=[post.pk]))
        self.assertNotEqual(seat.form, seat2.form)
        results = {r.phase: r for r in AssessmentResult.objects.filter(participant=self.person)}
        self.assertEqual((results["pre"].score, results["post"].score), (4, 9))
        self.assertEqual(results["pre"].instrument_code, results["post"].instrument_code)
        self.assertEqual(results["post"].rule["form"], seat2.form)
        self.person.refresh_from_db()
        self.assertEqual(self.person.knowledge_gain, 50)

    def later_activity_where_the_split_repeats(self, pre_form: str) -> Activity:
        """A later activity of the person where the room's half-and-half split alone would give
        them the same form again at the post-test (the usual case: pre-test in the first
        session, post-test in the last)."""
        for week in range(1, 40):
            later = fixtures.activity(self.cast, day=fixtures.DAY + dt.timedelta(days=7 * week))
            if form_for(f"p{self.person.pk}", later.pk, "post") == pre_form:
                Attendance.objects.get_or_create(activity=later, participant=self.person)
                return later
        raise AssertionError("no such activity")

    def test_the_post_test_in_a_later_activity_is_the_other_form_than_the_live_pre_test(self) -> None:
        pre = self.open("pre")
        client, seat = self.admitted(pre, self.person)
        self.answer_all(client, seat, right=4)
        self.client.post(reverse("learning:close", args=[pre.pk]))
        self.activity = self.later_activity_where_the_split_repeats(seat.form)
        post = self.open("post")
        client, seat2 = self.admitted(post, self.person)
        self.assertEqual({seat.form, seat2.form}, {"A", "B"})
        self.answer_all(client, seat2, right=9)
        self.client.post(reverse("learning:close", args=[post.pk]))
        self.person.refresh_from_db()
        self.assertEqual(self.person.knowledge_gain, 50)

    def test_the_post_test_on_the_phone_is_the_other_form_than_the_paper_pre_test(self) -> None:
        form = first_form(f"p{self.person.pk}", self.activity.pk)  # the sheet the facilitator handed out
        data = {"curso": "sample", "fase": "pre", f"f{self.person.pk}": form, f"a{self.person.pk}_1": "b"}
        self.client.post(reverse("learning:paper_entry", args=[self.activity.pk]), data)
        self.activity = self.later_activity_where_the_split_repeats(form)
        post = self.open("post")
        _client, seat = self.admitted(post, self.person)
        self.assertEqual({form, seat.form}, {"A", "B"})

    def test_a_pre_test_left_without_answers_does_not_decide_the_post_test_form(self) -> None:
        pre = self.open("pre")
        _client, seat = self.admitted(pre, self.person)  # picked the name, answered nothing
        self.client.post(reverse("learning:close", args=[pre.pk]))
        post = self.open("post")
        _client, seat2 = self.admitted(post, self.person)
        self.assertEqual(seat2.form, form_for(f"p{self.person.pk}", self.activity.pk, "post"))

    def test_a_seat_without_a_name_writes_no_programme_result(self) -> None:
        session = self.open()
        client, seat = self.admitted(session)
        client.post(f"/t/{seat.token}/quien/", {"anonymous": "1", "mother": "m", "day": "3", "town": "p"}, headers=SAME)
        seat.refresh_from_db()
        self.answer_all(client, seat, right=5)
        self.client.post(reverse("learning:close", args=[session.pk]))
        self.assertFalse(AssessmentResult.objects.exists())


class SplitTest(LiveTestCase):
    def test_the_split_is_deterministic_and_about_half(self) -> None:
        forms = [first_form(f"p{i}", 7) for i in range(400)]
        self.assertEqual(forms, [first_form(f"p{i}", 7) for i in range(400)])
        self.assertTrue(160 < forms.count("A") < 240)


class NoCookieTest(LiveTestCase):
    def test_no_public_get_or_post_sets_a_cookie(self) -> None:
        session = self.open()
        client = phone()
        responses: list[Any] = [client.get("/t/"), client.post("/t/", {"code": "nope"}, headers=SAME)]
        client, seat = self.join(session, client)
        responses.append(client.get(f"/t/{seat.token}/"))
        self.client.post(reverse("learning:seat_decide", args=[session.pk, seat.pk]), {"decision": "admit"})
        responses.append(client.get(f"/t/{seat.token}/"))
        responses.append(client.post(f"/t/{seat.token}/quien/", {"participant": "x"}, headers=SAME))
        responses.append(client.post(f"/t/{seat.token}/quien/", {"participant": self.person.pk}, headers=SAME))
        responses.append(client.get(f"/t/{seat.token}/"))
        q = actions.seat_questions(Seat.objects.get(pk=seat.pk))[0]
        responses.append(client.post(f"/t/{seat.token}/responder/", {"question": q.code, "choice": ["1"]},
                                     headers=SAME))
        responses.append(client.post(f"/t/{seat.token}/responder/", {"question": q.code, "choice": ["1"]},
                                     HTTP_ACCEPT="application/json", headers=SAME))
        responses.append(client.post(f"/t/{seat.token}/ayuda/", headers=SAME))
        self.client.post(reverse("learning:close", args=[session.pk]))
        responses.append(client.get(f"/t/{seat.token}/"))
        for response in responses:
            self.assertNotIn("Set-Cookie", response.headers, response.request["PATH_INFO"])
            self.assertFalse(response.cookies, response.request["PATH_INFO"])
            self.assertEqual(response.headers.get("Cache-Control"), "no-store", response.request["PATH_INFO"]) \
                if response.status_code == 200 else None
        self.assertFalse(client.cookies)


class PaperTest(LiveTestCase):
    def test_each_form_and_its_answer_sheet_print_as_a_one_page_pdf(self) -> None:
        for form in ("A", "B"):
            for sheet in ("prueba", "clave"):
                response = self.client.get(reverse("learning:paper", args=["sample", form, sheet]))
                self.assertEqual(response.status_code, 200)
                self.assertTrue(response.content.startswith(b"%PDF"))
                pages = paper.document(self.course, form, "es", key=sheet == "clave").pages
                self.assertEqual(len(pages), 1, (form, sheet))

    def test_an_unknown_form_is_404(self) -> None:
        self.assertEqual(self.client.get(reverse("learning:paper", args=["sample", "C", "prueba"])).status_code, 404)


class PaperEntryTest(LiveTestCase):
    def url(self) -> str:
        return reverse("learning:paper_entry", args=[self.activity.pk])

    def test_typed_paper_answers_become_the_activitys_result_with_the_same_questions(self) -> None:
        data = {"curso": "sample", "fase": "pre", f"f{self.person.pk}": "B"}
        data.update({f"a{self.person.pk}_{n}": "b" for n in range(1, 9)})  # 1–8 single choice, key b
        data.update({f"a{self.person.pk}_9": "a", f"a{self.person.pk}_10": "ac"})  # true; a and c
        response = self.client.post(self.url(), data, follow=True)
        self.assertRedirects(response, reverse("learning:start", args=[self.activity.pk]))
        self.assertContains(response, "Respuestas en papel guardadas: 1 resultado.")
        result = AssessmentResult.objects.get(participant=self.person, phase="pre")
        self.assertEqual((result.score, result.max_score, result.rule["form"]), (10, 10, "B"))
        self.assertEqual(result.instrument_code, "learning-sample")
        self.assertEqual(Answer.objects.filter(seat__participant=self.person).count(), 10)

    def test_a_second_entry_replaces_the_first(self) -> None:
        base = {"curso": "sample", "fase": "pre", f"f{self.person.pk}": "A", f"a{self.person.pk}_1": "b"}
        self.client.post(self.url(), base)
        self.client.post(self.url(), {**base, f"a{self.person.pk}_1": "a"})
        self.assertEqual(Answer.objects.filter(seat__participant=self.person).count(), 1)
        self.assertEqual(AssessmentResult.objects.get(participant=self.person).score, 0)

    def test_a_letter_out_of_range_saves_nothing_and_keeps_what_was_typed(self) -> None:
        data = {"curso": "sample", "fase": "pre", f"f{self.person.pk}": "A", f"a{self.person.pk}_1": "b",
                f"a{self.person.pk}_2": "z", f"f{self.other.pk}": "B", f"a{self.other.pk}_1": "a"}
        response = self.client.post(self.url(), data)
        self.assertContains(response, "A2:", status_code=400)
        self.assertContains(response, 'value="z"', status_code=400)
        self.assertFalse(Answer.objects.exists())
        self.assertFalse(AssessmentResult.objects.exists())

    def test_someone_outside_the_roster_is_refused(self) -> None:
        stranger = fixtures.participant(self.cast, "P-ZZZ999", name="Ana Torres")
        response = self.client.post(self.url(), {"curso": "sample", "fase": "pre", f"f{stranger.pk}": "A"})
        self.assertEqual(response.status_code, 400)  # not on the roster: not even read
        self.assertFalse(AssessmentResult.objects.exists())

    def test_the_page_opens_on_the_course_of_the_activitys_group(self) -> None:
        response = self.client.get(self.url())
        self.assertContains(response, "Respuestas dadas en papel")
        self.assertContains(response, f'name="f{self.person.pk}"')


class ProgrammeSheetTest(LiveTestCase):
    def test_a_course_test_is_not_offered_on_the_programmes_generic_sheet(self) -> None:
        pre = self.open("pre")
        client, seat = self.admitted(pre, self.person)
        self.answer_all(client, seat, right=4)
        self.client.post(reverse("learning:close", args=[pre.pk]))
        result = AssessmentResult.objects.get(participant=self.person)
        url = reverse("program:sheet", args=[self.activity.pk, result.instrument_id, "pre"])
        self.assertEqual(self.client.get(url).status_code, 404)
