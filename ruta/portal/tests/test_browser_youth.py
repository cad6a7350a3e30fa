"""The young people's pages in chromium at 360×740: axe-core finds nothing, nothing wider than
the phone, no cookie, nothing from another origin, the quick exit is the first Tab stop and
Esc leaves, and on every youth page Back after the exit shows the page before, not the one left."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ruta.portal.tests.test_weight import QUECHUA_PAGES, YOUTH_PAGES
from ruta.testing.browser import assert_no_axe_violations, scroll_width

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PHONE = {"width": 360, "height": 740}
SHOTS = "var/screens/youth"


@pytest.mark.parametrize("prefix", ["", "/en", "/qu"])
def test_every_youth_page_is_safe_and_fits_a_phone(browser: Any, ruta_server: str, prefix: str) -> None:
    context = browser.new_context(viewport=PHONE, locale="es-PE")
    foreign: list[str] = []
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    page = context.new_page()
    page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(ruta_server) else None)
    for path in QUECHUA_PAGES if prefix == "/qu" else [*YOUTH_PAGES, "/preguntas/leer/", "/preguntas/enviar/"]:
        page.goto(f"{ruta_server}{prefix}{path}")
        assert_no_axe_violations(page)
        assert scroll_width(page) <= PHONE["width"], path
        for box in page.locator(".help-strip a").all():
            assert box.bounding_box()["height"] >= 48, path
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.hasAttribute('data-quick-exit')"), path
        page.screenshot(path=f"{SHOTS}/{prefix.strip('/') or 'es'}-{path.strip('/').replace('/', '-') or 'home'}.png",
                        full_page=False)
    assert not context.cookies()
    assert not foreign
    context.close()


def test_the_quick_exit_then_back_never_shows_a_youth_page(browser: Any, ruta_server: str) -> None:
    context = browser.new_context(viewport=PHONE, locale="es-PE")
    context.route(lambda url: url.startswith("https://"),
                  lambda route: route.fulfill(body="<title>Clima</title>weather", content_type="text/html"))
    page = context.new_page()
    # Through the menu, then Esc: Back shows the page before, not the one left.
    page.goto(f"{ruta_server}/")
    page.click(".youth-menu a[href='/si-te-paso/']")
    page.wait_for_url(f"{ruta_server}/si-te-paso/")
    page.keyboard.press("Escape")
    page.wait_for_url(lambda url: url.startswith("https://"))
    page.go_back()
    page.wait_for_load_state()
    assert page.url == f"{ruta_server}/"
    # Every youth page in the three languages, the button and Esc in turn, in the same tab: the page
    # left is replaced in the tab's history, so Back shows what was open before it, and Forward the
    # weather page. A question being typed goes with it.
    before = "https://noticias.example/"
    pages = [f"{prefix}{path}" for prefix in ("", "/en") for path in [*YOUTH_PAGES, "/preguntas/leer/"]]
    pages += [f"/qu{path}" for path in QUECHUA_PAGES]
    for i, path in enumerate(pages):
        page.goto(before)
        page.goto(f"{ruta_server}{path}", wait_until="domcontentloaded")
        exit_url = page.get_attribute("[data-quick-exit]", "href")
        assert exit_url and exit_url.startswith("https://"), path
        if page.locator("textarea").count():
            page.locator("textarea").first.fill("mi padrastro me toca")
        if i % 2:
            page.keyboard.press("Escape")
        else:
            page.click("[data-quick-exit]")
        page.wait_for_url(exit_url)  # loaded: going back while the new page is still swapping in can fail
        page.go_back()
        assert page.url == before and page.title() == "Clima", path
        page.go_forward()
        assert page.url == exit_url, path
    context.close()
