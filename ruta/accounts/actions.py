"""State changes of accounts that are written to the access log."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from django.db import transaction

from ruta.accounts.models import User
from ruta.accounts.policy import Lockout
from ruta.audit.actions import record_access

LOCKED_OUT = "login_locked_out"
LOCKOUT_LIFTED = "login_lockout_lifted"


def _record(actor: Any, action: str, username: str) -> None:
    # Only the username: the address and the browser stay in axes' own short-lived table.
    user = User.objects.filter(username=username).first()
    record_access(actor, action, user, object_type="accounts.user", detail={"username": username})


def record_lockout(username: str) -> None:
    _record(None, LOCKED_OUT, username)


def lift_lockout(actor: User, lockout: Lockout) -> None:
    """Let the (username, address) pair log in again, whatever its browser."""
    with transaction.atomic():
        AccessAttempt.objects.filter(username=lockout.username, ip_address=lockout.ip_address).delete()
        _record(actor, LOCKOUT_LIFTED, lockout.username)
