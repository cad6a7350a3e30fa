"""Young readers (the survivor, a friend) are addressed as tú; adults (teacher, health worker,
family, community leader, authority) as usted, everywhere on the result page: the steps, the
warnings, the duty and the page's own words (issue 10)."""

from __future__ import annotations

import html as htmllib
import re
from typing import Any

import pytest
from django.test import Client

from ruta.pathway.codes import YOUNG_READERS

pytestmark = pytest.mark.django_db

ROLES = ("self", "friend", "teacher", "health_worker", "family", "community", "authority")
ADULTS = tuple(r for r in ROLES if r not in YOUNG_READERS)

# Forms that only usted takes: the pronoun, "su"/"sus" (a text for a young reader that means
# "her/his" says "de ella", "de la persona"), and imperatives that cannot be a third person.
USTED = re.compile(
    r"\b(usted|ustedes|su|sus|llame|acuda|diga|dígale|vaya|busque|pida|hable|denuncie|recuerde|escriba|"
    r"elija|marque|informe|comunique|derive|evite|priorice|aplique|confronte|enfrente|cuéntele|pregúntele|"
    r"protéjala|protéjalo|acompáñela|acompáñelo|llámela|llámelo)\b", re.IGNORECASE)
# Forms that only tú takes ("se llama" is "is called", not an order).
TU = re.compile(
    r"\b(tú|te|ti|contigo|tu|tus|(?<!se )llama|acude|dile|cuéntale|pregúntale|puedes|tienes|debes|"
    r"necesitas|quieres|sabes|estás|vives|vas|acompáñala|acompáñalo|llámala|llámalo|enfrentes|pidas|"
    r"tengas|cree lo|protégela|protégelo)\b", re.IGNORECASE)


def answers(role: str, **kw: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "reporter_role": role, "immediate_danger": "true", "violence_types": ["sexual", "physical"],
        "hours_since_incident": "24", "age": "13", "sex": "female", "aggressor_relationship": "parent_or_caregiver",
        "aggressor_lives_with_survivor": "true", "is_student": "yes", "district": "170101", "step": "district"}
    data.update(kw)
    return data


# Enough cases for every caution and step to show up for every reader.
SITUATIONS = [
    {},
    {"age": "unknown", "hours_since_incident": "unknown", "immediate_danger": "false"},
    {"age": "16", "hours_since_incident": "100", "aggressor_relationship": "stranger",
     "aggressor_lives_with_survivor": "false"},
]


def shown_text(html: str) -> str:
    """What a reader sees in the page's main part: text, not markup, service names or phones."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    # The legal basis and sources cite laws ("… y su reglamento"): they address nobody.
    main = re.sub(r'<p class="muted"><strong>.*?</p>', " ", main, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", main))


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.:!?])\s+|\n", text) if s.strip()]


def result_page(role: str, situation: dict[str, Any]) -> str:
    response = Client().post("/guia/", answers(role, **situation))
    html = response.content.decode()
    assert response.status_code == 200 and "guide-result" in html, html[:3000]
    return shown_text(html)


@pytest.mark.parametrize("role", [r for r in ROLES if r in YOUNG_READERS])
def test_young_readers_are_never_addressed_as_usted(role: str) -> None:
    found = [s for situation in SITUATIONS for s in sentences(result_page(role, situation)) if USTED.search(s)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("role", ADULTS)
def test_adult_readers_are_never_addressed_as_tu(role: str) -> None:
    found = [s for situation in SITUATIONS for s in sentences(result_page(role, situation)) if TU.search(s)]
    assert not found, "\n".join(found)


def test_a_warning_has_a_text_for_young_readers_and_one_for_adults() -> None:
    from ruta.pathway.engine import plan
    from ruta.pathway.tests.helpers import NOW, case

    def text(role: str) -> str:
        result = plan(case(age=15, violence_types=["physical"], reporter_role=role), NOW)
        return next(w["text"] for w in result["warnings"] if w["code"] == "minor_can_report")

    assert text("self").startswith("Puedes pedir ayuda")
    # A case worker plans for the same survivor through the adult text (the cases app asks for it).
    from ruta.pathway.engine import caution_text
    from ruta.pathway.models import Caution

    caution: dict[str, Any] = dict(Caution.objects.filter(code="minor_can_report").values().get())
    assert caution_text(caution, "es", young=False).startswith("Una niña, niño o adolescente")
    assert caution_text({**caution, "young_es": ""}, "es", young=True) == caution["text_es"]
