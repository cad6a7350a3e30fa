"""``same_origin_post``: a public form's POST is taken only from this very site, without a cookie."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from ruta.lib.publicpost import same_origin_post


@same_origin_post
def echo(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok")


def post(**headers: str) -> HttpResponse:
    request = RequestFactory().post("/x/", {"a": "1"}, headers=headers)
    return echo(request)


def test_a_same_origin_post_is_taken_without_a_csrf_cookie() -> None:
    response = post(sec_fetch_site="same-origin")
    assert response.status_code == 200 and not response.cookies


@pytest.mark.parametrize("site", ["cross-site", "same-site", "none", ""])
def test_a_post_from_another_site_is_refused(site: str) -> None:
    assert post(sec_fetch_site=site).status_code == 403


def test_a_matching_origin_is_taken_when_the_browser_sends_no_fetch_metadata() -> None:
    assert post(origin="http://testserver").status_code == 200


@pytest.mark.parametrize("origin", ["https://evil.example", "null", "http://testserver.evil.example",
                                    "https://testserver"])
def test_a_foreign_or_null_origin_is_refused(origin: str) -> None:
    assert post(origin=origin).status_code == 403


def test_a_post_with_neither_header_is_refused() -> None:
    assert post().status_code == 403


def test_fetch_metadata_wins_over_a_matching_origin() -> None:
    assert post(sec_fetch_site="cross-site", origin="http://testserver").status_code == 403


@override_settings(CSRF_TRUSTED_ORIGINS=["https://ruta.example.pe"])
def test_a_trusted_origin_is_taken() -> None:
    assert post(origin="https://ruta.example.pe").status_code == 200


def test_get_is_not_checked_and_the_view_is_csrf_exempt() -> None:
    assert echo(RequestFactory().get("/x/")).status_code == 200
    assert getattr(echo, "csrf_exempt", False) is True
