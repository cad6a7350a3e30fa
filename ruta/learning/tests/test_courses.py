"""Public course pages: lessons readable without an account, sanitised, light, no cookie."""

from __future__ import annotations

import pytest
from django.test import Client

from ruta.learning.tests.helpers import sample_course
from ruta.testing.weight import page_weight

pytestmark = pytest.mark.django_db


def test_the_course_list_course_and_lesson_pages_read_in_spanish() -> None:
    sample_course()
    client = Client()
    assert "Curso de prueba" in client.get("/cursos/").content.decode()
    course = client.get("/cursos/sample/").content.decode()
    assert "Primer objetivo" in course and "Lección 1 (es)" in course
    lesson = client.get("/cursos/sample/leccion/")
    text = lesson.content.decode()
    assert "<strong>breve</strong>" in text
    assert "<script>alert" not in text
    assert "Ley 30364 (2015), art. 8 (verificado con el texto oficial)" in text or "Ley 30364 (2015), art. 8" in text
    assert "Lección 1 de 2" in text


def test_the_english_lesson_is_under_en() -> None:
    sample_course()
    assert "Lección 1 (en)" in Client().get("/en/cursos/sample/leccion/").content.decode()


def test_an_unknown_lesson_or_course_is_404() -> None:
    sample_course()
    assert Client().get("/cursos/sample/nada/").status_code == 404
    assert Client().get("/cursos/nada/").status_code == 404


def test_course_pages_set_no_cookie_and_fit_the_budget() -> None:
    sample_course()
    for path in ("/cursos/", "/cursos/sample/", "/cursos/sample/leccion/"):
        response = Client().get(path)
        assert "Set-Cookie" not in response.headers, path
        weight = page_weight(Client(), path)
        assert weight.compressed_bytes <= 30 * 1024 and weight.requests <= 4, (path, str(weight))
