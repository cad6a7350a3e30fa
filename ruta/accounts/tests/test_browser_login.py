"""Every demo user logs in through the real forms in chromium, second factor included."""

from __future__ import annotations

from typing import Any

import pytest

from ruta.accounts.demo import USERS
from ruta.testing.browser import assert_no_axe_violations, login_as

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.parametrize("username", [u[0] for u in USERS])
def test_each_demo_user_logs_in(page: Any, ruta_server: str, demo_logins: dict[str, Any], username: str) -> None:
    login_as(page, ruta_server, demo_logins[username])
    assert page.locator("h1").inner_text().startswith("Hola")
    # Logging out ends the session: the panel asks for a login again.
    page.click("button:has-text('Cerrar sesión')")
    page.goto(f"{ruta_server}/panel/")
    assert "/entrar/" in page.url


def test_a_wrong_code_is_refused_in_spanish(page: Any, ruta_server: str, demo_logins: dict[str, Any]) -> None:
    login = demo_logins["gestora"]
    page.goto(f"{ruta_server}/entrar/")
    page.fill("#id_username", login["username"])
    page.fill("#id_password", login["password"])
    page.click("main button[type=submit]")
    page.fill("#id_token", "000000")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=no es válido")
    page.goto(f"{ruta_server}/panel/")
    assert "/entrar/codigo/" in page.url


@pytest.mark.parametrize("path", ["/", "/en/", "/entrar/", "/en/entrar/"])
def test_public_pages_have_no_axe_violations(page: Any, ruta_server: str, path: str) -> None:
    page.goto(ruta_server + path)
    assert_no_axe_violations(page)


def test_quick_exit_on_escape_leaves_and_replaces_history(page: Any, ruta_server: str) -> None:
    page.route("https://www.google.com/**", lambda route: route.fulfill(status=200, body="<h1>clima</h1>"))
    page.goto(ruta_server + "/entrar/")
    page.goto(ruta_server + "/")
    page.keyboard.press("Escape")
    page.wait_for_url("https://www.google.com/**")
    page.go_back()
    # The public page was replaced: going back lands on the page before it.
    assert page.url.endswith("/entrar/")
