"""The guide's screens through the test client, in Spanish (/guia/) and English (/en/guia/)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

# A teacher whose 13-year-old student was abused by her stepfather 20 hours ago.
TEACHER: list[tuple[str, dict[str, Any]]] = [
    ("reporter_role", {"reporter_role": "teacher"}),
    ("immediate_danger", {"immediate_danger": "false"}),
    ("violence_types", {"violence_types": ["sexual", "physical"]}),
    ("hours_since_incident", {"hours_since_incident": "24"}),
    ("age", {"age": "13"}),
    ("sex", {"sex": "female"}),
    ("aggressor_relationship", {"aggressor_relationship": "parent_or_caregiver"}),
    ("aggressor_lives_with_survivor", {"aggressor_lives_with_survivor": "true"}),
    ("district", {"district": "170104"}),  # a teacher's survivor is a student: not asked
]


def hidden_fields(html: str) -> dict[str, list[str]]:
    import re

    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html):
        if name not in ("step", "print"):
            fields.setdefault(name, []).append(value)
    return fields


def walk(client: Client, prefix: str, answers: list[tuple[str, dict[str, Any]]]) -> Any:
    response = client.get(f"{prefix}/guia/")
    for step, answer in answers:
        assert response.status_code == 200, response.content.decode()[:2000]
        html = response.content.decode()
        assert f'name="step" value="{step}"' in html
        response = client.post(f"{prefix}/guia/", {**hidden_fields(html), "step": step, **answer})
    return response


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_a_teacher_goes_through_the_guide_to_a_plan(prefix: str) -> None:
    client = Client()
    response = walk(client, prefix, TEACHER)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies and not client.cookies
    assert 'data-code="health_emergency_kit"' in html and 'data-code="child_protection"' in html
    # The teacher's own duty first (director, SíseVe, UGEL within 24 h), then the kit.
    assert html.index('data-code="school_report"') < html.index('data-code="health_emergency_kit"')
    assert html.index('data-code="health_emergency_kit"') < html.index('data-code="report_to_authorities"')
    assert "SíseVe" in html.split('class="first"')[1].split("</ol>")[0]
    assert "data-countdown" in html  # 72 − 24 = 48 h left
    assert 'href="tel:' in html
    assert "DS 001-2018-MIMP" in html  # the professional variant with its citations
    if prefix:
        assert "What to do now" in html and "within 2 days" in html
    else:
        assert "Qué hacer ahora" in html and "en 2 días" in html
        assert "Informe hoy a la dirección del colegio" in html  # her duty, addressed as usted


def test_the_screens_are_in_spanish_and_english() -> None:
    assert "¿Quién eres?" in Client().get("/guia/").content.decode()
    assert "Who are you?" in Client().get("/en/guia/").content.decode()


def test_hours_are_not_asked_without_sexual_violence() -> None:
    client = Client()
    response = walk(client, "/en", TEACHER[:2] + [("violence_types", {"violence_types": ["psychological"]})])
    assert 'name="step" value="age"' in response.content.decode()


def test_it_asks_again_with_a_message_when_nothing_is_chosen() -> None:
    response = Client().post("/guia/", {"step": "reporter_role"})
    assert response.status_code == 400
    assert "Elige una respuesta para continuar." in response.content.decode()
    response = Client().post("/en/guia/", {"step": "reporter_role"})
    assert "Choose an answer to go on." in response.content.decode()


@pytest.mark.parametrize(("prefix", "message"), [("", "La edad debe ser un número entero"),
                                                 ("/en", "Age must be a whole number")])
def test_a_bad_age_gets_a_message_in_the_users_language(prefix: str, message: str) -> None:
    response = Client().post(f"{prefix}/guia/", {"reporter_role": "self", "immediate_danger": "false",
                                                "violence_types": "physical", "step": "age", "age": "300"})
    assert response.status_code == 400 and message in response.content.decode()


def test_a_tampered_answer_is_refused() -> None:
    response = Client().post("/en/guia/", {"step": "reporter_role", "reporter_role": "<script>"})
    assert response.status_code == 400 and "<script>" not in response.content.decode()


def test_back_shows_the_previous_question_with_the_answer_kept() -> None:
    response = Client().post("/en/guia/", {"reporter_role": "self", "immediate_danger": "true",
                                           "back": "immediate_danger"})
    html = response.content.decode()
    assert 'name="step" value="immediate_danger"' in html
    assert 'value="true" checked' in html


def test_age_unknown_is_an_answer() -> None:
    answers = {"reporter_role": "community", "immediate_danger": "false", "violence_types": "physical"}
    response = Client().post("/en/guia/", {**answers, "step": "age", "age_unknown": "1"})
    assert 'name="step" value="sex"' in response.content.decode()
    assert 'name="age" value="unknown"' in response.content.decode()


def test_the_printable_version_opens_every_citation() -> None:
    client = Client()
    html = walk(client, "/en", TEACHER).content.decode()
    response = client.post("/en/guia/", {**hidden_fields(html), "print": "1"})
    page = response.content.decode()
    assert "data-autoprint" in page and "printable" in page
    import re

    assert len(re.findall(r"<details[^>]*\bopen>", page)) == page.count("<details")


def test_no_answer_ever_travels_in_a_url() -> None:
    html = walk(Client(), "/en", TEACHER).content.decode()
    assert 'method="get"' not in html.lower()
    assert "?age=" not in html and "violence_types=" not in html


def test_the_service_worker_is_served_for_the_guide_scope() -> None:
    response = Client().get("/guia/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/guia/"
    body = response.content.decode()
    assert '"/guia/?paso=age"' in body and '"/guia/datos.json"' in body
    assert Client().get("/en/guia/sw.js")["Service-Worker-Allowed"] == "/en/guia/"


def test_offline_data_has_rules_and_services() -> None:
    data = Client().get("/en/guia/datos.json").json()
    assert {r["code"] for r in data["rules"]} >= {"health_emergency_kit", "report_to_authorities"}
    assert data["services"] and data["districts"]["170101"].startswith("Tambopata")
    assert data["labels"]["call"] == "Call"


def test_every_screen_can_be_fetched_empty_for_the_offline_cache() -> None:
    from ruta.pathway.questions import QUESTIONS

    for q in QUESTIONS:
        response = Client().get(f"/guia/?paso={q.name}")
        assert response.status_code == 200 and f'name="step" value="{q.name}"' in response.content.decode()
    assert 'id="offline-plan"' in Client().get("/guia/?paso=sin-conexion").content.decode()


def test_guide_pages_are_never_stored_and_titles_are_neutral() -> None:
    for response in (Client().get("/guia/"), Client().post("/guia/", {"step": "reporter_role"})):
        assert response["Cache-Control"] == "no-store"  # no answer in the back-forward cache
        assert "<title>Ruta · información</title>" in response.content.decode()
    html = walk(Client(), "", TEACHER).content.decode()
    assert "<title>Ruta · información</title>" in html and 'href="/navega-seguro/"' in html


def test_nothing_registers_a_service_worker_before_the_user_asks() -> None:
    html = Client().get("/guia/").content.decode()
    assert "data-offline-save" in html and "Guardar en este teléfono" in html
    assert html.count("data-sw=") == 1  # only on the save button's box
    from pathlib import Path

    script = (Path(__file__).parents[1] / "static" / "pathway" / "guide.js").read_text()
    # The worker is registered in the button's handler only, never when a page loads.
    assert script.count("serviceWorker.register(") == 1
    assert script.index("save.onclick") < script.index("serviceWorker.register(")
