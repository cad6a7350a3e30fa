"""Receivers that write account events to the access log."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from ruta.accounts.actions import record_lockout


def on_locked_out(sender: Any, request: Any = None, username: str | None = None, **kwargs: Any) -> None:
    # axes signals every failure while locked; only the one that reaches the limit starts a lockout.
    if getattr(request, "axes_failures_since_start", None) == settings.AXES_FAILURE_LIMIT:
        record_lockout(username or "")


def on_logged_in(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    """Start the session's 12-hour clock, and note kept forms waiting for this user (they come
    back once the second factor, when the role has one, has passed too)."""
    import time

    from ruta.accounts.actions import has_kept_forms
    from ruta.accounts.middleware import KEPT_PENDING, LOGIN_AT

    session = getattr(request, "session", None)
    if session is None or user is None:
        return
    session[LOGIN_AT] = int(time.time())
    if has_kept_forms(user):
        session[KEPT_PENDING] = True
