from __future__ import annotations

from functools import cache
from importlib import import_module
from types import ModuleType
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language

from ruta.accounts.http import AnyUser

# The apps whose ``nav.items(user)`` make the staff menu, in menu order.
NAV_MODULES = [f"ruta.{app}.nav" for app in (
    "accounts", "pathway", "cases", "program", "reports", "exports", "stats", "questions", "portal", "learning",
    "retention")]


@cache
def _nav_modules() -> list[ModuleType]:
    return [import_module(name) for name in NAV_MODULES]


def _nav(user: AnyUser) -> list[dict[str, Any]]:
    if not user.is_authenticated or not user.role:
        return []
    entries = []
    for module in _nav_modules():
        for url_name, label in module.items(user):
            try:
                entries.append({"url": reverse(url_name), "label": label, "name": url_name})
            except NoReverseMatch:
                continue
    return entries


def shell(request: HttpRequest) -> dict[str, Any]:
    current = (get_language() or settings.LANGUAGE_CODE).lower()
    other = "en" if current.startswith("es") else "es-pe"
    return {
        "quick_exit_url": settings.RUTA_QUICK_EXIT_URL,
        "nav_items": _nav(request.user) if hasattr(request, "user") else [],
        "other_language": other,
        "other_language_url": translate_url(request.get_full_path(), other),
        "other_language_name": "English" if other == "en" else "Español",
    }


def session_times(request: HttpRequest, *, saved: bool) -> dict[str, int]:
    """Seconds until the session ends if nothing happens (``idle``) and at the latest
    (``absolute``). A page counts from the session's last refresh
    (ruta.accounts.middleware.SessionRefreshMiddleware), at most a minute back; other saves only
    make the real end later."""
    import time

    from ruta.accounts.middleware import LOGIN_AT

    now = int(time.time())
    login_at = request.session.get(LOGIN_AT, now)
    absolute = max(0, login_at + settings.RUTA_SESSION_ABSOLUTE_HOURS * 3600 - now)
    since_save = 0 if saved else now - int(request.session.get("_refreshed_at", 0))
    if since_save >= settings.SESSION_REFRESH_SECONDS:
        since_save = 0  # this very request saves it (SessionRefreshMiddleware)
    idle = settings.SESSION_COOKIE_AGE - since_save
    return {"idle": min(idle, absolute), "absolute": absolute}


def session_keep(request: HttpRequest) -> dict[str, Any]:
    """For a logged-in staff page: the keep token of the page's forms, the session's timings for
    the warning before it ends, and a kept form to fill back in (ruta/accounts/keep.py)."""
    from ruta.accounts.keep import make_token
    from ruta.accounts.policy import any_staff, two_factor_pending

    user = getattr(request, "user", None)
    if user is None or not any_staff(user) or two_factor_pending(user):
        return {}
    times = session_times(request, saved=False)
    return {
        "session_keep": {
            "token": make_token(user.pk, request.path),
            "idle": times["idle"],
            "absolute": times["absolute"],
            "warn": min(120, settings.SESSION_COOKIE_AGE // 2),
            "ping_every": min(settings.RUTA_SESSION_PING_SECONDS, settings.SESSION_COOKIE_AGE // 2),
        },
        "kept_form": getattr(request, "ruta_kept_form", None),
    }
