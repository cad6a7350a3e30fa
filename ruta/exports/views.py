"""The supervisors' list of person-level exports, with the approvals waiting for them."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ruta.accounts.http import AuthenticatedHttpRequest
from ruta.accounts.policy import staff_view
from ruta.exports.actions import ExportRefused, decide
from ruta.exports.models import PersonExport
from ruta.exports.policy import can_see_exports, exports_for, get_export_for_user, kinds_overseen_by

SHOWN_DAYS = 90


@staff_view(can_see_exports)
def export_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    since = timezone.now() - timedelta(days=SHOWN_DAYS)
    exports = (exports_for(request.user).filter(created_at__gte=since).select_related("requested_by", "decided_by")
               .order_by("-created_at")[:300])
    waiting = [e for e in exports if e.status == PersonExport.Status.WAITING and e.requested_by_id != request.user.pk
               and e.kind in kinds_overseen_by(request.user)]
    return render(request, "exports/list.html", {"exports": exports, "waiting": waiting, "days": SHOWN_DAYS})


@require_POST
@staff_view(can_see_exports, deny=404)
def export_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    export = get_export_for_user(request.user, pk)
    approve = request.POST.get("decision") == "approve"
    try:
        decide(request.user, export, approve=approve)
    except ExportRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Export approved: its author can download it once.") if approve
                         else _("Export refused."))
    return redirect("exports:list")
