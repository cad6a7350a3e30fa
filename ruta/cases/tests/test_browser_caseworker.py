"""The case worker on a phone (360×740, Spanish): names in the case list, the switch that hides
them, a search by name, and the proposal with only what is mandatory or urgent ticked."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from ruta.testing.browser import assert_no_axe_violations, login_as

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
SHOTS = os.environ.get("RUTA_SCREENSHOTS", "")


def _look(page: Any, name: str) -> None:
    assert_no_axe_violations(page)
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_names_their_switch_and_a_search_by_name_on_a_phone(page: Any, ruta_server: str,
                                                               demo_logins: dict[str, Any]) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    login_as(page, ruta_server, demo_logins["gestora"])
    page.goto(f"{ruta_server}/casos/")
    assert "Rosa Elena Quispe Demo (ficticia)" in page.content()
    _look(page, "cw-list-names")
    page.click("text=Ocultar nombres")
    page.wait_for_selector("text=Mostrar nombres")
    assert "Rosa Elena" not in page.content() and "nombre" not in page.url
    _look(page, "cw-list-hidden")
    page.fill("#id_q", "quispe rosa")
    page.click("main form[role=search] button[type=submit]")
    page.wait_for_load_state()
    assert "C-DEMO001" in page.content() and "quispe" not in page.url.lower()
    _look(page, "cw-search")
    page.goto(f"{ruta_server}/casos/C-DEMO001/propuesta/")
    _look(page, "cw-proposal")
    if SHOTS:
        for i in range(3):  # the first screens, as the worker sees them
            page.screenshot(path=str(Path(SHOTS) / f"cw-proposal-{i}.png"),
                            clip={"x": 0, "y": i * 740, "width": 360, "height": 740}, full_page=True)
