"""Every URL × every role: what each one gets. A URL without a rule fails here."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from ruta.testing.access import ANONYMOUS, all_rules, all_url_names, who_list
from ruta.testing.cast import login, make_cast

RULES = all_rules()


def test_every_url_pattern_has_a_rule() -> None:
    covered = {r.name for r in RULES}
    missing = [
        n for n in all_url_names()
        if n not in covered and not (n.startswith("admin:") and "admin:index" in covered)
    ]
    assert missing == [], f"URL patterns without an access rule: {missing}"


def test_rules_name_real_urls() -> None:
    names = set(all_url_names())
    assert [r.name for r in RULES if r.name not in names] == []


@pytest.mark.django_db
@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.name}{'-' + r.method if r.method != 'get' else ''}")
def test_each_role_gets_what_the_rule_says(rule) -> None:  # type: ignore[no-untyped-def]
    cast = make_cast()
    kwargs = rule.kwargs(cast) if rule.kwargs else {}
    url = reverse(rule.name, kwargs=kwargs) + (f"?{rule.query}" if rule.query else "")
    wrong = []
    for who in who_list():
        client = Client()
        user = cast.user(who)
        if user is not None:
            login(client, user)
        data = rule.data(cast) if rule.data else None
        response = getattr(client, rule.method)(url, data) if data is not None else getattr(client, rule.method)(url)
        expected = rule.expected(who)
        if response.status_code != expected:
            wrong.append(f"{who}: got {response.status_code}, expected {expected}")
        elif expected == 302 and who == ANONYMOUS:
            login_pages = (reverse("accounts:login"), reverse("admin:login"))
            assert response["Location"].startswith(login_pages), response["Location"]
    assert wrong == [], f"{rule.name} {url}: " + "; ".join(wrong)


@pytest.mark.django_db
def test_admin_changelists_are_for_verified_administrators_only() -> None:
    cast = make_cast()
    urls = [reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist") for m in admin.site._registry]
    assert urls
    for who in who_list():
        client = Client()
        user = cast.user(who)
        if user is not None:
            login(client, user)
        for url in urls:
            status = client.get(url).status_code
            expected = 302 if who == ANONYMOUS else 200 if who.endswith("admin") else 403
            assert status == expected, f"{who} {url}: {status}"


@pytest.mark.django_db
def test_no_case_model_is_in_the_admin() -> None:
    # Administrators see no case content (docs/architecture.md, "Who uses it").
    assert not [m for m in admin.site._registry if m._meta.app_label == "cases"]
