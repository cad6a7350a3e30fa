"""Public pages and the public API speak in people's words: no internal evidence marks ([P], [U],
[V]), no file names of the project's notes, no "domain notes". Walked in Spanish and English (the
Quechua crisis pages too): the guide, the directory, the youth pages, the courses and every
lesson, /cifras/ with a year of the CEM register, the live-test join page /t/, and the API."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from django.test import Client

from ruta.directory.models import Service
from ruta.learning.models import Course
from ruta.pathway.questions import QUESTIONS
from ruta.stats.cem_import import import_file
from ruta.stats.tests import register_file

INTERNAL = re.compile(r"\[(?:P|U|V)\b|\.md\b|domain notes", re.IGNORECASE)
TEACHER = {"reporter_role": "teacher", "immediate_danger": "false", "violence_types": "sexual",
           "hours_since_incident": "24", "age": "15", "sex": "female",
           "aggressor_relationship": "parent_or_caregiver", "aggressor_lives_with_survivor": "true",
           "district": "170101"}
BOY = {**TEACHER, "reporter_role": "self", "sex": "male", "age": "17", "hours_since_incident": "48",
       "aggressor_relationship": "acquaintance", "aggressor_lives_with_survivor": "false", "is_student": "true"}


def internal_words(body: str) -> list[str]:
    return [body[max(m.start() - 40, 0):m.end() + 20] for m in INTERNAL.finditer(body)]


@pytest.mark.django_db
def test_no_public_page_or_api_shows_internal_marks_or_notes() -> None:
    client = Client()
    bodies: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:  # /cifras/ with its tables, notes and sources
        register = Path(tmp) / "register-2024.csv"
        register.write_text(register_file.csv_text([{**r, "DPTO_DOMICILIO": "17"} for r in register_file.rows(300)]))
        import_file(register, name=register.name)
    for prefix in ("", "/en"):
        paths = ["/", "/navega-seguro/", "/servicios/", "/servicios/?department=17", "/servicios/imprimir/1701/",
                 "/servicios/imprimir/1702/", "/servicios/imprimir/1703/", "/guia/", "/guia/?paso=sin-conexion",
                 "/guia/datos.json", *(f"/guia/?paso={q.name}" for q in QUESTIONS)]
        paths += ["/derechos/", "/que-es-violencia/", "/consentimiento/", "/si-te-paso/", "/si-alguien-te-cuenta/",
                  "/chicos-y-diversidad/", "/ayuda-cerca/", "/ayuda-cerca/?distrito=170101", "/preguntas/"]
        paths += [f"/servicios/{pk}/" for pk in Service.objects.active().values_list("pk", flat=True)]
        paths += ["/cursos/", "/cursos/verificar/", "/cifras/", "/t/"]
        for course in Course.objects.filter(active=True).prefetch_related("lessons"):
            paths += [f"/cursos/{course.code}/", *(f"/cursos/{course.code}/{x.slug}/" for x in course.lessons.all())]
        for path in paths:
            response = client.get(prefix + path)
            assert response.status_code == 200, prefix + path
            bodies[prefix + path] = response.content.decode()
        for who, answers in (("teacher", TEACHER), ("boy", BOY)):
            for extra in ({}, {"print": "1"}):
                response = client.post(f"{prefix}/guia/", {**answers, **extra})
                assert response.status_code == 200
                bodies[f"{prefix} {who} result {extra}"] = response.content.decode()
    # The crisis pages in Quechua (other /qu/ addresses redirect to Spanish).
    for path in ("/qu/", "/qu/si-te-paso/", "/qu/ayuda-cerca/", "/qu/ayuda-cerca/?distrito=170101",
                 "/qu/navega-seguro/"):
        response = client.get(path)
        assert response.status_code == 200, path
        bodies[path] = response.content.decode()
    bodies["api services"] = client.get("/api/v1/services", {"limit": 1000}).content.decode()
    courses = client.get("/api/v1/courses")
    assert courses.status_code == 200 and courses.json(), courses.content
    bodies["api courses"] = courses.content.decode()
    for answers in (TEACHER, BOY):
        plan: dict[str, object] = {**answers, "violence_types": [answers["violence_types"]]}
        bodies[f"api plan {answers['reporter_role']}"] = client.post(
            "/api/v1/pathway/plan", data=json.dumps(plan), content_type="application/json").content.decode()
    assert '<html lang="qu"' in bodies["/qu/si-te-paso/"] and "<table" in bodies["/cifras/"]
    assert sum("/cursos/" in name for name in bodies) > 2 * 5 * 4  # lists, 5 courses, their lessons
    found = {name: internal_words(body) for name, body in bodies.items() if internal_words(body)}
    assert not found, found


def test_the_check_catches_what_it_should() -> None:
    assert internal_words("Fuente: Ruta domain notes, pathway.md step 0 [P]; phone numbers [U]")
    assert internal_words("DS 008-2019-SA [V]")
    assert not internal_words("Ley 30364, art. 16 (2015) · según fuentes públicas")
