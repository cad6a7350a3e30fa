"""Anonymous questions: the public forms (no cookie, no address kept, same-origin POST only)
and the counsellors' pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from ruta.accounts.http import AuthenticatedHttpRequest
from ruta.accounts.policy import staff_view
from ruta.lib.publicpost import same_origin_post
from ruta.lib.ratelimit import RateLimit
from ruta.questions import actions
from ruta.questions.forms import AnswerForm, AskForm, PublishForm, ReadForm
from ruta.questions.models import PublishedAnswer
from ruta.questions.policy import (
    get_question_for_user,
    is_counsellor,
    may_approve,
    visible_questions,
    works_on_questions,
)

ask_limit = RateLimit("questions_ask", 5, per_seconds=3600)
read_limit = RateLimit("questions_read", 20, per_seconds=3600)


def _language() -> str:
    lang = (get_language() or "es").lower()
    return "en" if lang.startswith("en") else "qu" if lang.startswith("qu") else "es"


def help_services() -> dict[str, Any]:
    """The directory's pages for Chat 100 and the SAU of Madre de Dios, when listed."""
    from ruta.directory.models import Service

    active = Service.objects.active()
    return {"chat_100": active.filter(national=True, name="Chat 100").values_list("pk", flat=True).first(),
            "sau": active.filter(name__startswith="Servicio de Atención Urgente").values_list("pk", flat=True).first()}


def _too_many(request: HttpRequest, limiter: RateLimit) -> HttpResponse | None:
    if limiter.hit(request):
        return None
    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(limiter.retry_after())
    return response


@never_cache
@sensitive_post_parameters("text", "website")
@same_origin_post
def ask(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "questions/ask.html", {"form": AskForm(), **help_services()})
    limited = _too_many(request, ask_limit)
    if limited:
        return limited
    form = AskForm(request.POST)
    if not form.is_valid():
        return render(request, "questions/ask.html", {"form": form, **help_services()}, status=400)
    if form.is_spam():
        return render(request, "questions/asked.html", {"code": None, **help_services()})
    asked = actions.ask_question(form.cleaned_data["text"], _language())
    return render(request, "questions/asked.html", {"code": asked.code, "danger": asked.danger, **help_services()})


@never_cache
@sensitive_post_parameters("code")
@same_origin_post
def read(request: HttpRequest) -> HttpResponse:
    """The answer, by the code typed into a form: the code never appears in an address."""
    if request.method != "POST":
        return render(request, "questions/read.html", {"form": ReadForm(), **help_services()})
    limited = _too_many(request, read_limit)
    if limited:
        return limited
    form = ReadForm(request.POST)
    if not form.is_valid():
        return render(request, "questions/read.html", {"form": form, **help_services()}, status=400)
    question = actions.find_by_code(form.cleaned_data["code"])
    if question is None:
        form.add_error("code", _("No question has this code. Check the three words; questions are deleted "
                                 "30 days after the answer is read."))
        return render(request, "questions/read.html", {"form": form, **help_services()}, status=404)
    actions.mark_read(question)
    return render(request, "questions/answer.html", {"question": question, **help_services()})


def public_answers(language: str, limit: int = 20) -> list[PublishedAnswer]:
    return list(PublishedAnswer.objects.filter(approved_at__isnull=False, language=language)
                .order_by("-approved_at")[:limit])


# ---- staff ----

@staff_view(works_on_questions, deny=404)
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = visible_questions(request.user).order_by("-danger", "asked_at")
    waiting = rows.filter(answered_at__isnull=True).only("id", "danger", "asked_at", "due_at", "passed_at")
    answered = rows.filter(answered_at__isnull=False).only("id", "danger", "asked_at", "answered_at", "read_at",
                                                           "passed_at").order_by("-answered_at")[:50]
    proposals = PublishedAnswer.objects.filter(approved_at__isnull=True).order_by("proposed_at")
    return render(request, "questions/queue.html", {"waiting": waiting, "answered": answered,
                                                    "proposals": proposals, "counsellor": is_counsellor(request.user)})


@staff_view(works_on_questions, deny=404)
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = get_question_for_user(request.user, pk)
    form = AnswerForm(request.POST or None, initial={"answer": question.answer or ""})
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.answer_question(request.user, question, form.cleaned_data["answer"])
            except actions.QuestionActionError as e:
                messages.error(request, str(e))
            else:
                messages.success(request, _("Answer saved. The young person reads it with their code."))
                return redirect("questions:queue")
    else:
        actions.open_question(request.user, question)
    return render(request, "questions/detail.html", {"question": question, "form": form,
                                                     "counsellor": is_counsellor(request.user)})


@require_POST
@staff_view(is_counsellor, deny=404)
def pass_on(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = get_question_for_user(request.user, pk)
    try:
        actions.pass_to_supervisor(request.user, question)
    except actions.QuestionActionError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("Passed to the case supervisors."))
    return redirect("questions:detail", pk=question.pk)


@staff_view(is_counsellor, deny=404)
def publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    question = get_question_for_user(request.user, pk)
    form = PublishForm(request.POST or None, initial={"question_text": question.text, "answer_text": question.answer})
    if request.method == "POST" and form.is_valid():
        try:
            actions.propose_publication(request.user, question, form.cleaned_data["question_text"],
                                        form.cleaned_data["answer_text"])
        except actions.QuestionActionError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, _("Proposed. Another person must approve it before it is published."))
            return redirect("questions:queue")
    return render(request, "questions/publish.html", {"question": question, "form": form})


@staff_view(works_on_questions, deny=404)
def proposal(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(PublishedAnswer, pk=pk)
    if request.method == "POST":
        try:
            actions.approve_publication(request.user, item)
        except actions.QuestionActionError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, _("Approved: it is now on the public questions page."))
            return redirect("questions:queue")
    return render(request, "questions/proposal.html", {"item": item, "may_approve": may_approve(request.user, item)})
