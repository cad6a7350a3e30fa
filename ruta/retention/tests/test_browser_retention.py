"""On a phone: the coordinator asks to erase a participant, the M&E officer approves. axe-core
finds nothing on the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ruta.testing.browser import assert_no_axe_violations, fits_the_screen, login_as

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE = {"width": 360, "height": 740}
SHOTS = Path(__file__).resolve().parents[3] / "var" / "screens"



def test_a_coordinator_asks_and_the_me_officer_approves_on_a_phone(
    page: Any, ruta_server: str, demo_logins: dict[str, Any], browser: Any
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(PHONE)
    login_as(page, ruta_server, demo_logins["coordinadora"])
    page.goto(f"{ruta_server}/borrados/")
    assert "Borrar los datos de un participante" in page.content()
    assert fits_the_screen(page)
    assert_no_axe_violations(page)
    page.fill("#id_code", "MDD-00007")
    page.click("text=Solicitar el borrado")
    page.wait_for_selector("text=Borrado solicitado")
    assert "MDD-00007" in page.content() and "Esperando su aprobación" not in page.content()
    page.screenshot(path=str(SHOTS / "retention_requested.png"), full_page=True)

    other = browser.new_page()
    other.set_viewport_size(PHONE)
    login_as(other, ruta_server, demo_logins["monitoreo"])
    other.goto(f"{ruta_server}/borrados/")
    assert "Esperando su aprobación" in other.content()
    # The requests table becomes stacked cards on a phone with the `table.cards` rule of ruta.css.
    other.screenshot(path=str(SHOTS / "retention_waiting.png"), full_page=True)
    other.click("text=Aprobar y borrar")
    other.wait_for_selector("text=las cifras no cambian")
    assert "Aprobado y borrado" in other.content()
    other.screenshot(path=str(SHOTS / "retention_approved.png"), full_page=True)
    other.close()
