"""A self-paced course in a browser at 360 px: start, write down the code, read a lesson,
resume on another phone with the code, take the test, get the certificate, check it.
axe-core finds nothing on any of these pages, which fit the screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ruta.testing import browser as b
from ruta.testing.browser import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE = {"width": 360, "height": 740}
FIXTURE = Path(__file__).parent / "content"
SHOTS = Path(__file__).resolve().parents[3] / "var" / "screens"


def _check(page: Any, name: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name
    assert_no_axe_violations(page)
    page.screenshot(path=str(SHOTS / f"selfpaced-{name}.png"), full_page=True)


def test_a_self_paced_course_to_a_checked_certificate(browser: Any, ruta_server: str) -> None:
    b.manage(b._instance_env, "load_courses", "--content", str(FIXTURE))
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_context(locale="es-PE", viewport=PHONE).new_page()
    page.goto(f"{ruta_server}/cursos/sample/")
    _check(page, "course")
    page.click("text=Empezar el curso")
    code = page.locator(".code-show").inner_text()
    assert len(code) == 14
    _check(page, "code")
    page.click("text=Ya lo anoté: continuar")
    _check(page, "progress")
    page.locator("ol.self-lessons button").first.click()
    page.wait_for_selector(".lesson")
    _check(page, "lesson")

    other = browser.new_context(locale="es-PE", viewport=PHONE).new_page()
    other.goto(f"{ruta_server}/cursos/sample/continuar/")
    _check(other, "resume")
    other.fill("#code", code.lower().replace("-", " "))
    other.click("main button[type=submit]")
    other.wait_for_selector("text=leída")
    other.click("text=Empezar la prueba")
    _check(other, "question")
    for _ in range(10):
        other.locator("label.choice input").first.check()
        other.click("main form button[type=submit]")
    other.wait_for_selector("text=Prueba final")
    _check(other, "result")
    assert not other.context.cookies()
    assert not page.context.cookies()
