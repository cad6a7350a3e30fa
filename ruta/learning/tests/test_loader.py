"""The course loader: strict checks with clear errors, versions, rendering, the API."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from ruta.learning.loader import ContentError, load_courses, read_course
from ruta.learning.models import Course, Question, TestVersion
from ruta.learning.render import markdown_html

FIXTURE = Path(__file__).parent / "content"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, count))


def _problems(folder: Path) -> str:
    with pytest.raises(ContentError) as caught:
        read_course(folder)
    return str(caught.value)


def test_the_fixture_course_reads(content: Path) -> None:
    data = read_course(content / "1-sample")
    assert (data.code, data.groups, len(data.lessons), len(data.questions)) == ("sample", ["teacher", "family"], 2, 20)


def test_it_rejects_a_missing_question_on_form_b(content: Path) -> None:
    q = content / "1-sample" / "questions.toml"
    text = q.read_text()
    q.write_text(text[:text.rindex("[[questions]]")])
    assert "form B has 9 valid questions, needs exactly 10" in _problems(content / "1-sample")


def test_it_rejects_forms_on_different_objectives(content: Path) -> None:
    q = content / "1-sample" / "questions.toml"
    text = q.read_text()
    start = text.index('code = "sample.b01"')
    q.write_text(text[:start] + text[start:].replace('objective = "sample.one"', 'objective = "sample.two"', 1))
    assert "forms A and B must cover the same objectives equally" in _problems(content / "1-sample")


def test_it_rejects_a_correct_index_out_of_range(content: Path) -> None:
    _edit(content / "1-sample" / "questions.toml", "correct = [1]", "correct = [3]")
    assert "question 1 (sample.a01): correct [3] is out of range (0–2)" in _problems(content / "1-sample")


def test_it_rejects_an_unknown_kind_and_confidence(content: Path) -> None:
    _edit(content / "1-sample" / "questions.toml", 'kind = "single"', 'kind = "essay"')
    _edit(content / "1-sample" / "questions.toml", 'confidence = "verified"', 'confidence = "sure"')
    problems = _problems(content / "1-sample")
    assert "kind must be one of" in problems and "confidence must be one of" in problems


def test_it_rejects_a_question_without_english(content: Path) -> None:
    _edit(content / "1-sample" / "questions.toml", '[questions.en]\ntext = "Question A1"', '[questions.fr]\ntext = "x"')
    assert "question 1 (sample.a01): [en] needs text and explanation" in _problems(content / "1-sample")


def test_it_rejects_two_correct_answers_on_a_single_choice(content: Path) -> None:
    _edit(content / "1-sample" / "questions.toml", "correct = [1]", "correct = [1, 2]")
    assert "a single question has exactly one correct answer" in _problems(content / "1-sample")


def test_it_rejects_a_lesson_missing_its_english_twin(content: Path) -> None:
    (content / "1-sample" / "lessons" / "2-otra.en.md").unlink()
    assert "lessons/2-otra.en.md is missing" in _problems(content / "1-sample")


def test_it_rejects_an_unknown_group_and_a_bad_source_confidence(content: Path) -> None:
    _edit(content / "1-sample" / "course.toml", '"family"', '"parents"')
    _edit(content / "1-sample" / "lessons" / "1-leccion.es.md", 'confidence = "verified"', 'confidence = "maybe"')
    problems = _problems(content / "1-sample")
    assert "groups" in problems and "lessons/1-leccion.es.md: each source needs" in problems


@pytest.mark.django_db
def test_nothing_is_stored_when_one_course_is_wrong(content: Path) -> None:
    shutil.copytree(content / "1-sample", content / "2-other")
    _edit(content / "2-other" / "course.toml", 'code = "sample"', 'code = "other"')
    _edit(content / "2-other" / "questions.toml", "correct = [1]", "correct = [9]")
    with pytest.raises(ContentError):
        load_courses(content)
    assert not Course.objects.filter(code__in=["sample", "other"]).exists()


@pytest.mark.django_db
def test_loading_twice_changes_nothing(content: Path) -> None:
    load_courses(content)
    load_courses(content)
    course = Course.objects.get(code="sample")
    assert course.versions.count() == 1
    assert Question.objects.filter(version__course=course).count() == 20
    assert course.lessons.count() == 2


@pytest.mark.django_db
def test_a_changed_question_of_an_unused_version_is_updated_in_place(content: Path) -> None:
    load_courses(content)
    _edit(content / "1-sample" / "questions.toml", 'text = "Pregunta A1"', 'text = "Pregunta A1 mejor"')
    load_courses(content)
    version = TestVersion.objects.get(course__code="sample")
    assert version.questions.get(code="sample.a01").text_es == "Pregunta A1 mejor"


@pytest.mark.django_db
def test_a_changed_question_of_a_used_version_makes_a_new_version(content: Path) -> None:
    load_courses(content)
    used = TestVersion.objects.get(course__code="sample")
    used.used_at = timezone.now()
    used.save()
    _edit(content / "1-sample" / "questions.toml", 'text = "Pregunta A1"', 'text = "Pregunta A1 mejor"')
    load_courses(content)
    versions = list(TestVersion.objects.filter(course__code="sample").order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].questions.get(code="sample.a01").text_es == "Pregunta A1"
    assert versions[1].questions.get(code="sample.a01").text_es == "Pregunta A1 mejor"


@pytest.mark.django_db
def test_a_question_of_a_used_version_cannot_be_saved(content: Path) -> None:
    from django.core.exceptions import ValidationError

    load_courses(content)
    question = Question.objects.get(code="sample.a01")
    TestVersion.objects.filter(pk=question.version_id).update(used_at=timezone.now())
    question.text_es = "cambiada"
    with pytest.raises(ValidationError):
        question.save()


def test_lesson_markdown_is_rendered_without_script() -> None:
    html = markdown_html("Texto **breve** <script>alert(1)</script> [x](javascript:alert(1)) [y](https://a.org)")
    assert "<strong>breve</strong>" in html
    assert "<script" not in html and "href=\"javascript" not in html
    assert 'href="https://a.org"' in html


@pytest.mark.django_db
def test_the_courses_api_lists_code_groups_languages_and_sizes(content: Path) -> None:
    load_courses(content)
    body = Client().get("/api/v1/courses?lang=en").json()
    sample = next(c for c in body if c["code"] == "sample")
    assert sample == {"code": "sample", "title": "Test course", "groups": ["teacher", "family"],
                      "languages": ["es", "en"], "lessons": 2, "questions_per_form": 10}
