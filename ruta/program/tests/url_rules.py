"""Every URL of programme monitoring × every role (see ``ruta/testing/access.py``)."""

from __future__ import annotations

from typing import Any

from ruta.program.tests import fixtures
from ruta.program.tests.url_rules_io import RULES as IO_RULES
from ruta.testing.access import UrlRule
from ruta.testing.cast import Cast

RECORDERS = frozenset({"facilitator", "coordinator", "me_officer"})
DASHBOARD = frozenset({"coordinator", "me_officer", "donor"})
PEOPLE = frozenset({"coordinator", "me_officer"})
ANY_PROGRAM = RECORDERS | DASHBOARD


def _programme(cast: Cast) -> dict[str, Any]:
    return {"pk": fixtures.programme(cast).pk}


def _activity(cast: Cast) -> dict[str, Any]:
    return {"pk": fixtures.attended(cast)[0].pk}


def _sheet(cast: Cast) -> dict[str, Any]:
    return {"pk": fixtures.attended(cast)[0].pk, "instrument": fixtures.instrument(cast).pk, "phase": "pre"}


def _target(cast: Cast) -> dict[str, Any]:
    from ruta.program.models import Target

    prog = fixtures.programme(cast)
    target, _created = Target.objects.get_or_create(programme=prog, indicator="youth_reached", defaults={"value": 10})
    return {"pk": prog.pk, "target": target.pk}


def _person(cast: Cast) -> dict[str, Any]:
    return {"participant": str(fixtures.participant(cast).pk)}



HIDDEN: dict[str, Any] = {"own_org_only": True, "denied": 404}

RULES = [
    UrlRule("program:home", ANY_PROGRAM),
    UrlRule("program:activity_new", RECORDERS, kwargs=_programme, **HIDDEN),
    UrlRule("program:activity", RECORDERS, kwargs=_activity, **HIDDEN,
            notes="facilitators see activities they facilitate or recorded"),
    UrlRule("program:activity_edit", RECORDERS, kwargs=_activity, **HIDDEN),
    UrlRule("program:activity_search", RECORDERS, kwargs=_activity, **HIDDEN, method="post",
            data=lambda c: {"q": "ro"}),
    UrlRule("program:attendance_add", RECORDERS, kwargs=_activity, **HIDDEN, method="post", ok=302, data=_person),
    UrlRule("program:attendance_remove", RECORDERS, kwargs=_activity, **HIDDEN, method="post", ok=302,
            data=_person),
    UrlRule("program:participant_new", RECORDERS, kwargs=_activity, **HIDDEN, method="post",
            data=lambda c: {"sex": "female"}, notes="incomplete form: the page again with its errors"),
    UrlRule("program:sheet_choose", RECORDERS, kwargs=_activity, **HIDDEN),
    UrlRule("program:sheet", RECORDERS, kwargs=_sheet, **HIDDEN),
    UrlRule("program:participants", PEOPLE, kwargs=_programme, **HIDDEN, notes="donors never see a person"),
    UrlRule("program:settings", PEOPLE, kwargs=_programme, **HIDDEN),
    UrlRule("program:target_remove", PEOPLE, kwargs=_target, **HIDDEN, method="post", ok=302),
    UrlRule("program:dashboard", DASHBOARD, kwargs=_programme, **HIDDEN),
    UrlRule("program:chart", DASHBOARD, kwargs=lambda c: {**_programme(c), "chart": "metas"}, **HIDDEN),
    UrlRule("program:roster", RECORDERS, kwargs=_activity, **HIDDEN),
    UrlRule("program:schools", PEOPLE, notes="the department's schools: reference data, not one organisation's"),
]

RULES += IO_RULES
