"""The public statistics page in chromium, as a phone reads it (360 × 740): no axe violation,
nothing wider than the screen, at most 4 requests."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest

from ruta.stats.tests import register_file
from ruta.testing import browser
from ruta.testing.browser import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
SCREENS = Path(__file__).resolve().parents[3] / "var" / "screens"


def test_the_public_figures_fit_a_phone_without_axe_violations(page: Any, ruta_server: str) -> None:
    records = list(register_file.rows(300, seed=8))
    for r in records:
        r.update(DPTO_DOMICILIO="17")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "browser-figures.csv"
        path.write_bytes(register_file.csv_text(records).encode())
        browser.manage(browser._instance_env, "import_cem", str(path), "--replace")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{ruta_server}/cifras/")
    assert page.locator("h1").inner_text() == "La violencia en cifras: Madre de Dios"
    assert page.locator("table.cards").count() >= 10
    assert browser.scroll_width(page) <= 360
    assert len(requests) <= 4, requests
    assert_no_axe_violations(page)
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / "cifras-360.png"), full_page=True)
    assert not page.context.cookies()
