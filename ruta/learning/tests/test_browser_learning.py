"""A real pre-test in a browser: a facilitator opens it, three phones join by code, are let
in, pick a name or make an anonymous code, answer (one goes offline in the middle, one
reloads), ask for help; the facilitator sees it live and closes; the phones get 410.
axe-core finds nothing on the learner pages, which fit a 360 px screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ruta.testing import browser as b
from ruta.testing.browser import assert_no_axe_violations, fits_the_screen, login_as

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE = {"width": 360, "height": 740}
FIXTURE = Path(__file__).parent / "content"
SHOTS = Path(__file__).resolve().parents[3] / "var" / "screens"



def _answer(page: Any, n: int) -> None:
    """Answer the question on screen by its first choice, then wait for question n + 1."""
    page.locator("#q-choices input").first.check()
    page.click("#answer-form button[type=submit]")


def test_a_live_pre_test_with_three_phones_one_offline(browser: Any, ruta_server: str,
                                                        demo_logins: dict[str, Any]) -> None:
    env = b._instance_env
    b.manage(env, "load_courses", "--content", str(FIXTURE))
    activity = b.manage(env, "shell", "--no-imports", "-c", (
        "from ruta.program.models import Activity\n"
        "a = Activity.objects.filter(facilitators__username='facilitador', attendance__isnull=False)"
        ".exclude(title__endswith='(prueba e2e)').distinct().order_by('-pk').first()\nprint(a.pk)")).strip()
    SHOTS.mkdir(parents=True, exist_ok=True)

    fac = browser.new_context(locale="es-PE", viewport=PHONE).new_page()
    login_as(fac, ruta_server, demo_logins["facilitador"])
    fac.goto(f"{ruta_server}/aprendizaje/actividad/{activity}/prueba/")
    fac.select_option("#course", "sample")
    fac.click("text=Abrir la prueba y mostrar el código")
    code = fac.locator("strong.code").inner_text()
    assert len(code) == 6

    phones = []
    for i in range(3):
        context = browser.new_context(locale="es-PE", viewport=PHONE)
        p = context.new_page()
        p.goto(f"{ruta_server}/t/")
        if i == 0:
            assert_no_axe_violations(p)
        p.fill("#code", code.lower())
        p.click("main button[type=submit]")
        p.wait_for_selector(f"text=Tu teléfono es el número {i + 1}")
        phones.append((context, p))

    for _ in range(3):  # the live screen refreshes by itself (htmx): let each phone in
        fac.locator("button:has-text('Dejar entrar')").first.click()
        fac.wait_for_timeout(400)
    fac.wait_for_function("!document.body.innerText.includes('Dejar entrar')")

    for i, (_context, p) in enumerate(phones):
        p.reload()
        p.wait_for_selector("text=¿Quién responde?")
        if i == 0:
            assert_no_axe_violations(p)
            assert fits_the_screen(p)
        if i < 2:
            p.locator("input[name=participant]").nth(i).check()
            p.click("text=Soy yo")
        else:
            p.fill("#mother", "m")
            p.fill("#day", "14")
            p.fill("#town", "p")
            p.click("text=Seguir sin mi nombre")
        p.wait_for_selector("text=Pregunta 1 de 10")

    # Phone 1: all ten online.
    first = phones[0][1]
    assert_no_axe_violations(first)
    assert fits_the_screen(first)
    first.screenshot(path=str(SHOTS / "learning-question.png"))
    for n in range(1, 11):
        _answer(first, n)
        if n < 10:
            first.wait_for_selector(f"#q-count:has-text('Pregunta {n + 1} de 10')")
    first.wait_for_selector("text=Listo. ¡Gracias!")
    assert_no_axe_violations(first)

    # Phone 2: the connection drops for questions 4–6; the answers wait in memory.
    context2, second = phones[1]
    for n in range(1, 4):
        _answer(second, n)
        second.wait_for_selector(f"#q-count:has-text('Pregunta {n + 1} de 10')")
    context2.set_offline(True)
    for n in range(4, 7):
        _answer(second, n)
        second.wait_for_selector(f"#q-count:has-text('Pregunta {n + 1} de 10')")
    second.wait_for_selector("text=Sin conexión")
    second.screenshot(path=str(SHOTS / "learning-offline.png"))
    context2.set_offline(False)
    for n in range(7, 11):
        _answer(second, n)
        if n < 10:
            second.wait_for_selector(f"#q-count:has-text('Pregunta {n + 1} de 10')")
    # Answers kept offline go one by one, a failed send retried after 4 s: give it time on a busy machine.
    second.wait_for_selector("text=Listo. ¡Gracias!", timeout=60000)

    # Phone 3: two answers, a reload resumes at the third; then asks for help.
    third = phones[2][1]
    for n in range(1, 3):
        _answer(third, n)
        third.wait_for_selector(f"#q-count:has-text('Pregunta {n + 1} de 10')")
    third.wait_for_timeout(500)
    third.reload()
    third.wait_for_selector("text=Pregunta 3 de 10")
    third.click("text=Necesito ayuda")
    third.wait_for_selector("text=Línea 100")
    assert_no_axe_violations(third)
    assert fits_the_screen(third)

    fac.wait_for_selector("text=Alguien en la sala pidió ayuda", timeout=10000)
    fac.wait_for_selector("text=terminaron: 2", timeout=10000)
    fac.screenshot(path=str(SHOTS / "learning-live.png"), full_page=True)
    assert_no_axe_violations(fac)
    fac.click("text=Cerrar la prueba")
    fac.wait_for_selector("text=Prueba cerrada. Se guardaron 2 resultados")

    token = third.url.split("/t/")[1].split("/")[0]
    response = third.goto(f"{ruta_server}/t/{token}/")
    assert response is not None and response.status == 410
    counts = b.manage(env, "shell", "--no-imports", "-c", (
        "from ruta.learning.models import Seat\n"
        "print([s.answers.count() for s in Seat.objects.filter(session__version__course__code='sample')"
        ".order_by('number')])"))
    assert counts.strip().endswith("[10, 10, 2]"), counts
    for context, _p in phones:
        assert not context.cookies()
        context.close()
