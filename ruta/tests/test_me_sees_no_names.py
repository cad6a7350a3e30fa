"""The M&E officer never sees a participant's or a survivor's name (docs/security.md):
every page the role may open, with real objects behind it, is searched for known names."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ruta.cases.models import Survivor
from ruta.cases.tests import factories
from ruta.program.models import Attendance, Participant
from ruta.program.tests import fixtures
from ruta.testing.access import all_rules
from ruta.testing.cast import Cast, login, make_cast

ROLE = "me_officer"


def _people(cast: Cast) -> None:
    """A duplicate pair in the activity and a case, so that every page has names to leak."""
    act, rosa = fixtures.attended(cast)
    twin = fixtures.participant(cast, "P-AAA112", name="Rosa Huaman")
    Attendance.objects.get_or_create(activity=act, participant=twin)
    earlier = fixtures.activity(cast, day=dt.date(2025, 3, 3))
    regular = fixtures.participant(cast, "P-AAA113", name="Yolanda Ccori Sucso", birth=dt.date(2007, 1, 2))
    Attendance.objects.get_or_create(activity=earlier, participant=regular)
    earlier.facilitators.add(cast.alpha[ROLE])
    factories.make_case(cast.alpha["caseworker"])


# Words of the names above that appear in nothing else (no service, place or label):
# one of them alone on a page is a leak too.
RARE_WORDS = {"Yolanda", "Ccori", "Sucso"}


def _names() -> set[str]:
    names = {p.name for p in Participant.objects.all() if p.name}
    for s in Survivor.objects.all():
        names |= {s.given_names, s.family_names, f"{s.given_names} {s.family_names}"}
    return names | RARE_WORDS


def _text(content: bytes) -> str:
    if content[:2] == b"PK":  # XLSX: look inside every part
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            return " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return content.decode("utf-8", "replace")


@pytest.mark.django_db
def test_no_page_the_me_officer_may_open_shows_a_name() -> None:
    cast = make_cast()
    _people(cast)
    client = Client()
    login(client, cast.alpha[ROLE])
    opened, leaks = [], []
    for rule in all_rules():
        if rule.method != "get" or ROLE not in rule.allowed:
            continue
        with translation.override("es-pe"):
            url = reverse(rule.name, kwargs=rule.kwargs(cast) if rule.kwargs else {}) + (
                f"?{rule.query}" if rule.query else "")
        names = _names()
        for page in (url, url if url.startswith("/api/") else f"/en{url}"):
            response = client.get(page)
            content = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
            text = _text(content)
            opened.append(page)
            leaks += [f"{page}: {n!r}" for n in sorted(names) if n in text]
    assert len(opened) > 20
    assert leaks == []


@pytest.mark.django_db
def test_the_me_officer_searching_an_activity_gets_no_name() -> None:
    cast = make_cast()
    _people(cast)
    act = fixtures.activity(cast)
    client = Client()
    login(client, cast.alpha[ROLE])
    url = reverse("program:activity_search", kwargs={"pk": act.pk})
    for q in ("Yolanda", "Yolanda Ccori Sucso", "P-AAA"):
        # Only the results: the page itself echoes what the officer typed.
        html = client.post(url, {"q": q}, headers={"HX-Request": "true", "HX-Target": "search-results"}).content
        assert b"Yolanda" not in html and b"Ccori" not in html, q


@pytest.mark.django_db
def test_duplicates_are_for_the_coordinator_only() -> None:
    cast = make_cast()
    _people(cast)
    programme = fixtures.programme(cast)
    for role, status in (("coordinator", 200), (ROLE, 404)):
        client = Client()
        login(client, cast.alpha[role])
        assert client.get(reverse("program:duplicates", kwargs={"pk": programme.pk})).status_code == status, role
