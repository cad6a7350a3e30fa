"""Every staff page each demo role may open, as paths, derived from the URL rules.

The list comes from ``ruta.testing.access.all_rules()``: every GET rule a role is allowed
(status 200) that is not public. So a new staff page is walked by the phone test
(``ruta/tests/test_staff_phone.py``) and by ``python -m bench screens`` as soon as it has
its URL rule. Object ids come from the demo data (the richest case, the demo programme
and its busiest activity); a rule whose objects the demo does not cover gets them from the
rule's own ``kwargs`` (the test factories), run against the demo organisation.

Run inside an instance with demo data::

    manage.py shell -c "from ruta.testing.pages import main; main()"

prints ``{"roles": {role: {"username", "pages": [{"name", "path"}]}}, "skipped": {…}}``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from django.db.models import Count
from django.urls import reverse

from ruta.testing.access import ANONYMOUS, ROLES, UrlRule, all_rules
from ruta.testing.cast import Cast

# Rules not walked on a phone, with the reason. Everything else a role may GET is walked.
SKIPPED = {
    "admin:index": "Django's own admin: its markup and styles are Django's, not Ruta's",
    "cases:print": "a sheet for paper (A4), not a screen",
    "jobs:status": "an HTML fragment the job page polls, not a page",
    "jobs:download": "a file download",
    "reports:donor_pdf": "a PDF download",
    "reports:donor_xlsx": "an XLSX download",
    "program:chart": "an SVG image shown inside the dashboard",
    "program:import_template": "an XLSX download",
    "program:export": "a CSV download",
    "program:codebook": "a CSV download",
    "stats:table_csv": "a CSV download",
    "stats:import_confirm": "POST only",
    "reports:dhis2": "a JSON or CSV download for DHIS2",
    "learning:paper": "a PDF of a paper test form",
    "learning:report_export": "a CSV or XLSX download",
    "learning:live_panel": "an HTML fragment the live screen polls, not a page",
}


def _is_page(rule: UrlRule) -> bool:
    return (rule.method == "get" and rule.ok == 200 and ANONYMOUS not in rule.allowed
            and not rule.name.startswith("api:") and rule.name not in SKIPPED)


def demo_cast() -> Cast:
    """The demo organisation's users by role, shaped as the test cast (Beta: another org)."""
    from ruta.accounts.demo import NGO, USERS
    from ruta.accounts.models import Organisation, User

    ngo = Organisation.objects.get(name=NGO)
    other = Organisation.objects.exclude(pk=ngo.pk).order_by("pk").first() or ngo
    cast = Cast(alpha_org=ngo, beta_org=other)
    for username, role, _first, _org in USERS:
        cast.alpha[str(role)] = User.objects.get(username=username)
    return cast


def _demo_objects() -> dict[Callable[[Cast], dict[str, Any]], Callable[[Cast], dict[str, Any]]]:
    """Rule ``kwargs`` functions → the same kwargs from the demo data (richer than a factory's)."""
    from ruta.cases.models import Case
    from ruta.cases.tests import url_rules as cases
    from ruta.program.demo import NAME
    from ruta.program.models import Activity, Instrument, Programme
    from ruta.program.tests import url_rules as program
    from ruta.program.tests import url_rules_io as program_io
    from ruta.reports.tests import url_rules as reports

    def case(cast: Cast) -> Case:
        # The demo case with the most referrals: the widest tables.
        return (Case.objects.filter(code__startswith="C-DEMO").annotate(n=Count("referrals"))
                .order_by("-n", "code").first() or Case.objects.get())

    def programme(cast: Cast) -> dict[str, Any]:
        return {"pk": Programme.objects.get(name=NAME).pk}

    def activity(cast: Cast) -> Activity:
        return (Activity.objects.filter(programme__name=NAME).annotate(n=Count("attendance"))
                .order_by("-n", "pk").first() or Activity.objects.get())

    def sheet(cast: Cast) -> dict[str, Any]:
        act = activity(cast)
        return {"pk": act.pk, "instrument": Instrument.objects.filter(programme=act.programme).first().pk,  # type: ignore[union-attr]
                "phase": "pre"}

    def referral(cast: Cast) -> dict[str, Any]:
        c = case(cast)
        return {"code": c.code, "pk": c.referrals.order_by("pk").first().pk}  # type: ignore[union-attr]

    return {
        cases._case: lambda cast: {"code": case(cast).code},
        cases._referral: referral,
        program._programme: programme,
        program_io._programme: programme,
        reports._programme: programme,
        program._activity: lambda cast: {"pk": activity(cast).pk},
        program._sheet: sheet,
    }


def staff_pages() -> dict[str, Any]:
    """For each role, the staff pages it may open (name and path), and the rules skipped."""
    cast = demo_cast()
    demo = _demo_objects()
    kwargs_cache: dict[Any, dict[str, Any]] = {}
    roles: dict[str, Any] = {role: {"username": cast.alpha[role].username, "pages": []} for role in ROLES}
    for rule in all_rules():
        if not _is_page(rule):
            continue
        kwargs: dict[str, Any] = {}
        if rule.kwargs is not None:
            if rule.kwargs not in kwargs_cache:
                kwargs_cache[rule.kwargs] = demo.get(rule.kwargs, rule.kwargs)(cast)
            kwargs = kwargs_cache[rule.kwargs]
        path = reverse(rule.name, kwargs=kwargs) + (f"?{rule.query}" if rule.query else "")
        label = rule.name.replace(":", "-") + (f"-{rule.query.replace('=', '-')}" if rule.query else "")
        for role in ROLES:
            if role in rule.allowed:
                roles[role]["pages"].append({"name": label, "path": path})
    return {"roles": roles, "skipped": SKIPPED}


def main() -> None:
    sys.stdout.write(json.dumps(staff_pages()))
