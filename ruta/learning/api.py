"""``GET /api/v1/courses``: the public courses, with their groups, languages and size."""

from __future__ import annotations

from typing import Literal

from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Router, Schema

from ruta.learning.codes import LANGUAGES
from ruta.learning.models import Course, Question

router = Router(tags=["learning"])


class CourseOut(Schema):
    code: str
    title: str
    groups: list[str]
    languages: list[str]
    lessons: int
    questions_per_form: int


@router.get("/courses", response=list[CourseOut], summary="Courses", auth=None,
            description="Every active course: its stable code, title (in `lang`), stakeholder group codes, "
                        "languages, number of lessons and questions on each test form (A and B).")
def courses(request: HttpRequest, lang: Literal["es", "en"] = "es") -> list[dict[str, object]]:
    rows = Course.objects.filter(active=True).annotate(n_lessons=Count("lessons"))
    out = []
    for course in rows:
        version = course.current_version()
        per_form = 0
        if version is not None:
            counts = Question.objects.filter(version=version).aggregate(
                a=Count("pk", filter=Q(form="A")), b=Count("pk", filter=Q(form="B")))
            per_form = min(counts["a"], counts["b"])
        out.append({"code": course.code, "title": course.title(lang), "groups": course.groups,
                    "languages": list(LANGUAGES), "lessons": course.n_lessons, "questions_per_form": per_form})
    return out
