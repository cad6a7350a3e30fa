"""The public directory in chromium: axe-core clean, and usable with JavaScript off."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ruta.testing.browser import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.parametrize(
    "path", ["/servicios/", "/en/servicios/?district=170101&kind=health", "/servicios/imprimir/1701/",
             "/navega-seguro/", "/en/navega-seguro/"]
)
def test_directory_pages_have_no_axe_violations(page: Any, ruta_server: str, path: str) -> None:
    page.goto(ruta_server + path)
    assert_no_axe_violations(page)


def test_a_teacher_finds_the_hospital_near_her_with_javascript_off(browser: Any, ruta_server: str) -> None:
    context = browser.new_context(locale="es-PE", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{ruta_server}/servicios/")
        page.select_option("#id_district", "170101")
        page.select_option("#id_kind", "health")
        page.click("form.filters button[type=submit]")
        page.wait_for_load_state()  # click returns once the new page starts loading, not when it is read
        assert "district=170101" in page.url
        cards = page.locator(".dir-service h2").all_inner_texts()
        assert cards.count("Hospital Santa Rosa de Puerto Maldonado") == 1  # RENIPRESS and MINSA merged
        assert "km del centro del distrito" in page.content()  # nearest first, without JavaScript
        page.click("text=Hospital Santa Rosa de Puerto Maldonado")
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Hospital Santa Rosa de Puerto Maldonado"
        assert "Jr. Cajamarca" in page.content() and 'href="tel:100"' in page.content()  # no phone: Línea 100
        page.goto(f"{ruta_server}/servicios/imprimir/1701/")
        page.emulate_media(media="print")
        assert not page.locator(".quick-exit").is_visible()
        assert page.locator("h1").is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("province", ["1701", "1702", "1703"])
def test_each_province_prints_on_one_a4_sheet(page: Any, ruta_server: str, province: str) -> None:
    page.goto(f"{ruta_server}/servicios/imprimir/{province}/")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
