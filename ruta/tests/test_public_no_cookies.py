"""The public site sets no cookie: every public URL of the URL rules, by GET and by POST."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ruta.testing.access import ANONYMOUS, all_rules
from ruta.testing.cast import make_cast

PUBLIC = [r for r in all_rules() if ANONYMOUS in r.allowed]


@pytest.mark.django_db
@pytest.mark.parametrize("rule", PUBLIC, ids=lambda r: f"{r.name}-{r.method}")
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_no_public_url_sets_a_cookie_on_get_or_post(rule, prefix: str) -> None:  # type: ignore[no-untyped-def]
    cast = make_cast()
    kwargs = rule.kwargs(cast) if rule.kwargs else {}
    url = reverse(rule.name, kwargs=kwargs)
    if prefix and not url.startswith("/api/"):
        url = prefix + url
    client = Client()
    for method in ("get", "post"):
        data = rule.data(cast) if rule.data and method == rule.method else {}
        response = getattr(client, method)(url, data, headers={"sec-fetch-site": "same-origin"})
        assert "Set-Cookie" not in response.headers and not response.cookies, (method, url, response.status_code)
    assert not client.cookies
