"""What every role gets at every URL.

Each app lists its URLs in ``ruta/<app>/tests/url_rules.py`` as ``RULES``; the test in
``ruta/tests/test_url_access.py`` fails for a URL pattern that no rule names, and checks
each rule for anonymous visitors and every role in both organisations of the cast.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from ruta.accounts.roles import Role
from ruta.testing.cast import Cast

ANONYMOUS = "anonymous"
ROLES = [str(r) for r in Role]
EVERY_ROLE = frozenset(ROLES)


@dataclass(frozen=True)
class UrlRule:
    name: str  # "namespace:name"
    allowed: frozenset[str]  # roles that get `ok`; include "anonymous" for a public page
    kwargs: Callable[[Cast], dict[str, Any]] | None = None
    own_org_only: bool = False  # the object belongs to Alpha: Beta's users are denied too
    ok: int = 200
    denied: int = 403
    anonymous: int | None = None  # default: `ok` if public, else a redirect to login
    method: str = "get"
    data: Callable[[Cast], dict[str, Any]] | None = None
    query: str = ""
    notes: str = field(default="", compare=False)

    def expected(self, who: str) -> int:
        if who == ANONYMOUS:
            if self.anonymous is not None:
                return self.anonymous
            return self.ok if ANONYMOUS in self.allowed else 302
        if ANONYMOUS in self.allowed:
            return self.ok
        org, _, role = who.rpartition(":")
        if role in self.allowed and not (org == "beta" and self.own_org_only):
            return self.ok
        return self.denied


def all_url_names() -> list[str]:
    names: list[str] = []

    def walk(patterns: list[Any], ns: str) -> Iterator[str]:
        for p in patterns:
            if isinstance(p, URLResolver):
                sub = f"{ns}{p.namespace}:" if p.namespace else ns
                yield from walk(p.url_patterns, sub)
            elif isinstance(p, URLPattern):
                yield f"{ns}{p.name}" if p.name else f"{ns}<unnamed {p.pattern}>"

    names.extend(walk(get_resolver().url_patterns, ""))
    return sorted(set(names))


def all_rules() -> list[UrlRule]:
    rules: list[UrlRule] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("ruta."):
            continue
        try:
            module = import_module(f"{config.name}.tests.url_rules")
        except ModuleNotFoundError:
            continue
        rules.extend(module.RULES)
    return rules


def who_list() -> list[str]:
    return [ANONYMOUS, *ROLES, *(f"beta:{r}" for r in ROLES)]
