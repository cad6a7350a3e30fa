"""Case work in chromium against the demo: the case worker's day, opening a case from a
disclosure, and the supervisor's approval — with axe-core on every page."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from ruta.testing.browser import assert_no_axe_violations, login_as

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
SHOTS = os.environ.get("RUTA_SCREENSHOTS", "")


def _look(page: Any, name: str) -> None:
    assert_no_axe_violations(page)
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_the_case_workers_day_and_opening_a_case(page: Any, ruta_server: str, demo_logins: dict[str, Any]) -> None:
    login_as(page, ruta_server, demo_logins["gestora"])
    page.goto(f"{ruta_server}/casos/hoy/")
    assert "Kit de emergencia" in page.content() and "C-DEMO001" in page.content()
    assert page.locator("[data-deadline]").count() >= 1
    _look(page, "today")
    page.goto(f"{ruta_server}/casos/")
    assert "C-DEMO002" in page.content() and "C-DEMO006" not in page.content()  # closed cases hidden
    _look(page, "list")
    page.goto(f"{ruta_server}/casos/C-DEMO002/")
    assert "Línea de tiempo" in page.content() and "Riesgo Severo" in page.content()
    _look(page, "detail")
    page.goto(f"{ruta_server}/en/casos/hoy/")
    assert "Due in the next 24 hours" in page.content()
    _look(page, "today-en")

    # Opening a case from a disclosure runs the pathway. (One login per user and test:
    # a TOTP code is accepted once.)
    page.goto(f"{ruta_server}/casos/nuevo/")
    _look(page, "open")
    when = timezone.localtime() - timedelta(hours=10)
    page.select_option("#id_c-reporter_role", "teacher")
    page.fill("#id_s-given_names", "Prueba Navegador (ficticia)")
    page.fill("#id_s-age_years", "14")
    page.select_option("#id_s-sex", "female")
    page.select_option("#id_s-district", "170101")
    page.check("#id_s-is_student")
    page.fill("#id_i-occurred_on", when.date().isoformat())
    page.fill("#id_i-occurred_time", when.strftime("%H:%M"))
    page.check("#id_i-q_penetration_0")
    page.check("#id_i-violence_types_0")
    page.select_option("#id_i-aggressor_relationship", "stranger")
    page.select_option("#id_i-aggressor_sex", "male")
    page.select_option("#id_i-place_type", "street")
    page.select_option("#id_i-district", "170101")
    page.check("#id_k-given_by_2")
    page.check("#id_k-child_assent")
    page.check("#id_k-for_services")
    page.check("#id_k-for_sharing")
    page.click("main button[type=submit]")
    page.wait_for_url("**/propuesta/")
    assert "Kit de emergencia" in page.content() or "kit" in page.content().lower()
    _look(page, "proposal")
    page.click("main button[type=submit]")
    page.wait_for_url("**/casos/C-*/")
    assert "derivaciones registradas" in page.content()
    _look(page, "new-case")


def test_the_supervisor_approves_a_closure(page: Any, ruta_server: str, demo_logins: dict[str, Any]) -> None:
    login_as(page, ruta_server, demo_logins["supervisora"])
    page.goto(f"{ruta_server}/casos/hoy/")
    assert "Cierres esperando su aprobación" in page.content()
    page.goto(f"{ruta_server}/casos/C-DEMO005/cierre/decidir/")
    _look(page, "decide")
    page.check("#id_approve_0")
    page.click("main button[type=submit]")
    page.wait_for_url("**/casos/C-DEMO005/")
    assert "Cerrado" in page.content()
    page.goto(f"{ruta_server}/casos/C-DEMO005/accesos/")
    assert "gestora" in page.content()
    _look(page, "access-log")
