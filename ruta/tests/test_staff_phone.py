"""Every staff page, as each role, on a 360×740 phone in Spanish: no sideways scrolling and
no axe-core violation. The pages come from the URL rules (``ruta.testing.pages``), so a new
page is walked as soon as it has its rule; the pages not walked are listed in
``ruta.testing.pages.SKIPPED`` with the reason."""

from __future__ import annotations

from typing import Any

import pytest

from ruta.testing.access import all_rules
from ruta.testing.browser import axe_violations, login_as, scroll_width
from ruta.testing.pages import SKIPPED

PHONE = {"width": 360, "height": 740}


def test_every_skipped_page_is_a_url_rule() -> None:
    names = {rule.name for rule in all_rules()}
    assert set(SKIPPED) <= names, f"stale entries in SKIPPED: {set(SKIPPED) - names}"


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_every_staff_page_fits_a_phone_without_axe_violations(
        browser: Any, ruta_server: str, demo_logins: dict[str, Any], demo_staff_pages: dict[str, Any]) -> None:
    problems: list[str] = []
    walked = 0
    for role, mine in demo_staff_pages["roles"].items():
        assert mine["pages"], f"no staff page for {role}"
        context = browser.new_context(locale="es-PE", viewport=PHONE)
        page = context.new_page()
        login_as(page, ruta_server, demo_logins[mine["username"]])
        for item in mine["pages"]:
            response = page.goto(ruta_server + item["path"])
            where = f"{role} {item['name']} ({item['path']})"
            if response is None or response.status != 200:
                problems.append(f"{where}: HTTP {response.status if response else '?'}")
                continue
            assert "text/html" in response.headers.get("content-type", ""), f"{where}: not a page; add it to SKIPPED"
            walked += 1
            if (width := scroll_width(page)) > PHONE["width"]:
                problems.append(f"{where}: {width} px wide")
            problems += [f"{where}: axe {v['id']} on {[n['target'] for n in v['nodes']][:3]}"
                         for v in axe_violations(page)]
        context.close()
    assert walked >= 50, walked
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_the_staff_menu_folds_behind_a_button_on_a_phone_only(
        browser: Any, ruta_server: str, demo_logins: dict[str, Any]) -> None:
    context = browser.new_context(locale="es-PE", viewport=PHONE)
    page = context.new_page()
    login_as(page, ruta_server, demo_logins["coordinadora"])
    menu, nav = page.locator("button.menu-toggle"), page.locator("nav#main-nav")
    assert menu.is_visible() and not nav.is_visible()
    menu.click()
    assert nav.is_visible() and menu.get_attribute("aria-expanded") == "true"
    nav.get_by_role("link", name="Programa").first.click()
    page.wait_for_url("**/programa/**")
    page.set_viewport_size({"width": 1024, "height": 740})
    assert nav.is_visible() and not menu.is_visible()
    context.close()
