"""The public guide: one question per screen, then the plan. Works with JavaScript off:
each screen is a POST form carrying the earlier answers in hidden fields, so nothing about
the case appears in a URL or in the browser's history. The guide changes nothing on the
server, so its forms need no CSRF token, and no cookie is set."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from ruta.pathway import offline
from ruta.pathway.engine import plan, rules_snapshot
from ruta.pathway.inputs import MAX_AGE, MAX_HOURS, parse_plan_input
from ruta.pathway.presenter import result_context
from ruta.pathway.questions import (
    BY_NAME,
    QUESTIONS,
    Question,
    applies,
    next_question,
    previous_question,
    to_plan_input,
)


def _lang() -> str:
    return "en" if (get_language() or "").startswith("en") else "es"


def _answers(post: QueryDict) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in QUESTIONS:
        if question.multiple:
            values = [v for v in post.getlist(question.name) if v]
            if values:
                answers[question.name] = values
        elif post.get(question.name, "") != "":
            answers[question.name] = post[question.name]
    return answers


def _check(question: Question, post: QueryDict, answers: dict[str, Any]) -> str:
    """Read the answer to ``question`` from the form into ``answers``; return an error or ""."""
    name = question.name
    if name == "age":
        if post.get("age_unknown"):
            answers["age"] = "unknown"
            return ""
        if not post.get("age", "").strip():
            answers.pop("age", None)
            return _("Write the age in years, or tick “I don't know”.")
    if name == "hours_since_incident" and post.get("hours_exact", "").strip():
        answers[name] = post.get("hours_exact", "").strip()
    if name not in answers:
        return _("Choose an answer to go on.")
    value = answers[name]
    allowed = {code for code, _label in question.choices}
    if name == "district":
        allowed = {code for code, _label in offline.district_choices()} | {"unknown"}
    if allowed and any(v not in allowed for v in (value if question.multiple else [value])):
        if not (name == "hours_since_incident" and str(value).isdigit()):
            answers.pop(name)
            return _("Choose one of the answers.")
    if name in ("age", "hours_since_incident") and value != "unknown":
        _data, errors = parse_plan_input({name: value, "violence_types": ["physical"]})
        if name in errors:
            answers.pop(name)
            return errors[name]
    return ""


def _question_page(request: HttpRequest, question: Question, answers: dict[str, Any], error: str = "") -> HttpResponse:
    reporter = answers.get("reporter_role", "")
    hidden = [
        (name, v)
        for name, value in answers.items() if name != question.name
        for v in (value if isinstance(value, list) else [value])
    ]
    asked = [q for q in QUESTIONS if applies(q, answers)]
    position = asked.index(question) + 1 if question in asked else 1
    current = answers.get(question.name, [] if question.multiple else "")
    context = {
        "question": question,
        "text": question.text(reporter),
        "help": question.help(reporter),
        "choices": offline.district_choices() + [("unknown", _("Another place, or I don't know"))]
        if question.name == "district" else question.choices,
        "current": current if isinstance(current, list) else [current],
        "hidden": hidden,
        "error": error,
        "position": position,
        "total": sum(1 for q in QUESTIONS if applies(q, answers) or "violence_types" not in answers),
        "previous": previous_question(question.name, answers),
        "max_age": MAX_AGE,
        "max_hours": MAX_HOURS,
        "first": question is QUESTIONS[0],
    }
    return render(request, "pathway/question.html", context, status=400 if error else 200)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def guide(request: HttpRequest) -> HttpResponse:
    response = _guide_get(request) if request.method == "GET" else _guide_post(request)
    # Answers about a case: never kept by a cache, nor by the back-forward cache.
    response["Cache-Control"] = "no-store"
    return response


def _guide_get(request: HttpRequest) -> HttpResponse:
    # ?paso=<question> gives an empty screen of that question: the offline guide caches them.
    if request.GET.get("paso") == "sin-conexion":
        return render(request, "pathway/offline.html", {"questions": QUESTIONS})
    question = BY_NAME.get(request.GET.get("paso", ""), QUESTIONS[0])
    return _question_page(request, question, {})


def _guide_post(request: HttpRequest) -> HttpResponse:
    post = request.POST
    answers = _answers(post)
    back = BY_NAME.get(post.get("back", ""))
    if back is not None:
        return _question_page(request, back, answers)
    current = BY_NAME.get(post.get("step", ""))
    if current is not None:
        error = _check(current, post, answers)
        if error:
            return _question_page(request, current, answers, error)
    question = next_question(answers)
    if question is not None:
        return _question_page(request, question, answers)
    kept = {k: v for k, v in answers.items() if applies(BY_NAME[k], answers)}
    data, errors = parse_plan_input(to_plan_input(kept, _lang()))
    if data is None:
        name = next(n for n in (q.name for q in QUESTIONS) if n in errors) if any(
            q.name in errors for q in QUESTIONS) else QUESTIONS[0].name
        return _question_page(request, BY_NAME[name], kept, errors.get(name, _("Please check this answer.")))
    now = timezone.now()
    context = result_context(plan(data, now), data, rules_snapshot(), now)
    context["hidden"] = [(k, v) for k, value in kept.items() for v in (value if isinstance(value, list) else [value])]
    context["printable"] = bool(post.get("print"))
    return render(request, "pathway/result.html", context)


@require_GET
@cache_control(public=True, max_age=300)
def offline_data(request: HttpRequest) -> JsonResponse:
    """Rules and the directory, for the offline guide (cached by the service worker)."""
    return JsonResponse(offline.bundle(_lang()), json_dumps_params={"ensure_ascii": False})


@require_GET
@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    response = render(request, "pathway/sw.js", offline.sw_context(_lang()), content_type="text/javascript")
    response["Service-Worker-Allowed"] = request.path.rsplit("/", 1)[0] + "/"
    return response

