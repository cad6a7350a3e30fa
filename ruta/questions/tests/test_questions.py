"""Anonymous questions: asked without any trace of the asker, read by code (POST only),
answered by counsellors from a queue ordered by danger, passed on, published after a second
person approves, and deleted on time."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ruta.audit.models import AccessEvent
from ruta.lib.ratelimit import reset_all
from ruta.questions import actions
from ruta.questions.codes import CODE_WORDS, code_hash, new_code, words
from ruta.questions.danger import signals_danger
from ruta.questions.models import PublishedAnswer, Question
from ruta.testing.cast import BaseTestCase

SAME_ORIGIN = {"sec-fetch-site": "same-origin"}
CODE = re.compile(r'<p class="card code" lang="es"><strong>([^<]+)</strong></p>')


def ask(client: Client, text: str, **extra: str) -> tuple[int, str]:
    response = client.post("/preguntas/enviar/", {"text": text, **extra}, headers=SAME_ORIGIN)
    return response.status_code, response.content.decode()


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    reset_all()


def test_the_word_list_gives_enough_codes() -> None:
    assert len(set(words())) >= 2000 and len(set(words())) ** CODE_WORDS > 2**32
    assert len(new_code().split()) == CODE_WORDS


@pytest.mark.parametrize("text", ["Mi padrastro me pega", "quiero MORIR", "me amenazó con publicar mis fotos",
                                  "Taytay maqawan", "wañuyta munani", "Tengo miedo de volver"])
def test_words_of_danger_are_found_in_spanish_and_quechua(text: str) -> None:
    assert signals_danger(text)


@pytest.mark.parametrize("text", ["¿Qué es el consentimiento?", "Tengo tarea de matemáticas", "Mi enamorado es celoso"])
def test_ordinary_questions_are_not_danger(text: str) -> None:
    assert not signals_danger(text)


@pytest.mark.django_db
def test_asking_stores_only_the_encrypted_text_and_a_hash_of_the_code(client: Client) -> None:
    status, body = ask(client, "¿Puedo ir sola al centro de salud?", )
    assert status == 200
    code = CODE.search(body).group(1)  # type: ignore[union-attr]
    question = Question.objects.get()
    assert question.code_hash == code_hash(code) and code not in str(question.__dict__)
    from django.db import connection
    with connection.cursor() as cur:
        cur.execute("SELECT text FROM questions_question")
        assert "centro de salud" not in cur.fetchone()[0]
    assert not client.cookies


@pytest.mark.django_db
def test_danger_words_show_the_lines_at_once_and_shorten_the_deadline(client: Client) -> None:
    status, body = ask(client, "Mi padrastro me pega y tengo miedo")
    assert status == 200 and 'role="alert"' in body
    for mark in ('href="tel:100"', 'href="tel:105"', "Chat 100", "SAU"):
        assert mark in body
    question = Question.objects.get()
    assert question.danger and question.due_at - question.asked_at == timedelta(hours=24)


@pytest.mark.django_db
def test_an_ordinary_question_is_due_in_48_hours(client: Client) -> None:
    ask(client, "¿Qué es el consentimiento?")
    question = Question.objects.get()
    assert not question.danger and question.due_at - question.asked_at == timedelta(hours=48)


@pytest.mark.django_db
def test_a_question_from_another_site_is_refused(client: Client) -> None:
    response = client.post("/preguntas/enviar/", {"text": "¿Qué es el consentimiento?"},
                           headers={"sec-fetch-site": "cross-site"})
    assert response.status_code == 403 and not Question.objects.exists()


@pytest.mark.django_db
def test_the_honeypot_stores_nothing(client: Client) -> None:
    status, body = ask(client, "Compra barato en mi sitio web", website="http://spam.example")
    assert status == 200 and not Question.objects.exists() and not CODE.search(body)


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["corto", "x" * 2001, ""])
def test_size_limits_refuse_a_question(client: Client, text: str) -> None:
    status, _ = ask(client, text)
    assert status == 400 and not Question.objects.exists()


@pytest.mark.django_db
def test_asking_is_rate_limited(client: Client) -> None:
    statuses = [ask(client, f"¿Pregunta número {i} sobre mis derechos?")[0] for i in range(7)]
    assert statuses[:5] == [200] * 5 and statuses[5] == 429 and Question.objects.count() == 5


@pytest.mark.django_db
def test_reading_by_code_is_a_post_with_no_store_and_counts_down_30_days(client: Client) -> None:
    asked = actions.ask_question("¿Puedo denunciar sin mis papás?", "es")
    question = Question.objects.get()
    question.answered_at, question.answer = timezone.now(), "Sí, puedes."
    question.save()
    response = client.post("/preguntas/leer/", {"code": asked.code.upper()}, headers=SAME_ORIGIN)
    assert response.status_code == 200 and "Sí, puedes." in response.content.decode()
    assert "no-store" in response["Cache-Control"] and not response.cookies
    question.refresh_from_db()
    assert question.read_at and question.delete_after - question.read_at == timedelta(days=30)


@pytest.mark.django_db
def test_a_wrong_code_finds_nothing_and_reading_is_rate_limited(client: Client) -> None:
    actions.ask_question("¿Puedo denunciar sin mis papás?", "es")
    statuses = [client.post("/preguntas/leer/", {"code": "ábaco abeja abdomen"}, headers=SAME_ORIGIN).status_code
                for _ in range(21)]
    assert statuses[0] == 404 and statuses[-1] == 429
    assert client.post("/preguntas/leer/", {"code": "una"}, headers=SAME_ORIGIN).status_code == 429


@pytest.mark.django_db
def test_reading_a_code_with_get_shows_only_the_form(client: Client) -> None:
    asked = actions.ask_question("¿Puedo denunciar sin mis papás?", "es")
    body = client.get("/preguntas/leer/", {"code": asked.code}).content.decode()
    assert "¿Puedo denunciar" not in body


@pytest.mark.django_db
def test_deletion_after_30_days_read_and_90_unread() -> None:
    now = timezone.now()
    actions.ask_question("Pregunta leída hace tiempo", "es")
    actions.ask_question("Pregunta que nadie leyó", "es")
    actions.ask_question("Pregunta reciente sin leer", "es")
    read, unread, recent = Question.objects.order_by("pk")
    Question.objects.filter(pk=read.pk).update(read_at=now - timedelta(days=31), delete_after=now - timedelta(days=1))
    Question.objects.filter(pk=unread.pk).update(delete_after=now - timedelta(seconds=1))
    assert actions.delete_expired() == 2
    assert list(Question.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_deletion_job_is_scheduled() -> None:
    from ruta.jobs.schedule import SCHEDULE

    assert any(p.task == "ruta.questions.tasks.delete_expired_questions" for p in SCHEDULE)


class CounsellorTests(BaseTestCase):
    def setUp(self) -> None:
        reset_all()

    def test_the_queue_puts_danger_first_then_the_longest_waiting(self) -> None:
        actions.ask_question("¿Qué es el consentimiento?", "es")
        actions.ask_question("Mi padrastro me pega", "es")
        actions.ask_question("Otra pregunta tranquila", "es")
        first, danger, third = Question.objects.order_by("pk")
        Question.objects.filter(pk=first.pk).update(asked_at=timezone.now() - timedelta(hours=5))
        self.login(self.counsellor)
        body = self.client.get("/preguntas/equipo/").content.decode()
        order = [int(m) for m in re.findall(r'href="/preguntas/equipo/(\d+)/"', body)]
        assert order[:3] == [danger.pk, first.pk, third.pk]
        assert "padrastro" not in body  # the list shows no question text

    def test_opening_a_question_writes_an_access_event(self) -> None:
        actions.ask_question("Mi padrastro me pega", "es")
        question = Question.objects.get()
        self.login(self.counsellor)
        assert self.client.get(f"/preguntas/equipo/{question.pk}/").status_code == 200
        event = AccessEvent.objects.filter(action="question.open").get()
        assert event.actor == self.counsellor and event.object_id == str(question.pk)
        assert "padrastro" not in str(event.detail)

    def test_a_counsellor_answers_and_the_answer_cannot_change_after_reading(self) -> None:
        asked = actions.ask_question("¿Puedo denunciar sin mis papás?", "es")
        question = Question.objects.get()
        self.login(self.counsellor)
        self.client.post(f"/preguntas/equipo/{question.pk}/", {"answer": "Sí, puedes ir sola."})
        question.refresh_from_db()
        assert question.answer == "Sí, puedes ir sola." and question.answered_by == self.counsellor
        actions.mark_read(actions.find_by_code(asked.code))  # type: ignore[arg-type]
        self.client.post(f"/preguntas/equipo/{question.pk}/", {"answer": "Otra cosa"})
        question.refresh_from_db()
        assert question.answer == "Sí, puedes ir sola."

    def test_other_roles_do_not_see_that_questions_exist(self) -> None:
        actions.ask_question("¿Puedo denunciar sin mis papás?", "es")
        question = Question.objects.get()
        for user in (self.caseworker, self.coordinator, self.admin, self.facilitator):
            self.login(user)
            assert self.client.get(f"/preguntas/equipo/{question.pk}/").status_code == 404

    def test_a_case_supervisor_sees_only_questions_passed_on(self) -> None:
        actions.ask_question("Mi padrastro me pega, tengo 13 años", "es")
        question = Question.objects.get()
        self.login(self.case_supervisor)
        assert self.client.get(f"/preguntas/equipo/{question.pk}/").status_code == 404
        self.login(self.counsellor)
        self.client.post(f"/preguntas/equipo/{question.pk}/derivar/")
        assert AccessEvent.objects.filter(action="question.pass_to_supervisor").count() == 1
        self.login(self.case_supervisor)
        assert "padrastro" in self.client.get(f"/preguntas/equipo/{question.pk}/").content.decode()

    def test_publication_needs_an_edit_and_a_second_person(self) -> None:
        actions.ask_question("Soy Rosa del colegio Fitzcarrald, ¿puedo denunciar sola?", "es")
        question = Question.objects.get()
        actions.answer_question(self.counsellor, question, "Sí, puedes denunciar sin un adulto.")
        self.login(self.counsellor)
        self.client.post(f"/preguntas/equipo/{question.pk}/publicar/",
                         {"question_text": "¿Puedo denunciar sola?", "answer_text": "Sí, puedes."})
        proposal = PublishedAnswer.objects.get()
        assert "Rosa" not in proposal.question_text
        assert "¿Puedo denunciar sola?" not in Client().get("/preguntas/").content.decode()
        self.client.post(f"/preguntas/equipo/publicaciones/{proposal.pk}/")  # the proposer cannot approve
        proposal.refresh_from_db()
        assert proposal.approved_at is None
        self.login(self.case_supervisor)
        self.client.post(f"/preguntas/equipo/publicaciones/{proposal.pk}/")
        proposal.refresh_from_db()
        assert proposal.approved_by == self.case_supervisor
        assert "¿Puedo denunciar sola?" in Client().get("/preguntas/").content.decode()
