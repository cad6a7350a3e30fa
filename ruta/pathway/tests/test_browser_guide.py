"""The guide in chromium: a teacher goes through it, axe-core finds nothing, the result fits
on a phone, no trace is left (Back after the quick exit, nothing cached before asking), the
offline guide works with the server gone once saved, and the JavaScript port of the engine
agrees with engine.py."""

from __future__ import annotations

import json
import random
import subprocess
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from ruta.pathway.codes import RELATIONSHIPS, REPORTER_ROLES, SEXES, VIOLENCE_TYPES
from ruta.pathway.engine import compute_plan
from ruta.pathway.inputs import PlanInput
from ruta.testing.browser import assert_no_axe_violations, gunicorn, new_instance

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

TEACHER_CLICKS = [
    "Soy docente y una o un estudiante me contó", "No", "Sexual: tocamientos", "Hace entre 12 y 24 horas",
    None, "Niña o mujer", "Su mamá, papá, padrastro", "Sí", "Laberinto",  # a teacher is not asked "student?"
]
PHONE = {"width": 360, "height": 740}


def answer_as_teacher(page: Any, check_axe: bool) -> None:
    for label in TEACHER_CLICKS:
        if check_axe:
            assert_no_axe_violations(page)
        if label is None:
            page.fill("#age", "13")
        else:
            page.locator("label.choice", has_text=label).first.click()
        step = page.locator("input[name='step']").get_attribute("value")
        page.click("button:has-text('Siguiente')")
        # Each answer replaces the screen in place (one history entry): wait for the next one.
        page.wait_for_function("(name) => { const s = document.querySelector(\"input[name='step']\");"
                               " return !s || s.value !== name; }", arg=step)


def test_a_teacher_goes_through_the_whole_guide(page: Any, ruta_server: str) -> None:
    page.goto(f"{ruta_server}/guia/")
    answer_as_teacher(page, check_axe=True)
    page.wait_for_selector("h1:has-text('Qué hacer ahora')")
    assert_no_axe_violations(page)
    steps = page.locator("li.step").evaluate_all("els => els.map(e => e.dataset.code)")
    assert steps[:3] == ["school_report", "health_emergency_kit", "report_to_authorities"]  # her duty first
    assert "child_protection" in steps
    countdown = page.locator("time[data-countdown]").inner_text()
    assert countdown.startswith(("47 h", "48 h")), countdown  # updated by the script: 72 − 24 hours
    assert page.locator("a[href^='tel:']").count() > 0
    assert "?" not in page.url  # nothing about the case in the address bar
    assert page.evaluate("() => history.length") == 2  # about:blank, then the guide: one entry


def test_the_teachers_result_fits_in_four_phone_screens(browser: Any, ruta_server: str) -> None:
    context = browser.new_context(locale="es-PE", viewport=PHONE)
    page = context.new_page()
    page.goto(f"{ruta_server}/guia/")
    answer_as_teacher(page, check_axe=False)
    page.wait_for_selector(".guide-result")
    screens = page.evaluate("() => document.documentElement.scrollHeight") / PHONE["height"]
    assert screens <= 4, screens
    # The first screen: the countdown and the three most urgent actions, the others with a phone.
    first = page.locator("ol.first > li")
    assert first.count() == 3
    assert first.nth(2).bounding_box()["y"] + first.nth(2).bounding_box()["height"] <= PHONE["height"]
    assert page.locator("ol.first a[href^='tel:']").count() == 2  # her own duty needs no call
    assert page.locator("time[data-countdown]").bounding_box()["y"] < PHONE["height"]
    context.close()


def test_quick_exit_then_back_shows_no_answer(browser: Any, ruta_server: str) -> None:
    context = browser.new_context(locale="es-PE")
    context.route(lambda url: url.startswith("https://"),
                  lambda route: route.fulfill(body="<title>Clima</title>weather", content_type="text/html"))
    page = context.new_page()
    page.goto(f"{ruta_server}/")
    page.click("a.btn[href$='/guia/']")
    answer_as_teacher(page, check_axe=False)
    page.wait_for_selector(".guide-result")
    page.click("[data-quick-exit]")
    page.wait_for_url(lambda url: url.startswith("https://"))
    page.go_back()
    page.wait_for_load_state()
    assert page.url == f"{ruta_server}/"  # the page before the guide, not a question or the plan
    assert page.locator("input:checked").count() == 0 and not page.locator(".guide-result").count()
    context.close()


