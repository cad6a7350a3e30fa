"""Every URL of the learning app × every role (see ``ruta/testing/access.py``)."""

from __future__ import annotations

from ruta.testing.access import ANONYMOUS, UrlRule

RULES = [
    UrlRule("api:courses", frozenset({ANONYMOUS})),
]
