from __future__ import annotations

from typing import Any

from ruta.accounts.roles import Role
from ruta.testing.access import ANONYMOUS, EVERY_ROLE, UrlRule
from ruta.testing.cast import Cast

SUPERVISOR = frozenset({"case_supervisor"})


def _pending(cast: Cast) -> dict[str, Any]:
    from ruta.accounts.approval import request_approval
    from ruta.accounts.models import AccountApproval, ApprovalReason, User

    user = User.objects.filter(username="pendiente").first() or User.objects.create_user(
        username="pendiente", email="pendiente@example.org", role=Role.CASEWORKER, organisation=cast.alpha_org)
    waiting = AccountApproval.objects.filter(user=user, decision="pending").first()
    return {"pk": (waiting or request_approval(cast.alpha[Role.ADMIN], user, ApprovalReason.CREATED)).pk}


RULES = [
    UrlRule("accounts:login", EVERY_ROLE, ok=302, anonymous=200, notes="logged-in users are sent on"),
    UrlRule("accounts:home", EVERY_ROLE),
    UrlRule("accounts:password_change", EVERY_ROLE),
    UrlRule("accounts:two_factor", EVERY_ROLE, ok=302, notes="verified users are sent on"),
    UrlRule("accounts:logout", EVERY_ROLE, method="post", ok=302, anonymous=302),
    UrlRule("accounts:set_password", EVERY_ROLE | {ANONYMOUS}, kwargs=lambda cast: {"token": "v1.x.bm9wZQ"},
            ok=400, notes="a link that is not valid; the valid path is in test_four_eyes"),
    UrlRule("accounts:pending", SUPERVISOR),
    UrlRule("accounts:account_events", SUPERVISOR),
    UrlRule("accounts:approve", SUPERVISOR, kwargs=_pending, own_org_only=True, denied=404, method="post",
            ok=302, data=lambda cast: {}),
    UrlRule("accounts:reject", SUPERVISOR, kwargs=_pending, own_org_only=True, denied=404, method="post",
            ok=302, data=lambda cast: {}),
    UrlRule("accounts:session_ping", EVERY_ROLE, method="post", ok=200,
            notes="keeps the session alive while someone types (ruta/static/ruta/ruta.js)"),
    UrlRule("admin:index", frozenset({"admin"})),
    UrlRule("accounts:lockouts", frozenset({"admin", "case_supervisor"})),
    UrlRule("accounts:lift_lockout", frozenset({"admin", "case_supervisor"}),
            kwargs=lambda cast: {"attempt_id": 999999}, method="post", ok=404,
            notes="no such lockout: 404 for those who may lift, 403 for everyone else"),
]
