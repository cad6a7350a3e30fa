"""A young person asks anonymously on a phone, a counsellor answers, the young person reads the
answer with the code, and the answer is published after editing and a second person's approval."""

from __future__ import annotations

from typing import Any

import pytest

from ruta.testing.browser import assert_no_axe_violations, login_as

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PHONE = {"width": 360, "height": 740}
QUESTION = "Hola, soy Rosa del colegio de Laberinto. ¿Puedo ir sola a la DEMUNA sin mis papás?"


def test_ask_answer_read_and_publish(browser: Any, ruta_server: str, demo_logins: dict[str, Any]) -> None:
    young = browser.new_context(viewport=PHONE, locale="es-PE")
    page = young.new_page()
    page.goto(f"{ruta_server}/preguntas/")
    assert_no_axe_violations(page)
    page.fill("#id_text", QUESTION)
    page.click("button:has-text('Enviar mi pregunta')")
    code = page.locator(".code strong").inner_text().strip()
    assert len(code.split()) == 3 and code not in page.url
    assert_no_axe_violations(page)
    assert not young.cookies()

    staff = browser.new_context(viewport=PHONE, locale="es-PE")
    desk = staff.new_page()
    login_as(desk, ruta_server, demo_logins["consejera"])
    desk.goto(f"{ruta_server}/preguntas/equipo/")
    assert_no_axe_violations(desk)
    desk.locator("table.cards").first.locator("tbody tr a").last.click()
    assert "Rosa" in desk.locator("main").inner_text()
    desk.fill("#id_answer", "Sí. La DEMUNA recibe quejas de los mismos niños y adolescentes, gratis.")
    desk.click("button:has-text('Guardar la respuesta')")
    desk.wait_for_url("**/preguntas/equipo/")
    desk.locator("table.cards").nth(1).locator("tbody tr a").first.click()
    desk.click("a:has-text('Proponer para la lista pública')")
    desk.fill("#id_question_text", "¿Puedo ir sola a la DEMUNA sin mis papás?")
    desk.click("button:has-text('Proponer')")
    desk.wait_for_url("**/preguntas/equipo/")
    staff.close()

    page.goto(f"{ruta_server}/preguntas/leer/")
    page.fill("#id_code", code)
    page.click("button:has-text('Leer')")
    assert "La DEMUNA recibe quejas" in page.locator("main").inner_text()
    assert page.url == f"{ruta_server}/preguntas/leer/"
    assert_no_axe_violations(page)

    second = browser.new_context(viewport=PHONE, locale="es-PE")
    approver = second.new_page()
    login_as(approver, ruta_server, demo_logins["supervisora"])
    approver.goto(f"{ruta_server}/preguntas/equipo/")
    approver.click("a:has-text('¿Puedo ir sola a la DEMUNA')")
    approver.click("button:has-text('Aprobar y publicar')")
    approver.wait_for_url("**/preguntas/equipo/")
    second.close()

    page.goto(f"{ruta_server}/preguntas/")
    public = page.locator("main").inner_text()
    assert "¿Puedo ir sola a la DEMUNA sin mis papás?" in public and "Rosa" not in public
    assert not young.cookies()
    young.close()


def test_after_asking_exit_then_back_does_not_show_the_code(browser: Any, ruta_server: str) -> None:
    context = browser.new_context(viewport=PHONE, locale="es-PE")
    context.route(lambda url: url.startswith("https://"),
                  lambda route: route.fulfill(body="<title>Clima</title>weather", content_type="text/html"))
    page = context.new_page()
    page.goto(f"{ruta_server}/preguntas/")
    page.fill("#id_text", "¿Qué hago si mi enamorado me revisa el celular?")
    page.click("button:has-text('Enviar mi pregunta')")
    code = page.locator(".code strong").inner_text().strip()
    page.wait_for_load_state()  # the quick exit's key listener comes with the page's script
    page.keyboard.press("Escape")
    page.wait_for_url(lambda url: url.startswith("https://"))
    page.go_back()
    page.wait_for_load_state()
    assert code not in page.content()
    context.close()
