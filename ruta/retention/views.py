"""The participant erasure page: a coordinator asks, another person of the organisation decides."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ruta.accounts.http import AuthenticatedHttpRequest
from ruta.accounts.policy import staff_view
from ruta.cases.codes import ErasureDecision
from ruta.lib.ids import parse_id
from ruta.program.models import Programme
from ruta.retention import policy
from ruta.retention.actions import ErasureError, decide_participant_erasure, request_participant_erasure
from ruta.retention.forms import ErasureRequestForm

SHOWN = 100


def _programmes(request: AuthenticatedHttpRequest) -> QuerySet[Programme]:
    if request.user.organisation_id is None:
        return Programme.objects.none()
    return Programme.objects.filter(organisation_id=request.user.organisation_id).order_by("-starts_on", "name")


def _page(request: AuthenticatedHttpRequest, form: ErasureRequestForm | None, status: int = 200,
          programme_id: int | None = None) -> HttpResponse:
    rows = list(policy.erasures_for(request.user).select_related("participant", "participant__programme",
                                                                   "requested_by", "decided_by")
                .order_by("-requested_at", "-id")[:SHOWN])
    waiting = [r for r in rows if r.decision == ErasureDecision.PENDING and r.requested_by_id != request.user.pk]
    return render(request, "retention/erasures.html", {
        "form": form, "rows": rows, "waiting": waiting, "programmes": _programmes(request) if form else (),
        "programme_id": programme_id}, status=status)


@staff_view(policy.can_see_erasures)
def erasures(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ErasureRequestForm() if policy.can_request(request.user) else None
    return _page(request, form)


@require_POST
@staff_view(policy.can_request, deny=404)
def erasure_request(request: AuthenticatedHttpRequest) -> HttpResponse:
    programme = get_object_or_404(_programmes(request), pk=parse_id(request.POST.get("programme")) or 0)
    form = ErasureRequestForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400, programme_id=programme.pk)
    person = policy.find_participant_for_user(request.user, programme.pk, form.cleaned_data["code"])
    if person is None:
        form.add_error("code", _("No participant of this programme has that code."))
        return _page(request, form, status=400, programme_id=programme.pk)
    try:
        request_participant_erasure(request.user, person)
    except ErasureError as exc:
        messages.error(request, str(exc))
        return redirect("retention:erasures")
    messages.success(request, _("Erasure requested: another coordinator or the M&E officer approves it."))
    return redirect("retention:erasures")


@require_POST
@staff_view(policy.can_decide, deny=404)
def erasure_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    req = policy.get_erasure_for_user(request.user, pk)
    approve = request.POST.get("decision") == "approve"
    try:
        decide_participant_erasure(request.user, req, approve=approve)
    except ErasureError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The participant's name, school and exact birth date were erased; the figures "
                                    "are unchanged.") if approve else _("Erasure refused."))
    return redirect("retention:erasures")
