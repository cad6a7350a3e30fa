from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from ruta.portal import reference
from ruta.portal.markup import MarkupError, render, split_front_matter
from ruta.portal.models import Page
from ruta.portal.tests.test_weight import YOUTH_PAGES

HELP_STRIP = ('href="tel:100"', 'href="tel:105"', "Chat 100")


def test_markup_escapes_everything_an_editor_types() -> None:
    html = render('<script>alert(1)</script> **bold** [x](/si-te-paso/) "quote"', "/en")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<strong>bold</strong>" in html and '<a href="/en/si-te-paso/">x</a>' in html


@pytest.mark.parametrize("href", ["https://evil.example/", "javascript:alert(1)", "//evil.example/x",
                                  "data:text/html,x"])
def test_markup_refuses_links_to_other_origins(href: str) -> None:
    with pytest.raises(MarkupError):
        render(f"[x]({href})")


def test_markup_lists_sources_and_callouts() -> None:
    html = render("## Title\n\n- one\n- two\n\n> Fuente: Ley 30364\n\n!! Llama al [100](tel:100)")
    assert '<h2 id="title">Title</h2>' in html and "<ul><li>one</li><li>two</li></ul>" in html
    assert '<p class="muted source">Fuente: Ley 30364</p>' in html
    assert '<p class="card callout">Llama al <a href="tel:100">100</a></p>' in html


def test_every_content_file_has_a_title_and_exists_in_spanish_and_english() -> None:
    by_language: dict[str, set[str]] = {}
    for language, slug, path in reference.files():
        source = split_front_matter(path.read_text(encoding="utf-8"))
        assert source.meta.get("title"), path
        by_language.setdefault(language, set()).add(slug)
    assert by_language["es"] == by_language["en"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", [*YOUTH_PAGES, *(f"/en{p}" for p in YOUTH_PAGES)])
def test_every_youth_page_has_the_help_strip_quick_exit_and_a_neutral_title(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    body = response.content.decode()
    for mark in HELP_STRIP:
        assert mark in body, (path, mark)
    assert body.index("data-quick-exit") < body.index('class="brand"')
    title = re.search(r"<title>(.*?)</title>", body, re.S)
    assert title and title.group(1).strip() in ("Ruta · información", "Ruta · information")
    assert not response.cookies


@pytest.mark.django_db
def test_english_pages_link_within_english(client: Client) -> None:
    body = client.get("/en/si-te-paso/").content.decode()
    assert 'href="/en/ayuda-cerca/"' in body and 'href="/ayuda-cerca/"' not in body


@pytest.mark.django_db
def test_an_admin_edit_shows_on_the_page_and_keeps_history(client: Client) -> None:
    page = Page.objects.get(slug="derechos", language="es")
    page.body = "## Nuevo\n\nTexto cambiado."
    page.save()
    assert "Texto cambiado." in client.get("/derechos/").content.decode()
    assert page.history.first().body == "## Nuevo\n\nTexto cambiado."


@pytest.mark.django_db
def test_loading_again_keeps_the_admins_edits_unless_forced() -> None:
    Page.objects.filter(slug="derechos", language="es").update(title="Editado")
    reference.load()
    assert Page.objects.get(slug="derechos", language="es").title == "Editado"
    reference.load(force=True)
    assert Page.objects.get(slug="derechos", language="es").title == "Tus derechos"


@pytest.mark.django_db
def test_a_page_with_a_forbidden_link_is_refused_in_the_admin() -> None:
    page = Page.objects.get(slug="derechos", language="es")
    page.body = "[x](https://tracker.example/)"
    with pytest.raises(ValidationError):
        page.full_clean()


@pytest.mark.django_db
def test_consent_page_states_the_under_14_rule_and_no_single_age(client: Client) -> None:
    body = client.get("/consentimiento/").content.decode()
    assert "menor de 14 años es violación" in body and "No hay una sola" in body
    assert "No es asesoría legal" in body


@pytest.mark.django_db
def test_help_near_lists_the_chosen_district_and_offers_near_me(client: Client) -> None:
    body = client.get("/ayuda-cerca/?distrito=170101").content.decode()
    assert "data-near-me" in body and 'value="170101" selected' in body
    assert client.get("/ayuda-cerca/?distrito=xx").status_code == 200


@pytest.mark.django_db
def test_a_missing_page_is_not_found(client: Client) -> None:
    Page.objects.filter(slug="derechos").delete()
    assert client.get("/derechos/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/no-existe/", "/en/no-existe/", "/servicios/999999/"])
def test_error_pages_put_the_quick_exit_first_and_set_no_cookie(client: Client, path: str) -> None:
    response = client.get(path)
    body = response.content.decode()
    assert response.status_code == 404 and not response.cookies
    assert body.index("data-quick-exit") < body.index('class="skip"')


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "label", "target"), [
    ("/", "Cifras de violencia en Madre de Dios (fuente pública)", 'href="/cifras/"'),
    ("/en/", "Figures on violence in Madre de Dios (public source)", 'href="/en/cifras/"'),
])
def test_the_home_leads_to_the_public_figures(client: Client, path: str, label: str, target: str) -> None:
    body = client.get(path).content.decode()
    assert label in body and target in body
    assert client.get(f"{path}cifras/").status_code == 200
