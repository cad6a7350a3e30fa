"""URL rules of the import, duplicate and export screens (added to ``url_rules.RULES``)."""

from __future__ import annotations

from typing import Any

from ruta.program.models import Programme
from ruta.testing.access import UrlRule
from ruta.testing.cast import Cast

IO = frozenset({"coordinator", "me_officer"})
NAMES = frozenset({"coordinator"})  # duplicates are judged by name: not the M&E officer's (docs/security.md)


def _programme(cast: Cast) -> dict[str, Any]:
    import datetime as dt

    programme, _created = Programme.objects.get_or_create(
        name="Alpha grant", defaults={"donor": "EMpower", "starts_on": dt.date(2025, 1, 1),
                                      "ends_on": dt.date(2025, 12, 31), "organisation": cast.alpha_org})
    return {"pk": programme.pk}


RULES = [
    UrlRule("program:import", IO, kwargs=_programme, own_org_only=True, denied=404,
            notes="404 for other roles and other organisations: the programme's existence is not disclosed"),
    UrlRule("program:import_template", IO, kwargs=lambda c: {"kind": "participants", "fmt": "xlsx"}),
    UrlRule("program:duplicates", NAMES, kwargs=_programme, own_org_only=True, denied=404),
    UrlRule("program:merge", NAMES, kwargs=_programme, own_org_only=True, denied=404, method="post", ok=302,
            data=lambda c: {"first": "1", "second": "2", "keep": "first"}),
    UrlRule("program:not_duplicate", NAMES, kwargs=_programme, own_org_only=True, denied=404, method="post", ok=302,
            data=lambda c: {"first": "1", "second": "2"}),
    UrlRule("program:exports", IO, kwargs=_programme, own_org_only=True, denied=404),
    UrlRule("program:export", IO, kwargs=lambda c: {**_programme(c), "dataset": "participants", "fmt": "csv"},
            own_org_only=True, denied=404),
    UrlRule("program:codebook", IO),
]
