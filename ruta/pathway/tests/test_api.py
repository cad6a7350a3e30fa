from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

pytestmark = pytest.mark.django_db
URL = "/api/v1/pathway/plan"
CASE = {"age": 13, "sex": "female", "violence_types": ["sexual"], "hours_since_incident": 10,
        "aggressor_relationship": "parent_or_caregiver", "aggressor_lives_with_survivor": True,
        "immediate_danger": False, "is_student": True, "reporter_role": "teacher", "district": "170101", "lang": "es"}


def post(payload: object) -> tuple[int, dict]:
    response = Client().post(URL, data=json.dumps(payload), content_type="application/json")
    return response.status_code, response.json()


def test_it_returns_the_documented_shape_without_login_or_csrf() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, data=json.dumps(CASE), content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"rules_version", "steps", "warnings"}
    assert body["steps"][0]["code"] == "health_emergency_kit" and body["steps"][0]["deadline_hours"] == 62
    assert set(body["steps"][0]["services"][0]) == {"id", "name", "kind", "district", "phone", "open_24h", "km"}


def test_it_rejects_bad_input_with_a_message_per_field_in_english() -> None:
    status, body = post({"age": 200, "violence_types": ["fire"], "district": "17", "is_student": "maybe",
                         "name": "Ana", "lang": "en"})
    assert status == 400
    assert set(body["errors"]) == {"age", "violence_types", "district", "is_student", "name"}
    assert body["errors"]["age"].startswith("Age must be a whole number")
    assert body["errors"]["name"] == "Unknown field."


def test_it_rejects_bad_input_in_spanish_by_default() -> None:
    status, body = post({"age": -3, "violence_types": [], "district": "999999"})
    assert status == 400
    assert body["errors"]["age"].startswith("La edad debe ser un número entero")
    assert body["errors"]["violence_types"].startswith("Elige al menos un tipo de violencia")
    assert body["errors"]["district"] == "No existe un distrito con este código UBIGEO."


def test_it_rejects_a_body_that_is_not_an_object() -> None:
    for body in (b"[1, 2]", b"not json", b""):
        response = Client().post(URL, data=body, content_type="application/json")
        assert response.status_code == 400 and "__all__" in response.json()["errors"]


def test_openapi_documents_the_plan_endpoint() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"][URL]["post"]
    assert "violence_types" in operation["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert {"200", "400"} <= set(operation["responses"])


def test_the_command_prints_the_same_json_as_the_api() -> None:
    out = StringIO()
    call_command("pathway_plan", "--json", json.dumps(CASE), stdout=out)
    from_command = json.loads(out.getvalue())
    _, from_api = post(CASE)
    for plan in (from_command, from_api):
        for step in plan["steps"]:
            step.pop("due_at")  # computed from the clock at each call
    assert from_command == from_api


def test_the_command_reports_bad_input_per_field() -> None:
    with pytest.raises(CommandError, match="violence_types: Choose at least one"):
        call_command("pathway_plan", "--json", json.dumps({"lang": "en"}))
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("pathway_plan", "--json", "{")
