"""Self-paced courses: progress code, lessons, post-test, certificate and its public check."""

from __future__ import annotations

import math
import re
from typing import Any

from django.db import connection
from django.test import Client, TestCase
from django.utils import translation

from ruta.learning import selfpaced, views_selfpaced
from ruta.learning.models import (
    CODE_ALPHABET,
    Certificate,
    Course,
    SelfAnswer,
    SelfLearner,
    TestVersion,
)
from ruta.learning.tests.helpers import SAME, phone, sample_course
from ruta.lib.ratelimit import reset_all

CODE_RE = re.compile(r'name="code" value="([A-Z0-9-]+)"')


def _no_cookie(response) -> None:  # type: ignore[no-untyped-def]
    assert "Set-Cookie" not in response.headers and not response.cookies


class SelfPacedCase(TestCase):
    def setUp(self) -> None:
        translation.activate("es-pe")
        reset_all()
        self.course = sample_course()
        self.url = f"/cursos/{self.course.code}/"

    def start(self, client: Client | None = None) -> tuple[Client, str]:
        client = client or phone()
        response = client.post(self.url + "empezar/", headers=SAME)
        self.assertEqual(response.status_code, 200)
        _no_cookie(response)
        match = CODE_RE.search(response.content.decode())
        assert match is not None
        return client, match.group(1)

    def step(self, client: Client, code: str, **data: object) -> Any:
        response = client.post(self.url + "avance/", {"code": code, **data}, headers=SAME)
        _no_cookie(response)
        return response

    def learner(self) -> SelfLearner:
        return SelfLearner.objects.get()

    def take_test(self, client: Client, code: str, right: int) -> None:
        for i, q in enumerate(selfpaced.questions(self.learner())):
            chosen = q.correct if i < right else [c for c in range(len(q.choices("es"))) if c not in q.correct][:1]
            response = self.step(client, code, question=q.code, choice=chosen)
            self.assertEqual(response.status_code, 200)


