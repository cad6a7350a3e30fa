"""Public course pages: read the lessons without an account and without a cookie."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from ruta.learning.models import Course
from ruta.learning.render import markdown_html
from ruta.lib.codes import Confidence


def _lang() -> str:
    return (get_language() or "es")[:2]


@require_safe
def course_list(request: HttpRequest) -> HttpResponse:
    lang = _lang()
    courses = [{"code": c.code, "title": c.title(lang), "summary": c.summary_en if lang == "en" else c.summary_es}
               for c in Course.objects.filter(active=True)]
    return render(request, "learning/public/courses.html", {"courses": courses})


@require_safe
def course(request: HttpRequest, code: str) -> HttpResponse:
    lang = _lang()
    item = get_object_or_404(Course, code=code[:40], active=True)
    lessons = [{"slug": x.slug, "title": x.title(lang)} for x in item.lessons.order_by("order")]
    objectives = [o.text(lang) for o in item.objectives.order_by("order")]
    return render(request, "learning/public/course.html", {
        "course": item, "title": item.title(lang), "summary": item.summary_en if lang == "en" else item.summary_es,
        "lessons": lessons, "objectives": objectives})


@require_safe
def lesson(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    lang = _lang()
    item = get_object_or_404(Course, code=code[:40], active=True)
    lessons = list(item.lessons.order_by("order"))
    current = next((x for x in lessons if x.slug == slug[:80]), None)
    if current is None:
        raise Http404
    i = lessons.index(current)
    sources = [{"text": s.get("text", ""), "confidence": Confidence(s["confidence"]).label}
               for s in current.sources if s.get("confidence") in Confidence.values]
    return render(request, "learning/public/lesson.html", {
        "course": item, "course_title": item.title(lang), "title": current.title(lang),
        "body": markdown_html(current.body(lang)), "sources": sources, "position": i + 1, "total": len(lessons),
        "previous": lessons[i - 1] if i > 0 else None, "next": lessons[i + 1] if i + 1 < len(lessons) else None,
    })