def test_nothing_is_cached_before_the_user_asks(page: Any, ruta_server: str) -> None:
    page.goto(f"{ruta_server}/guia/")
    answer_as_teacher(page, check_axe=False)
    page.wait_for_selector(".guide-result")
    assert page.evaluate("async () => (await navigator.serviceWorker.getRegistrations()).length") == 0
    assert page.evaluate("async () => (await caches.keys()).length") == 0


def test_the_english_guide_has_no_axe_violations(page: Any, ruta_server: str) -> None:
    page.goto(f"{ruta_server}/en/guia/")
    assert_no_axe_violations(page)
    page.locator("label.choice", has_text="It happened to me").click()
    page.click("button:has-text('Next')")
    page.wait_for_selector("text=Question 2 of")  # a click before it lands would answer question 1 again
    page.click("button:has-text('Next')")  # nothing chosen: an error message
    assert page.locator("#q-error").inner_text() == "Choose an answer to go on."
    assert_no_axe_violations(page)


@pytest.fixture
def own_server() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A server of our own, so the offline test can stop it."""
    with new_instance("ruta-offline-", demo=False) as (env, port), gunicorn(env, port, workers=1) as served:
        yield served


def test_the_guide_works_offline_after_saving_it(browser: Any, own_server: tuple[str, Any]) -> None:
    base, proc = own_server
    context = browser.new_context(locale="es-PE")
    page = context.new_page()
    page.goto(f"{base}/guia/")
    assert_no_axe_violations(page)
    page.click("text=Guardar en este teléfono")
    page.wait_for_selector("text=Guardada en este teléfono")
    page.wait_for_function("async () => (await caches.keys()).length > 0 && "
                           "(await (await caches.open((await caches.keys())[0])).keys()).length >= 14")
    proc.terminate()  # the server is gone, and the browser is offline too
    proc.wait(timeout=10)
    context.set_offline(True)
    page.goto(f"{base}/guia/")
    answer_as_teacher(page, check_axe=False)
    page.wait_for_selector("#offline-plan li.step")
    steps = page.locator("#offline-plan li.step").evaluate_all("els => els.map(e => e.dataset.code)")
    assert steps[:2] == ["health_emergency_kit", "report_to_authorities"]
    assert page.locator("#offline-plan time[data-countdown]").inner_text().startswith(("47 h", "48 h"))
    assert "child_protection" in steps
    assert_no_axe_violations(page)
    context.close()


def random_inputs(n: int) -> list[dict[str, Any]]:
    rnd = random.Random(3)  # noqa: S311
    districts = [None, "170101", "170104", "170201", "170301", "150101"]
    out = []
    for _ in range(n):
        out.append(PlanInput(
            age=rnd.choice([None, rnd.randint(0, 30), rnd.randint(0, 120)]), sex=rnd.choice(SEXES),
            violence_types=[t for t in VIOLENCE_TYPES if rnd.random() < 0.5] or ["sexual"],
            hours_since_incident=rnd.choice([None, rnd.randint(0, 100), rnd.randint(0, 10_000)]),
            aggressor_relationship=rnd.choice(RELATIONSHIPS), aggressor_lives_with_survivor=rnd.random() < 0.5,
            immediate_danger=rnd.random() < 0.3, is_student=rnd.random() < 0.5,
            reporter_role=rnd.choice(REPORTER_ROLES), district=rnd.choice(districts), lang=rnd.choice(["es", "en"]),
        ).as_dict())
    return out


def test_the_offline_engine_agrees_with_engine_py(page: Any, ruta_server: str) -> None:
    page.goto(f"{ruta_server}/guia/")
    data = json.loads(page.evaluate("async () => JSON.stringify(await (await fetch('/guia/datos.json')).json())"))
    inputs = random_inputs(300)
    now = "2026-11-27T15:00:00+00:00"
    from_js = page.evaluate(
        "([inputs, data, now]) => inputs.map(i => window.rutaPathway.computePlan(i, data, new Date(now)))",
        [inputs, data, now],
    )
    snapshot = {"version": data["rules_version"], "rules": data["rules"], "cautions": data["cautions"]}
    for raw, js in zip(inputs, from_js, strict=True):
        py = compute_plan(PlanInput(**raw), snapshot, data["services"], datetime.fromisoformat(now))
        for a, b in zip(py["steps"], js["steps"]):
            if a["due_at"]:
                assert datetime.fromisoformat(a["due_at"]) == datetime.fromisoformat(b["due_at"].replace("Z", "+00:00"))
                a["due_at"] = b["due_at"]
        assert py == js, raw
