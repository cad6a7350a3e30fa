"""The supervisor's account pages in chromium against the demo, with axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from ruta.testing.browser import assert_no_axe_violations, login_as

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_supervisors_account_pages(page: Any, ruta_server: str, demo_logins: dict[str, Any]) -> None:
    login_as(page, ruta_server, demo_logins["supervisora"])
    page.goto(f"{ruta_server}/cuentas/pendientes/")
    assert "Cuentas por aprobar" in page.content()
    assert_no_axe_violations(page)
    page.goto(f"{ruta_server}/cuentas/eventos/")
    # The demo cast's accounts say they were approved as demo accounts.
    assert "Cuenta aprobada" in page.content() and "Cuenta de demostración" in page.content()
    assert_no_axe_violations(page)


def test_a_used_or_forged_link_is_explained(page: Any, ruta_server: str) -> None:
    response = page.goto(f"{ruta_server}/clave/nueva/v1.x.bm9wZQ/")
    assert response.status == 400 and "ya no funciona" in page.content()
    assert_no_axe_violations(page)
