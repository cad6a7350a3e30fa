"""The key check: every process that serves or works (wsgi, the background worker,
``manage.py check``/``runserver``/``migrate``) refuses to go on with a missing, empty or
malformed key, or with keys that are not the ones the database was set up with."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from ruta.keys.canary import check_canary
from ruta.lib import keys


class KeyCheckError(ImproperlyConfigured):
    """The message names each bad key's file or variable and what to do."""


def _setting(name: str) -> str:
    try:
        return str(getattr(settings, name))
    except ImproperlyConfigured:  # Django refuses to hand out an empty SECRET_KEY
        return ""


def key_problems() -> list[str]:
    problems = [p for spec in keys.ALL if (p := keys.problem(spec, settings.RUTA_HOME, _setting(spec.setting)))]
    if not problems:
        canary = check_canary()
        if canary:
            problems.append(canary)
    return problems


def check_keys() -> None:
    """Raise KeyCheckError unless every key is present, well-formed and the database's own."""
    problems = key_problems()
    if problems:
        raise KeyCheckError("\n".join(problems))


def keys_system_check(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return [checks.Error(p, id="ruta.E001") for p in key_problems()]
