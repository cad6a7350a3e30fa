"""Quechua for the crisis pages only, falling back to Spanish, never English, and marked
"traducción por revisar" until a reviewer is recorded."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from ruta.portal.models import Page

QUECHUA_PAGES = ["/qu/", "/qu/si-te-paso/", "/qu/ayuda-cerca/", "/qu/navega-seguro/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", QUECHUA_PAGES)
def test_crisis_pages_speak_quechua_and_say_the_translation_is_to_be_reviewed(client: Client, path: str) -> None:
    response = client.get(path)
    body = response.content.decode()
    assert response.status_code == 200 and '<html lang="qu">' in body
    assert "Usqhaylla lluqsiy" in body and "Línea 100 nisqaman waqyay" in body
    assert "traducción por revisar" in body
    assert "Quick exit" not in body and "Skip to content" not in body  # Spanish fallback, never English
    assert not response.cookies


@pytest.mark.django_db
def test_untranslated_strings_fall_back_to_spanish(client: Client) -> None:
    body = client.get("/qu/").content.decode()
    assert "Qué hacer ahora" in body and "What to do now" not in body


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "spanish"), [("/qu/derechos/", "/derechos/"), ("/qu/casos/", "/casos/"),
                                               ("/qu/servicios/?district=170101", "/servicios/?district=170101"),
                                               ("/qu", "/"), ("/qu//evil.example/", "/evil.example/")])
def test_other_quechua_addresses_redirect_to_spanish(client: Client, path: str, spanish: str) -> None:
    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == spanish


@pytest.mark.django_db
def test_a_recorded_reviewer_removes_the_notice(client: Client) -> None:
    Page.objects.filter(slug="si-te-paso", language="qu").update(reviewer_name="Revisora",
                                                                  reviewed_on=datetime.date(2026, 12, 1))
    assert "traducción por revisar" not in client.get("/qu/si-te-paso/").content.decode()
    assert "traducción por revisar" in client.get("/qu/").content.decode()


@pytest.mark.django_db
def test_the_quechua_home_links_spanish_only_pages_at_their_spanish_address(client: Client) -> None:
    body = client.get("/qu/").content.decode()
    assert 'href="/qu/si-te-paso/"' in body and 'href="/derechos/" lang="es"' in body


@pytest.mark.django_db
def test_quechua_pages_say_linea_100_answers_in_quechua(client: Client) -> None:
    assert "runasimipipas" in client.get("/qu/").content.decode()


@pytest.mark.django_db
def test_spanish_and_english_crisis_pages_link_their_quechua_version(client: Client) -> None:
    assert 'href="/qu/si-te-paso/" lang="qu"' in client.get("/si-te-paso/").content.decode()
    assert 'href="/qu/" lang="qu"' in client.get("/en/").content.decode()
    assert 'lang="qu" hreflang="qu"' not in client.get("/derechos/").content.decode()
