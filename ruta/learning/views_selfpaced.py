"""Self-paced course pages (``/cursos/<course>/…``): no account, never a cookie.

The progress code is typed or carried in a hidden field of every form (POST only), never in a
URL: every step that needs it is a POST checked by :func:`same_origin_post` and rate-limited.
See :mod:`ruta.learning.selfpaced`.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ruta.learning import selfpaced
from ruta.learning.actions import LearningActionError
from ruta.learning.codes import QuestionKind
from ruta.learning.models import PROGRESS_CODE_LENGTH, Course, SelfLearner
from ruta.learning.render import markdown_html
from ruta.learning.views_public import _choice
from ruta.lib.publicpost import same_origin_post
from ruta.lib.ratelimit import RateLimit, rate_limited

start_limit = RateLimit("learning.self.start", getattr(settings, "RUTA_LEARNING_SELF_START_LIMIT", 30), per_seconds=60)
lookup_limit = RateLimit("learning.self.lookup", getattr(settings, "RUTA_LEARNING_SELF_LOOKUP_LIMIT", 300),
                         per_seconds=60)
verify_limit = RateLimit("learning.self.verify", getattr(settings, "RUTA_LEARNING_SELF_VERIFY_LIMIT", 30),
                         per_seconds=60)


def _lang() -> str:
    return (get_language() or "es")[:2]


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _course(code: str) -> Course:
    return get_object_or_404(Course, code=code[:40], active=True)


def _page(request: HttpRequest, template: str, context: dict[str, object], status: int = 200) -> HttpResponse:
    return _private(render(request, f"learning/self/{template}", context, status=status))


@same_origin_post
@rate_limited(start_limit)
@require_POST
def start(request: HttpRequest, code: str) -> HttpResponse:
    course = _course(code)
    try:
        learner, progress = selfpaced.start(course)
    except LearningActionError as exc:
        return _page(request, "resume.html", {"course": course, "title": course.title(_lang()), "error": str(exc)},
                     status=400)
    return _page(request, "code.html", {"course": course, "title": course.title(_lang()),
                                        "code": selfpaced.show_code(progress), "learner": learner})


@same_origin_post
@require_http_methods(["GET", "HEAD"])
def resume(request: HttpRequest, code: str) -> HttpResponse:
    course = _course(code)
    return _page(request, "resume.html", {"course": course, "title": course.title(_lang())})


@same_origin_post
@rate_limited(lookup_limit)
@require_POST
def progress(request: HttpRequest, code: str) -> HttpResponse:
    """Every step with the code: the overview, a lesson (``lesson``), the next test question
    (``test``), an answer (``question`` + ``choice``), another try (``retry``)."""
    course = _course(code)
    typed = request.POST.get("code", "")
    learner = selfpaced.find(course, typed)
    lang = _lang()
    if learner is None:
        return _page(request, "resume.html", {
            "course": course, "title": course.title(lang), "typed": typed[:40],
            "error": _("No progress of this course has this code. Check it and try again.")}, status=400)
    shown = selfpaced.show_code(selfpaced.clean_code(typed, PROGRESS_CODE_LENGTH) or "")
    context: dict[str, object] = {"course": course, "title": course.title(lang), "code": shown, "learner": learner}
    post = request.POST
    try:
        if post.get("lesson"):
            return _lesson(request, learner, post["lesson"][:80], context)
        if post.get("retry"):
            selfpaced.retry(learner)
            return _question(request, learner, context)
        if post.get("question"):
            chosen = [_choice(v) for v in post.getlist("choice")[:20]]
            if not chosen or any(c is None for c in chosen):
                raise LearningActionError(_("Choose an answer."))
            selfpaced.answer(learner, post["question"], [c for c in chosen if c is not None])
            return _question(request, learner, context)
        if post.get("test"):
            return _question(request, learner, context)
    except LearningActionError as exc:
        context["error"] = str(exc)
        if post.get("question"):
            return _question(request, learner, context, status=400)
        return _overview(request, learner, context, status=400)
    return _overview(request, learner, context)


def _overview(request: HttpRequest, learner: SelfLearner, context: dict[str, object],
              status: int = 200) -> HttpResponse:
    lang = _lang()
    read = set(learner.lessons_read)
    lessons = [{"slug": x.slug, "title": x.title(lang), "read": x.slug in read}
               for x in learner.course.lessons.order_by("order")]
    answered = learner.answers.count()
    context.update({"lessons": lessons, "read_count": sum(1 for x in lessons if x["read"]),
                    "answered": answered, "total": len(selfpaced.questions(learner)),
                    "result": selfpaced.result(learner), "certificate": getattr(learner, "certificate", None)})
    if context["certificate"] is not None:
        context["name"] = learner.certificate.name
    return _page(request, "progress.html", context, status=status)


def _lesson(request: HttpRequest, learner: SelfLearner, slug: str, context: dict[str, object]) -> HttpResponse:
    lang = _lang()
    lessons = list(learner.course.lessons.order_by("order"))
    current = next((x for x in lessons if x.slug == slug), None)
    if current is None:
        raise LearningActionError(_("Unknown lesson."))
    selfpaced.mark_read(learner, current.slug)
    i = lessons.index(current)
    context.update({"lesson_title": current.title(lang), "body": markdown_html(current.body(lang)),
                    "position": i + 1, "lesson_total": len(lessons),
                    "next": lessons[i + 1].slug if i + 1 < len(lessons) else ""})
    return _page(request, "lesson.html", context)


def _question(request: HttpRequest, learner: SelfLearner, context: dict[str, object],
              status: int = 200) -> HttpResponse:
    lang = _lang()
    questions = selfpaced.questions(learner)
    answered = set(learner.answers.values_list("question_id", flat=True))
    remaining = [q for q in questions if q.pk not in answered]
    if not remaining:
        return _overview(request, learner, context, status=status)
    question = remaining[0]
    context.update({"question": question, "text": question.text(lang),
                    "choices": list(enumerate(question.choices(lang))),
                    "multiple": question.kind == QuestionKind.MULTIPLE,
                    "position": len(questions) - len(remaining) + 1, "total": len(questions)})
    return _page(request, "question.html", context, status=status)


@same_origin_post
@rate_limited(lookup_limit)
@require_POST
def certificate(request: HttpRequest, code: str) -> HttpResponse:
    """Store the name to print and answer the certificate as a PDF (70 % or more only)."""
    from ruta.learning import certificate as pdf

    course = _course(code)
    typed = request.POST.get("code", "")
    learner = selfpaced.find(course, typed)
    lang = _lang()
    if learner is None:
        return _page(request, "resume.html", {
            "course": course, "title": course.title(lang),
            "error": _("No progress of this course has this code. Check it and try again.")}, status=400)
    try:
        cert, verify_code = selfpaced.certify(learner, request.POST.get("name", ""))
    except LearningActionError as exc:
        context: dict[str, object] = {
            "course": course, "title": course.title(lang), "learner": learner, "error": str(exc),
            "code": selfpaced.show_code(selfpaced.clean_code(typed, PROGRESS_CODE_LENGTH) or "")}
        return _overview(request, learner, context, status=400)
    response = HttpResponse(pdf.pdf(cert, selfpaced.show_code(verify_code), lang), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="constancia-{course.code}.pdf"'
    return _private(response)


@same_origin_post
@rate_limited(verify_limit)
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The public check of a certificate: course, date and the name's initials only. The code
    is POSTed (not in the URL), so it stays out of logs and browser history."""
    context: dict[str, object] = {}
    status = 200
    if request.method == "POST":
        found = selfpaced.verify(request.POST.get("code", ""))
        if found is None:
            context["error"] = _("No certificate has this code.")
            status = 404
        else:
            context.update({"found": True, "course_title": found.course.title(_lang()),
                            "issued_on": found.issued_on, "initials": selfpaced.initials(found.name)})
    return _page(request, "verify.html", context, status=status)
