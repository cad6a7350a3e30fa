"""The participant's pages of a live test (``/t/``): no account and never a cookie.

The place of a phone is the token in the path. Every POST is checked by
:func:`ruta.lib.publicpost.same_origin_post` instead of Django's cookie-based CSRF check, and
every page is ``no-store``. Each step works without JavaScript (forms and redirects); with
JavaScript (``learning/test.js``) answers are sent in the background and queued in memory
while the connection is down.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ruta.learning import actions
from ruta.learning.actions import LearningActionError
from ruta.learning.codes import QuestionKind, SeatState
from ruta.learning.models import Seat
from ruta.lib.ids import parse_id
from ruta.lib.publicpost import same_origin_post
from ruta.lib.ratelimit import RateLimit, rate_limited

join_limit = RateLimit("learning.join", settings.RUTA_LEARNING_JOIN_LIMIT, per_seconds=60)
answer_limit = RateLimit("learning.answer", settings.RUTA_LEARNING_ANSWER_LIMIT, per_seconds=60)


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _seat(token: str) -> Seat:
    if len(token) > 64:
        raise Http404
    seat = Seat.objects.select_related("session__version__course", "session__activity").filter(token=token).first()
    if seat is None:
        raise Http404
    return seat


def _gone(request: HttpRequest) -> HttpResponse:
    return _private(render(request, "learning/public/closed.html", status=410))


@same_origin_post
@rate_limited(join_limit)
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    error = ""
    code = ""
    if request.method == "POST":
        code = actions.normalise_code(request.POST.get("code", ""))
        session = actions.find_open_session(code)
        if session is None:
            error = _("No open test has this code. Check it with the facilitator.")
        else:
            seat = actions.join(session)
            return redirect("t:place", token=seat.token)
    return _private(render(request, "learning/public/join.html", {"error": error, "code": code},
                           status=400 if error else 200))


@same_origin_post
@require_http_methods(["GET", "HEAD"])
def place(request: HttpRequest, token: str) -> HttpResponse:
    seat = _seat(token)
    if not seat.session.is_open:
        return _gone(request)
    return _private(_place_page(request, seat))


def _place_page(request: HttpRequest, seat: Seat, error: str = "", status: int = 200) -> HttpResponse:
    context: dict[str, object] = {"seat": seat, "error": error, "course": seat.session.version.course,
                                  "lang": (get_language() or "es")[:2]}
    if seat.state == SeatState.WAITING:
        return render(request, "learning/public/waiting.html", context, status=status)
    if seat.state == SeatState.REFUSED:
        return render(request, "learning/public/refused.html", context, status=status)
    if not seat.identified:
        context["roster"] = actions.roster(seat.session)
        return render(request, "learning/public/who.html", context, status=status)
    questions = actions.seat_questions(seat)
    answered = set(seat.answers.values_list("question_id", flat=True))
    remaining = [q for q in questions if q.pk not in answered]
    if not remaining:
        return render(request, "learning/public/done.html", context, status=status)
    lang = str(context["lang"])
    context["course_title"] = seat.session.version.course.title(lang)
    pending = [{"code": q.code, "text": q.text(lang), "multiple": q.kind == QuestionKind.MULTIPLE,
                "choices": q.choices(lang)} for q in remaining]
    context.update({
        "question": remaining[0], "choices": list(enumerate(remaining[0].choices(lang))),
        "multiple": remaining[0].kind == QuestionKind.MULTIPLE, "text": remaining[0].text(lang),
        "position": len(questions) - len(remaining) + 1, "total": len(questions),
        "pending_json": json.dumps({"total": len(questions), "done": len(questions) - len(remaining),
                                    "questions": pending[1:]}, ensure_ascii=False),
    })
    return render(request, "learning/public/question.html", context, status=status)


@same_origin_post
@require_POST
def who(request: HttpRequest, token: str) -> HttpResponse:
    seat = _seat(token)
    if not seat.session.is_open:
        return _gone(request)
    try:
        if request.POST.get("anonymous"):
            day = parse_id(request.POST.get("day", ""))
            mother, town = request.POST.get("mother", "").strip(), request.POST.get("town", "").strip()
            if day is None or not 1 <= day <= 31 or not mother[:1].isalpha() or not town[:1].isalpha():
                raise LearningActionError(_("Write the first letter of both names and your day of birth (1 to 31)."))
            actions.make_pairing(seat, actions.pairing_code(mother, day, town))
        else:
            pk = parse_id(request.POST.get("participant", ""))
            if pk is None:
                raise LearningActionError(_("Choose a name from the list."))
            actions.pick_participant(seat, pk)
    except LearningActionError as exc:
        seat.refresh_from_db()
        return _private(_place_page(request, seat, str(exc), status=400))
    return redirect("t:place", token=seat.token)


def _choice(raw: str) -> int | None:
    """A choice index (0–99) from the form, or None."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 2 else None


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@same_origin_post
@rate_limited(answer_limit)
@require_POST
def answer(request: HttpRequest, token: str) -> HttpResponse:
    seat = _seat(token)
    if not seat.session.is_open:
        if _wants_json(request):
            return JsonResponse({"error": _("The test has ended.")}, status=410)
        return _gone(request)
    chosen = [_choice(v) for v in request.POST.getlist("choice")[:20]]
    try:
        if any(c is None for c in chosen):
            raise LearningActionError(_("That answer is not one of the choices."))
        actions.answer(seat, request.POST.get("question", "")[:80], [c for c in chosen if c is not None])
    except LearningActionError as exc:
        if _wants_json(request):
            return JsonResponse({"error": str(exc)}, status=400)
        return _private(_place_page(request, seat, str(exc), status=400))
    if _wants_json(request):
        return _private(JsonResponse({"ok": True}))
    return redirect("t:place", token=seat.token)


@same_origin_post
@require_POST
def help_page(request: HttpRequest, token: str) -> HttpResponse:
    seat = _seat(token)
    actions.ask_help(seat)
    if _wants_json(request):
        return JsonResponse({"ok": True})
    return _private(render(request, "learning/public/help.html", {"seat": seat}))
