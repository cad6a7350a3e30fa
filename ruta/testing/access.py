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


# Every app with URLs keeps its rules in ``tests/url_rules.py``, listed here; an app's URLs
# without rules fail ``test_every_url_pattern_has_a_rule``.
RULE_MODULES = [f"ruta.{app}.tests.url_rules" for app in (
    "accounts", "directory", "pathway", "cases", "program", "reports", "portal", "api", "jobs", "exports", "stats",
    "questions", "learning", "retention")]


def all_rules() -> list[UrlRule]:
    return [rule for name in RULE_MODULES for rule in import_module(name).RULES]


def who_list() -> list[str]:
    return [ANONYMOUS, *ROLES, *(f"beta:{r}" for r in ROLES)]
