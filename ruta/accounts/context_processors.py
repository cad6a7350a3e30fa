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
NAV_MODULES = [f"ruta.{app}.nav" for app in ("accounts", "pathway", "cases", "program", "reports", "exports", "stats",
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
