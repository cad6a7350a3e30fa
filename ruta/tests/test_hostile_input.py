"""Hostile input gets a 4xx, never a 500 (issue 9): ids beyond 64 bits, deep JSON, huge offsets."""

from __future__ import annotations

import pytest
from django.test import Client

from ruta.cases.tests import factories
from ruta.program.tests import fixtures
from ruta.testing.cast import Cast, login, make_cast

# One more than the largest id SQLite and PostgreSQL store (2**63 - 1): Python raises
# OverflowError when such a value reaches SQLite.
TOO_BIG = str(2**63)
TWENTY_DIGITS = "9" * 20


@pytest.fixture
def cast(db: None) -> Cast:
    return make_cast()


def _client(cast: Cast, role: str) -> Client:
    client = Client(raise_request_exception=False)
    login(client, cast.alpha[role])
    return client


def test_api_services_rejects_an_offset_beyond_64_bits(client: Client, db: None) -> None:
    response = client.get("/api/v1/services", {"offset": "9223372036854775808"})
    assert response.status_code == 400
    assert "offset" in response.json()["errors"]


def test_api_services_rejects_a_limit_beyond_64_bits(client: Client, db: None) -> None:
    response = client.get("/api/v1/services", {"limit": TOO_BIG})
    assert response.status_code == 400


def test_api_plan_rejects_deeply_nested_json(client: Client, db: None) -> None:
    for body in ("[" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000):
        response = client.post("/api/v1/pathway/plan", body, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["errors"]["__all__"]


@pytest.mark.parametrize("big", [TOO_BIG, TWENTY_DIGITS])
def test_attendance_ids_beyond_64_bits_are_not_found(cast: Cast, big: str) -> None:
    act = fixtures.attended(cast)[0]
    client = _client(cast, "coordinator")
    for name in ("agregar", "quitar"):
        response = client.post(f"/programa/actividades/{act.pk}/asistencia/{name}/", {"participant": big})
        assert response.status_code == 404, name


@pytest.mark.parametrize("big", [TOO_BIG, TWENTY_DIGITS])
def test_duplicate_pair_ids_beyond_64_bits_are_not_found(cast: Cast, big: str) -> None:
    prog = fixtures.programme(cast)
    client = _client(cast, "coordinator")
    for name, extra in (("fusionar", {"keep": "first"}), ("distintos", {})):
        response = client.post(f"/programa/{prog.pk}/duplicados/{name}/", {"first": big, "second": "1", **extra})
        assert response.status_code == 404, name


@pytest.mark.parametrize("big", [TOO_BIG, TWENTY_DIGITS])
def test_case_assignment_with_ids_beyond_64_bits_is_a_form_error(cast: Cast, big: str) -> None:
    case = factories.make_case(cast.alpha["caseworker"])
    client = _client(cast, "case_supervisor")
    response = client.post(f"/casos/{case.code}/asignar/", {"workers": [big]})
    # Case forms answer their errors on the page itself (200), like every other case form.
    assert response.status_code == 200
    assert "workers" in response.context["form"].errors
    assert not case.assignments.exists()


@pytest.mark.parametrize("url", [
    "/programa/actividades/{big}/", "/programa/{big}/duplicados/", "/programa/{big}/participantes/",
    "/servicios/{big}/", "/reportes/programa/{big}/", "/casos/{code}/derivaciones/{big}/",
])
def test_url_ids_beyond_64_bits_are_not_found(cast: Cast, url: str) -> None:
    case = factories.make_case(cast.alpha["caseworker"])
    for role in ("coordinator", "caseworker"):
        client = _client(cast, role)
        for big in (TOO_BIG, TWENTY_DIGITS, "9" * 400):
            assert client.get(url.format(big=big, code=case.code)).status_code == 404


def test_api_plan_says_too_deep_in_spanish_by_default(client: Client, db: None) -> None:
    response = client.post("/api/v1/pathway/plan", '{"x":' + "[" * 40 + "]" * 40 + "}",
                           content_type="application/json")
    assert response.status_code == 400
    assert "anidados" in response.json()["errors"]["__all__"]


def test_json_depth_skips_brackets_inside_strings() -> None:
    from ruta.lib import jsonbody

    body = b'{"a": "[[[[\\"[[", "b": [[1], {"c": []}]}'
    assert jsonbody.nests_deeper_than(body, 3) and not jsonbody.nests_deeper_than(body, 4)
    assert not jsonbody.nests_deeper_than(b"[]" * 100_000, 1)
    assert jsonbody.nests_deeper_than(b"[" * 100_000, 32)
    assert jsonbody.loads('{"age": 15}') == {"age": 15}
    with pytest.raises(jsonbody.TooDeep):
        jsonbody.loads("[" * (jsonbody.MAX_DEPTH + 1) + "]" * (jsonbody.MAX_DEPTH + 1))


def test_the_api_parser_refuses_deep_bodies() -> None:
    from django.test import RequestFactory

    from ruta.api.parser import BoundedJsonParser

    request = RequestFactory().post("/api/v1/x", "[" * 100_000, content_type="application/json")
    with pytest.raises(ValueError, match="deeper"):
        BoundedJsonParser().parse_body(request)


def test_parse_id_accepts_only_what_the_database_stores() -> None:
    from ruta.lib.ids import MAX_ID, parse_id

    assert parse_id(str(MAX_ID)) == MAX_ID
    assert [parse_id(v) for v in (str(MAX_ID + 1), "0", "-1", "١٢", "1e3", " 1", "", None)] == [None] * 8


def test_opening_a_case_with_an_empty_form_shows_the_errors(cast: Cast) -> None:
    # Found by test_fuzz_inputs: the optional consent date at opening was compared while empty.
    response = _client(cast, "caseworker").post("/casos/nuevo/", {})
    assert response.status_code == 200
    assert response.context["survivor_form"].errors
