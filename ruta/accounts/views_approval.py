"""Supervisors' account pages (pending accounts, account events) and the set-password link.

Views parse and call :mod:`ruta.accounts.approval`; :mod:`ruta.accounts.policy` decides who may.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from ruta.accounts import approval as actions
from ruta.accounts.http import AuthenticatedHttpRequest
from ruta.accounts.links import user_for_token
from ruta.accounts.models import AccountApproval, ApprovalDecision, ApprovalReason, User
from ruta.accounts.policy import approves_accounts, can_decide_approval, staff_view
from ruta.accounts.roles import Role
from ruta.audit.models import AccessEvent

supervisor_view = staff_view(approves_accounts)
decision_view = staff_view(approves_accounts, deny=404)  # another organisation's account stays unseen
EVENTS_PAGE = 50

# What the access log's account actions mean. An action not listed here shows its code.
ACCOUNT_ACTIONS: dict[str, Any] = {
    "create_user": gettext_lazy("Account created"),
    "change_role": gettext_lazy("Role changed"),
    "set_password": gettext_lazy("Password set by an administrator"),
    "reset_password": gettext_lazy("Password reset by an administrator"),
    "reset_second_factor": gettext_lazy("Second-step device removed"),
    "request_account_approval": gettext_lazy("Waiting for a supervisor's approval"),
    "approve_account": gettext_lazy("Account approved"),
    "reject_account": gettext_lazy("Account rejected"),
    "set_own_password": gettext_lazy("Password chosen by the person"),
    "create_first_supervisor": gettext_lazy("First supervisor created on the server"),
    "unlock": gettext_lazy("Lockout lifted"),
    "lift_lockout": gettext_lazy("Lockout lifted"),
}


def _pending(user: Any) -> QuerySet[AccountApproval]:
    return (AccountApproval.objects.filter(decision=ApprovalDecision.PENDING,
                                           user__organisation_id=user.organisation_id or 0, user__role=F("role"))
            .select_related("user", "requested_by").order_by("requested_at", "id"))


def _decided(user: Any) -> QuerySet[AccountApproval]:
    return AccountApproval.objects.filter(user__organisation_id=user.organisation_id or 0)


@supervisor_view
@never_cache
def pending(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = [{"approval": a, "can_decide": can_decide_approval(request.user, a)} for a in _pending(request.user)]
    return render(request, "accounts/pending.html", {"rows": rows})


def _decide(request: AuthenticatedHttpRequest, pk: int, decide: Any, done: str) -> HttpResponse:
    approval = _pending(request.user).filter(pk=pk).first()
    if approval is None:
        # Another organisation's, or no longer pending: the same answer, so nothing leaks.
        if _decided(request.user).filter(pk=pk).exists():
            messages.error(request, _("This account was already approved or rejected."))
            return redirect("accounts:pending")
        raise Http404
    try:
        decide(request.user, approval)
    except actions.ApprovalError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, done % {"username": approval.user.username})
    return redirect("accounts:pending")


@decision_view
@require_POST
def approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, actions.approve_account,
                   _("%(username)s is approved. They get a link by e-mail to set their password if they need one."))


@decision_view
@require_POST
def reject(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, actions.reject_account, _("%(username)s stays inactive."))


@supervisor_view
@never_cache
def account_events(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What happened to the accounts of the supervisor's organisation, newest first."""
    users = dict(User.objects.filter(organisation_id=request.user.organisation_id or 0)
                 .values_list("pk", "username"))
    events = (AccessEvent.objects.filter(object_type="accounts.user", object_id__in=[str(pk) for pk in users])
              .order_by("-id").values("at", "actor_username", "action", "object_id", "detail"))
    page = Paginator(events, EVENTS_PAGE).get_page(request.GET.get("page"))
    roles, reasons = dict(Role.choices), dict(ApprovalReason.choices)
    rows = []
    for e in page.object_list:
        detail = e["detail"] or {}
        described = [str(roles.get(v, v)) if k in ("role", "from", "to") else str(reasons.get(v, v))
                     for k, v in detail.items() if k in ("role", "from", "to", "reason")]
        rows.append({**e, "label": ACCOUNT_ACTIONS.get(e["action"], e["action"]),
                     "username": users.get(int(e["object_id"]), ""), "described": " · ".join(described)})
    return render(request, "accounts/account_events.html", {"page": page, "rows": rows})


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
def set_password(request: HttpRequest, token: str) -> HttpResponse:
    """The link an approved person gets: they choose their password, then enrol their phone."""
    user = user_for_token(token)
    if user is None:
        return render(request, "accounts/set_password_invalid.html", status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.set_own_password(form)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your password is set."))
        return redirect("accounts:two_factor" if user.needs_two_factor else "accounts:home")
    return render(request, "accounts/set_password.html", {"form": form})