class CodeTest(SelfPacedCase):
    def test_progress_code_has_enough_entropy_and_an_unambiguous_alphabet(self) -> None:
        codes = {selfpaced.new_code() for _ in range(200)}
        self.assertEqual(len(codes), 200)
        for code in codes:
            self.assertEqual(len(code), 12)
            self.assertTrue(set(code) <= set(CODE_ALPHABET))
        self.assertTrue(set(CODE_ALPHABET).isdisjoint(set("01OIL2Z5S8B")))
        self.assertGreaterEqual(12 * math.log2(len(CODE_ALPHABET)), 50)

    def test_start_shows_the_code_and_stores_only_its_keyed_hash(self) -> None:
        _client, code = self.start()
        learner = self.learner()
        self.assertNotIn(code.replace("-", ""), learner.code_hash)
        self.assertEqual(len(learner.code_hash), 64)
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM learning_selflearner")
            raw = repr(cursor.fetchall())
        self.assertNotIn(code.replace("-", ""), raw)
        self.assertEqual(learner.form, "B")

    def test_code_is_never_in_a_url(self) -> None:
        client, code = self.start()
        response = self.step(client, code)
        body = response.content.decode()
        for href in re.findall(r'(?:href|action)="([^"]*)"', body):
            self.assertNotIn(code, href)
            self.assertNotIn(code.replace("-", ""), href)

    def test_code_is_never_in_a_log(self) -> None:
        client, code = self.start()
        with self.assertLogs("django", level="WARNING") as logs:
            self.step(client, code[:-1] + ("A" if code[-1] != "A" else "C"))  # a wrong code: 400, logged
            self.step(client, code, question="nope", choice=["0"])  # a bad answer: 400, logged
        text = "\n".join(logs.output)
        self.assertIn("/avance/", text)
        self.assertNotIn(code[:4], text)

    def test_resume_with_the_code_typed_in_lower_case_without_dashes(self) -> None:
        _client, code = self.start()
        response = self.step(phone(), code.replace("-", " ").lower())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, code)

    def test_a_wrong_code_is_refused(self) -> None:
        self.start()
        response = self.step(phone(), "AAAA-AAAA-AAAA")
        self.assertEqual(response.status_code, 400)
        response = self.step(phone(), "not a code at all ' or 1=1")
        self.assertEqual(response.status_code, 400)

    def test_another_courses_code_is_refused(self) -> None:
        other = Course.objects.create(code="otro", title_es="Otro", title_en="Other")
        TestVersion.objects.create(course=other, number=1, content_hash="x")
        client = phone()
        response = client.post("/cursos/otro/empezar/", headers=SAME)
        code = CODE_RE.search(response.content.decode()).group(1)  # type: ignore[union-attr]
        self.assertEqual(self.step(client, code).status_code, 400)
        response = client.post("/cursos/otro/avance/", {"code": code}, headers=SAME)
        self.assertEqual(response.status_code, 200)

    def test_a_post_from_another_site_is_refused(self) -> None:
        response = phone().post(self.url + "empezar/", headers={"Sec-Fetch-Site": "cross-site"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(SelfLearner.objects.exists())

    def test_lookups_are_rate_limited(self) -> None:
        client, code = self.start()
        limit = views_selfpaced.lookup_limit.limit
        views_selfpaced.lookup_limit.limit = 3
        try:
            statuses = [self.step(client, "AAAA-AAAA-AAAA").status_code for _ in range(3)]
            self.assertEqual(statuses, [400, 400, 400])
            response = self.step(client, code)
            self.assertEqual(response.status_code, 429)
        finally:
            views_selfpaced.lookup_limit.limit = limit

    def test_no_page_of_the_flow_sets_a_cookie(self) -> None:
        client = phone()
        for url in (self.url, self.url + "continuar/", "/cursos/verificar/"):
            _no_cookie(client.get(url))
        _client, code = self.start(client)
        self.take_test(client, code, right=10)
        _no_cookie(client.post(self.url + "constancia/", {"code": code, "name": "Ana Pérez"}, headers=SAME))
        _no_cookie(client.post("/cursos/verificar/", {"code": "AAAA"}, headers=SAME))
        self.assertFalse(client.cookies)


class ProgressTest(SelfPacedCase):
    def test_reading_a_lesson_is_remembered_under_the_code(self) -> None:
        client, code = self.start()
        slug = self.course.lessons.order_by("order").first().slug  # type: ignore[union-attr]
        response = self.step(client, code, lesson=slug)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.learner().lessons_read, [slug])
        self.step(client, code, lesson=slug)
        self.assertEqual(self.learner().lessons_read, [slug])
        self.assertEqual(self.step(client, code, lesson="nope").status_code, 400)

    def test_one_question_per_screen_and_answers_are_kept_once(self) -> None:
        client, code = self.start()
        response = self.step(client, code, test="1")
        self.assertContains(response, "Pregunta 1 de 10")
        q = selfpaced.questions(self.learner())[0]
        self.step(client, code, question=q.code, choice=q.correct)
        response = self.step(client, code, question=q.code, choice=[9])
        self.assertContains(response, "Pregunta 2 de 10")
        self.assertEqual(SelfAnswer.objects.get().chosen, q.correct)

    def test_a_broken_answer_is_refused(self) -> None:
        client, code = self.start()
        q = selfpaced.questions(self.learner())[0]
        for bad in (["-1"], ["x"], ["99"], []):
            response = self.step(client, code, question=q.code, choice=bad)
            self.assertEqual(response.status_code, 400, bad)
        self.assertFalse(SelfAnswer.objects.exists())


class CertificateTest(SelfPacedCase):
    def test_threshold_is_70_percent_not_69(self) -> None:
        self.assertFalse(selfpaced.passes(69, 100))
        self.assertTrue(selfpaced.passes(70, 100))
        self.assertFalse(selfpaced.passes(6999, 10000))
        self.assertFalse(selfpaced.passes(0, 0))

    def test_six_of_ten_gets_no_certificate(self) -> None:
        client, code = self.start()
        self.take_test(client, code, right=6)
        response = client.post(self.url + "constancia/", {"code": code, "name": "Ana Pérez"}, headers=SAME)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Certificate.objects.exists())
        response = self.step(client, code, retry="1")
        self.assertContains(response, "Pregunta 1 de 10")

    def test_seven_of_ten_gets_a_pdf_certificate(self) -> None:
        client, code = self.start()
        self.take_test(client, code, right=7)
        response = client.post(self.url + "constancia/", {"code": code, "name": "  Ana  María Pérez "}, headers=SAME)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        cert = Certificate.objects.get()
        self.assertEqual((cert.name, cert.score), ("Ana María Pérez", 70))

    def test_the_name_is_encrypted_in_the_raw_database(self) -> None:
        client, code = self.start()
        self.take_test(client, code, right=10)
        client.post(self.url + "constancia/", {"code": code, "name": "Rosa Quispe Huamán"}, headers=SAME)
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, verify_code FROM learning_certificate")
            raw = repr(cursor.fetchall())
        self.assertNotIn("Rosa", raw)
        self.assertNotIn("Quispe", raw)
        self.assertEqual(Certificate.objects.get().name, "Rosa Quispe Huamán")

    def test_an_empty_name_is_refused(self) -> None:
        client, code = self.start()
        self.take_test(client, code, right=10)
        response = client.post(self.url + "constancia/", {"code": code, "name": " 1 "}, headers=SAME)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Certificate.objects.exists())

    def test_check_page_shows_initials_only(self) -> None:
        client, code = self.start()
        self.take_test(client, code, right=10)
        client.post(self.url + "constancia/", {"code": code, "name": "Rosa Quispe Huamán"}, headers=SAME)
        verify_code = selfpaced.show_code(Certificate.objects.get().verify_code)
        response = phone().post("/cursos/verificar/", {"code": verify_code.lower()}, headers=SAME)
        self.assertContains(response, "R. Q. H.")
        self.assertContains(response, self.course.title_es)
        self.assertNotContains(response, "Rosa")
        self.assertNotContains(response, "Quispe")
        _no_cookie(response)

    def test_the_progress_code_is_not_a_verification_code(self) -> None:
        client, code = self.start()
        self.take_test(client, code, right=10)
        client.post(self.url + "constancia/", {"code": code, "name": "Rosa Quispe"}, headers=SAME)
        response = phone().post("/cursos/verificar/", {"code": code}, headers=SAME)
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(response, "R. Q.", status_code=404)

    def test_verification_is_rate_limited(self) -> None:
        client = phone()
        statuses = [client.post("/cursos/verificar/", {"code": "AAAA-AAAA-AAAA"}, headers=SAME).status_code
                    for _ in range(views_selfpaced.verify_limit.limit + 1)]
        self.assertEqual(statuses[-1], 429)
        self.assertEqual(set(statuses[:-1]), {404})

    def test_initials(self) -> None:
        self.assertEqual(selfpaced.initials("maría  del Carmen Ñahui"), "M. D. C. Ñ.")


