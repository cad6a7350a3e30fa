from __future__ import annotations

import pytest
from django.test import Client

from ruta.testing.weight import page_weight

YOUTH_PAGES = ["/", "/derechos/", "/que-es-violencia/", "/consentimiento/", "/si-te-paso/", "/si-alguien-te-cuenta/",
               "/chicos-y-diversidad/", "/ayuda-cerca/", "/ayuda-cerca/?distrito=170101", "/preguntas/",
               "/navega-seguro/"]
QUECHUA_PAGES = ["/", "/si-te-paso/", "/ayuda-cerca/", "/ayuda-cerca/?distrito=170101", "/navega-seguro/"]
PUBLIC_PAGES = [*YOUTH_PAGES, *(f"/en{p}" for p in YOUTH_PAGES), *(f"/qu{p}" for p in QUECHUA_PAGES), "/entrar/",
                "/en/entrar/", "/preguntas/leer/", "/preguntas/enviar/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_fit_the_budget(path: str) -> None:
    weight = page_weight(Client(), path)
    print(f"WEIGHT {path} {weight}")  # noqa: T201 - the report lists every page with its weight (-s)
    assert weight.compressed_bytes <= 30 * 1024, str(weight)
    assert weight.requests <= 4, weight.parts


@pytest.mark.django_db
def test_the_home_page_offers_help_and_the_quick_exit_in_both_languages(client: Client) -> None:
    es = client.get("/").content.decode()
    assert "Salida rápida" in es and 'href="tel:100"' in es and "/navega-seguro/" in es
    en = client.get("/en/").content.decode()
    assert "Quick exit" in en and "/en/navega-seguro/" in en and 'lang="en"' in en
