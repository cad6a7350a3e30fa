"""Receivers that write account events to the access log."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from ruta.accounts.actions import record_lockout


def on_locked_out(sender: Any, request: Any = None, username: str | None = None, **kwargs: Any) -> None:
    # axes signals every failure while locked; only the one that reaches the limit starts a lockout.
    if getattr(request, "axes_failures_since_start", None) == settings.AXES_FAILURE_LIMIT:
        record_lockout(username or "")