class WeightTest(SelfPacedCase):
    def test_every_self_paced_page_is_within_the_budget(self) -> None:
        from ruta.testing.weight import page_weight, response_weight

        budget = 30 * 1024
        client = phone()
        weights = {"course": page_weight(client, self.url), "resume": page_weight(client, self.url + "continuar/"),
                   "verify": page_weight(client, "/cursos/verificar/")}
        response = client.post(self.url + "empezar/", headers=SAME)
        weights["code"] = response_weight("code", response.content)
        code = CODE_RE.search(response.content.decode()).group(1)  # type: ignore[union-attr]
        weights["progress"] = response_weight("progress", self.step(client, code).content)
        slug = self.course.lessons.order_by("order").first().slug  # type: ignore[union-attr]
        weights["lesson"] = response_weight("lesson", self.step(client, code, lesson=slug).content)
        weights["question"] = response_weight("question", self.step(client, code, test="1").content)
        self.take_test(client, code, right=10)
        weights["result"] = response_weight("result", self.step(client, code).content)
        for name, weight in weights.items():
            print(f"self-paced page {name}: {weight}")  # noqa: T201  (reported by the test run)
            self.assertLessEqual(weight.compressed_bytes, budget, name)
            self.assertLessEqual(weight.requests, 4, name)


class RetentionTest(SelfPacedCase):
    def test_idle_progress_without_certificate_is_forgotten_after_a_year(self) -> None:
        import datetime as dt

        from django.utils import timezone

        client, code = self.start()
        self.take_test(client, code, right=10)
        client.post(self.url + "constancia/", {"code": code, "name": "Rosa Quispe"}, headers=SAME)
        self.start()
        later = timezone.now() + dt.timedelta(days=selfpaced.IDLE_DAYS + 1)
        self.assertEqual(selfpaced.delete_idle(timezone.now()), 0)
        self.assertEqual(selfpaced.delete_idle(later), 1)
        self.assertEqual(SelfLearner.objects.count(), 1)
        self.assertEqual(Certificate.objects.count(), 1)
