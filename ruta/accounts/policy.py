"""Who may do what in accounts, and the one decorator every staff view goes through.

Every app keeps its own rules in its own ``policy.py`` as small predicates over the user
(and the object), and wraps its views in :func:`staff_view` with them. A view without a
rule does not pass the URL × role test (``ruta/tests/test_url_access.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, TypeVar

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Min, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from ruta.accounts.http import AnyUser
from ruta.accounts.models import User
from ruta.accounts.roles import Role

V = TypeVar("V", bound=Callable[..., HttpResponse])
# A rule runs once the user has logged in (staff_view checks that first).
Rule = Callable[[User], bool]


def any_staff(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role)


def role_in(*roles: Role) -> Rule:
    allowed = frozenset(roles)

    def rule(user: User) -> bool:
        return any_staff(user) and user.role in allowed

    rule.__name__ = "role_in_" + "_".join(sorted(allowed))
    return rule


is_admin = role_in(Role.ADMIN)


def organisation_id_of(user: User) -> int:
    """The user's organisation. Every role that reaches an organisation's data has one (only an
    account made by ``createsuperuser`` lacks it); without one there is nothing to see."""
    if user.organisation_id is None:
        raise Http404
    return user.organisation_id


def is_verified(user: AnyUser) -> bool:
    """django-otp's middleware gives the user ``is_verified()`` once the second factor passed."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def two_factor_pending(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.needs_two_factor and not is_verified(user))


def staff_view(rule: Rule = any_staff, *, deny: int = 403) -> Callable[[V], V]:
    """Log in, pass the second factor when the role needs it, then satisfy ``rule``.

    ``deny=404`` hides that the page exists (used wherever existence itself is sensitive).
    """

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return _login_redirect(request)
            if two_factor_pending(user):
                # Back to this page afterwards (a kept form waits there, ruta/accounts/keep.py).
                return redirect_to_login(request.get_full_path(), "accounts:two_factor")
            if not rule(user):
                if deny == 404:
                    raise Http404
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def _login_redirect(request: HttpRequest) -> HttpResponse:
    """The login page, saying why when the session ended (``?sesion=``), then back here."""
    from django.utils.http import urlencode

    from ruta.accounts.middleware import session_ended_reason

    response = redirect_to_login(request.get_full_path())
    reason = session_ended_reason(request)
    if reason:
        response["Location"] += "&" + urlencode({"sesion": reason})
    return response


def approves_accounts(user: Any) -> bool:
    """Case supervisors approve the accounts that reach cases in their organisation."""
    return bool(any_staff(user) and user.role == Role.CASE_SUPERVISOR and user.organisation_id)


def can_decide_approval(actor: Any, approval: Any) -> bool:
    """Four eyes: a supervisor of the account's organisation, neither the person who granted or
    reset it nor the account's owner."""
    return bool(
        approves_accounts(actor)
        and approval.user.organisation_id == actor.organisation_id
        and approval.requested_by_id != actor.pk
        and approval.user_id != actor.pk
    )
# Supervisors lift the lockouts of their organisation's staff; administrators any lockout.
may_lift_lockouts = role_in(Role.ADMIN, Role.CASE_SUPERVISOR)


@dataclass(frozen=True)
class Lockout:
    """One locked (username, address) pair; axes keeps a row per browser, summed here."""

    pk: int
    username: str
    ip_address: str
    failures_since_start: int
    attempt_time: datetime


def visible_lockouts(user: Any) -> list[Lockout]:
    """Lockouts in force that ``user`` may see and lift (none for other roles)."""
    if not may_lift_lockouts(user):
        return []
    since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    attempts = AccessAttempt.objects.filter(attempt_time__gte=since)
    if user.role != Role.ADMIN:
        from ruta.accounts.models import User

        staff = User.objects.filter(organisation_id=user.organisation_id).values("username")
        attempts = attempts.filter(username__in=staff)
    pairs = (
        attempts.values("username", "ip_address")
        .annotate(pk=Min("id"), failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )
    return [Lockout(p["pk"], p["username"] or "", p["ip_address"] or "", p["failures"], p["last"]) for p in pairs]
