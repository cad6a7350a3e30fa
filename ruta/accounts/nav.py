"""Navigation entries of this app. Each app may have a ``nav.py`` with ``items(user)``;
the shell shows whatever the user's role may open."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from ruta.accounts.models import User
from ruta.accounts.policy import approves_accounts, is_admin, may_lift_lockouts


def items(user: User) -> list[tuple[str, Any]]:
    entries: list[tuple[str, Any]] = [("accounts:home", _("Home"))]
    if is_admin(user):
        entries.append(("admin:index", _("Administration")))
    if approves_accounts(user):
        entries.append(("accounts:pending", _("Accounts to approve")))
    if may_lift_lockouts(user):
        entries.append(("accounts:lockouts", _("Locked-out logins")))
    return entries
