"""No lost work, in chromium: a case intake typed, the session ends, the form is sent, and after
logging in again (second factor included) the narrative is back in the form.

Runs its own instance with the idle limit set to one minute (SESSION_IDLE_SECONDS, demo only).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ruta.testing.browser import assert_no_axe_violations, gunicorn, manage, new_instance, totp_now

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

NARRATIVE = "Relato de prueba escrito durante la entrevista: lo ocurrido el martes cerca del mercado."
SHOTS = Path(os.environ.get("RUTA_SCREENSHOTS", "var/screenshots"))


@pytest.fixture(scope="module")
def short_sessions() -> Iterator[tuple[str, dict[str, Any]]]:
    """A demo instance whose sessions end after one idle minute, and its demo logins."""
    with new_instance("ruta-keep-", SESSION_IDLE_SECONDS="60") as (env, port), gunicorn(env, port) as (base, _p):
        logins = {x["username"]: x for x in json.loads(manage(env, "demo_credentials", "--json"))}
        yield base, logins


def _log_in(page: Any, login: dict[str, Any]) -> None:
    """The password, then the code, on the login page the app sent us to."""
    page.fill("#id_username", login["username"])
    page.fill("#id_password", login["password"])
    page.click("main button[type=submit]")
    page.wait_for_url("**/entrar/codigo/**")
    for _attempt in range(2):
        page.fill("#id_token", totp_now(login["totp_secret"]))
        with page.expect_navigation():
            page.click("main button[type=submit]")
        if "/entrar/codigo/" not in page.url:
            return
        time.sleep(30 - time.time() % 30 + 1)  # a code is accepted once: wait for the next one


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"keep-{name}.png"), full_page=False)


def test_a_case_intake_typed_past_the_idle_limit_comes_back_after_login(
        page: Any, short_sessions: tuple[str, dict[str, Any]]) -> None:
    base, logins = short_sessions
    login = logins["gestora"]
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{base}/casos/nuevo/")
    _log_in(page, login)
    page.wait_for_url("**/casos/nuevo/")
    page.fill("#id_i-narrative", NARRATIVE)

    # Before the idle limit: a warning that offers to continue, and Continue keeps the session.
    warning = page.locator("#session-warning")
    warning.wait_for(state="visible", timeout=60_000)
    assert warning.get_attribute("role") == "alertdialog"
    _shot(page, "1-warning")
    assert page.evaluate("() => document.activeElement.textContent") == "Continuar"
    assert_no_axe_violations(page)
    page.click("#session-warning button:has-text('Continuar')")
    warning.wait_for(state="hidden", timeout=10_000)

    # Nothing more happens: the session ends; the page says the text is still here.
    page.locator("#session-ended").wait_for(state="visible", timeout=90_000)
    time.sleep(12)  # past the server's own limit too (the page's count is a little early)
    _shot(page, "2-ended")
    assert page.input_value("#id_i-narrative") == NARRATIVE

    # Sending the form keeps it and the login page says why we are there.
    page.click("main button[type=submit]")
    page.wait_for_url("**/entrar/?**")
    text = page.locator("main").inner_text()
    assert "Tu sesión terminó por inactividad" in text
    assert "Lo que escribiste está guardado" in text
    _shot(page, "3-login")
    assert_no_axe_violations(page)

    # Full login (second factor included): back in the same form, filled in, not sent.
    _log_in(page, login)
    page.wait_for_url("**/casos/nuevo/")
    assert page.input_value("#id_i-narrative") == NARRATIVE
    assert "está de vuelta en este formulario" in page.locator("main").inner_text()
    _shot(page, "4-restored")
    assert_no_axe_violations(page)
    # Given back once: the form opened again is empty.
    page.goto(f"{base}/casos/nuevo/")
    assert page.input_value("#id_i-narrative") == ""
    # And nothing was ever written to the browser's storage.
    # (htmx notes the current address only; it keeps no copies of pages: historyCacheSize 0.)
    stored = page.evaluate("() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])")
    assert "Relato" not in stored and "htmx-history-cache" not in stored
    assert page.evaluate("() => localStorage.length") == 0
