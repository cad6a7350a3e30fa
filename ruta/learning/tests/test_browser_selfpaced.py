"""A self-paced course in a browser at 360 px: start, write down the code, read a lesson,
resume on another phone with the code, take the test, get the certificate, check it.
axe-core finds nothing on any of these pages, which fit the screen."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ruta.testing import browser as b
from ruta.testing.browser import assert_no_axe_violations, fits_the_screen

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE = {"width": 360, "height": 740}
FIXTURE = Path(__file__).parent / "content"
SHOTS = Path(__file__).resolve().parents[3] / "var" / "screens"


def _check(page: Any, name: str) -> None:
    assert fits_the_screen(page), name
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
    other.wait_for_selector("label.choice input")
    _check(other, "question")
    for _ in range(10):
        other.locator("label.choice input").first.check()
        other.click("main form button[type=submit]")
    other.wait_for_selector("text=Prueba final")
    _check(other, "result")

    # Again, right this time: the certificate, then its public check.
    env = b._instance_env
    keys = b.manage(env, "shell", "--no-imports", "-c", (
        "import json\nfrom ruta.learning.models import Course\n"
        "v = Course.objects.get(code='sample').current_version()\n"
        "print(json.dumps([q.correct for q in v.form_questions('B')]))")).strip().splitlines()[-1]
    other.click("text=Dar la prueba otra vez")
    for correct in json.loads(keys):
        boxes = other.locator("label.choice input")
        for i in correct:
            boxes.nth(i).check()
        other.click("main form button[type=submit]")
    other.wait_for_selector("#name")
    _check(other, "passed")
    other.fill("#name", "Rosa Quispe Huamán")
    with other.expect_download() as download:
        other.click("text=Descargar la constancia (PDF)")
    assert download.value.suggested_filename == "constancia-sample.pdf"
    verify = b.manage(env, "shell", "--no-imports", "-c", (
        "from ruta.learning.models import Certificate\n"
        "print(Certificate.objects.order_by('-pk').first().verify_code)")).strip().splitlines()[-1]
    check = browser.new_context(locale="es-PE", viewport=PHONE).new_page()
    check.goto(f"{ruta_server}/cursos/verificar/")
    _check(check, "verify")
    check.fill("#code", verify.lower())
    check.click("main button[type=submit]")
    check.wait_for_selector("text=Esta constancia es válida.")
    assert "R. Q. H." in check.content() and "Rosa" not in check.content()
    _check(check, "verified")
    for p in (page, other, check):
        assert not p.context.cookies()
