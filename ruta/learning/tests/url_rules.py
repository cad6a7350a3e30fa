"""Every URL of the learning app × every role (see ``ruta/testing/access.py``)."""

from __future__ import annotations

from typing import Any

from ruta.accounts.roles import Role
from ruta.testing.access import ANONYMOUS, UrlRule
from ruta.testing.cast import Cast

RUNNERS = frozenset({"facilitator", "coordinator"})
HIDDEN: dict[str, Any] = {"own_org_only": True, "denied": 404}
PUBLIC = frozenset({ANONYMOUS})
# The access test's client sends no Sec-Fetch-Site or Origin: a public POST is refused (403)
# by ruta.lib.publicpost.same_origin_post whoever sends it. test_live.py posts as a browser does.
REFUSED_POST: dict[str, Any] = {"method": "post", "ok": 403,
                                "notes": "no Sec-Fetch-Site/Origin: refused by same_origin_post"}


def _activity(cast: Cast) -> dict[str, Any]:
    from ruta.program.tests import fixtures

    return {"pk": fixtures.attended(cast)[0].pk}


def _session(cast: Cast) -> Any:
    from ruta.learning import actions
    from ruta.learning.models import LiveSession
    from ruta.learning.tests.helpers import sample_course
    from ruta.program.tests import fixtures

    activity = fixtures.attended(cast)[0]
    session = LiveSession.objects.filter(activity=activity, state="open").first()
    return session or actions.open_session(cast.alpha[Role.FACILITATOR], activity, sample_course(), "pre")


def _session_kw(cast: Cast) -> dict[str, Any]:
    return {"pk": _session(cast).pk}


def _seat_kw(cast: Cast) -> dict[str, Any]:
    from ruta.learning import actions

    session = _session(cast)
    return {"pk": session.pk, "seat": actions.join(session).pk}


def _token(cast: Cast) -> dict[str, Any]:
    from ruta.learning import actions

    return {"token": actions.join(_session(cast)).token}


REPORTERS = frozenset({"facilitator", "coordinator", "me_officer"})


def _course(cast: Cast) -> dict[str, Any]:
    from ruta.learning.tests.helpers import sample_course

    return {"code": sample_course().code}


RULES = [
    UrlRule("api:courses", PUBLIC),
    UrlRule("learning:start", RUNNERS, kwargs=_activity, **HIDDEN),
    UrlRule("learning:paper_entry", RUNNERS, kwargs=_activity, **HIDDEN),
    UrlRule("learning:live", RUNNERS, kwargs=_session_kw, **HIDDEN),
    UrlRule("learning:live_panel", RUNNERS, kwargs=_session_kw, **HIDDEN),
    UrlRule("learning:seat_decide", RUNNERS, kwargs=_seat_kw, **HIDDEN, method="post", ok=302,
            data=lambda c: {"decision": "admit"}),
    UrlRule("learning:close", RUNNERS, kwargs=_session_kw, **HIDDEN, method="post", ok=302),
    UrlRule("learning:reports", REPORTERS, denied=404),
    UrlRule("learning:report", REPORTERS, kwargs=_course, denied=404,
            notes="a course is shared; the figures count only the user's organisation's programmes"),
    UrlRule("learning:report_export", REPORTERS, kwargs=lambda c: {**_course(c), "fmt": "csv"}, denied=404),
    UrlRule("learning:paper", RUNNERS, kwargs=lambda c: {**_course(c), "form": "A", "sheet": "prueba"}, denied=404),
    UrlRule("courses:list", PUBLIC),
    UrlRule("courses:course", PUBLIC, kwargs=_course),
    UrlRule("courses:lesson", PUBLIC, kwargs=lambda c: {**_course(c), "slug": "leccion"}),
    UrlRule("courses:verify", PUBLIC, notes="the code is POSTed; GET shows the form"),
    UrlRule("courses:start", PUBLIC, kwargs=_course, **REFUSED_POST),
    UrlRule("courses:resume", PUBLIC, kwargs=_course),
    UrlRule("courses:progress", PUBLIC, kwargs=_course, **REFUSED_POST),
    UrlRule("courses:certificate", PUBLIC, kwargs=_course, **REFUSED_POST),
    UrlRule("t:join", PUBLIC),
    UrlRule("t:place", PUBLIC, kwargs=_token, notes="a phone waiting to be admitted"),
    UrlRule("t:who", PUBLIC, kwargs=_token, **REFUSED_POST),
    UrlRule("t:answer", PUBLIC, kwargs=_token, **REFUSED_POST),
    UrlRule("t:help", PUBLIC, kwargs=_token, **REFUSED_POST),
]
