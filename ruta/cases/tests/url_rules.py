"""Case work: only case workers and case supervisors, and only within reach; everyone else 404."""

from __future__ import annotations

from typing import Any

from ruta.accounts.roles import Role
from ruta.testing.access import UrlRule
from ruta.testing.cast import Cast

CASE_ROLES = frozenset({"caseworker", "case_supervisor"})
SUPERVISOR = frozenset({"case_supervisor"})


def _case(cast: Cast) -> dict[str, Any]:
    from ruta.cases.tests.factories import make_case

    return {"code": make_case(cast.alpha[Role.CASEWORKER]).code}


def _referral(cast: Cast) -> dict[str, Any]:
    from ruta.cases.tests.factories import make_case, make_referral

    case = make_case(cast.alpha[Role.CASEWORKER])
    return {"code": case.code, "pk": make_referral(case, cast.alpha[Role.CASEWORKER]).pk}


def _on_case(name: str, allowed: frozenset[str] = CASE_ROLES, **kw: Any) -> UrlRule:
    return UrlRule(name, allowed, kwargs=_case, own_org_only=True, denied=404, **kw)


RULES = [
    UrlRule("cases:list", CASE_ROLES, denied=404, notes="each sees only their own reach"),
    UrlRule("cases:list", CASE_ROLES, denied=404, query="status=all"),
    UrlRule("cases:list", CASE_ROLES, denied=404, method="post", data=lambda cast: {"q": "41234567"},
            notes="searches are POSTed: a document number never goes in a URL"),
    UrlRule("cases:list", CASE_ROLES, denied=404, method="post", data=lambda cast: {"q": "Zoraida"},
            notes="a name search: POSTed, audited without the query"),
    UrlRule("cases:names", CASE_ROLES, denied=404, method="post", data=lambda cast: {"show": "0"},
            ok=302, notes="the hide-names switch: kept in the session, nothing in the URL"),
    UrlRule("cases:today", CASE_ROLES, denied=404),
    UrlRule("cases:open", CASE_ROLES, denied=404),
    UrlRule("cases:export", SUPERVISOR, denied=404),
    _on_case("cases:detail"),
    _on_case("cases:print"),
    _on_case("cases:proposal"),
    _on_case("cases:referral_new"),
    UrlRule("cases:referral_edit", CASE_ROLES, kwargs=_referral, own_org_only=True, denied=404),
    _on_case("cases:consent"),
    _on_case("cases:consent_withdraw"),
    _on_case("cases:followup"),
    _on_case("cases:risk"),
    _on_case("cases:survivor"),
    _on_case("cases:incident_new"),
    _on_case("cases:closure_request"),
    _on_case("cases:reopen"),
    _on_case("cases:assign", SUPERVISOR),
    _on_case("cases:closure_decide", SUPERVISOR),
    _on_case("cases:access_log", SUPERVISOR),
    _on_case("cases:erase", notes="a request: another supervisor approves"),
    _on_case("cases:erase_decide", SUPERVISOR),
    UrlRule("cases:reassign", SUPERVISOR, kwargs=lambda cast: {"pk": cast.alpha[Role.CASEWORKER].pk},
            own_org_only=True, denied=404),
]
