"""Who may do what in accounts, and the one decorator every staff view goes through.

Every app keeps its own rules in its own ``policy.py`` as small predicates over the user
(and the object), and wraps its views in :func:`staff_view` with them. A view without a
rule does not pass the URL × role test (``ruta/tests/test_url_access.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

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
                return redirect_to_login(request.get_full_path())
            if two_factor_pending(user):
                return redirect("accounts:two_factor")
            if not rule(user):
                if deny == 404:
                    raise Http404
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
