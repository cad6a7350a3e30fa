"""Every guide page stays within the public budget: ≤ 30 KB compressed with its CSS and JS,
≤ 4 requests (docs/architecture.md, "Budgets"). The result page is the heaviest: a plan with many services."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from ruta.pathway.questions import QUESTIONS
from ruta.testing.weight import asset_urls, compressed_size, page_weight

pytestmark = pytest.mark.django_db
BUDGET = 30 * 1024

HEAVY_CASE = {"reporter_role": "teacher", "immediate_danger": "true", "violence_types": ["sexual", "physical"],
              "hours_since_incident": "12", "age": "13", "sex": "female",
              "aggressor_relationship": "parent_or_caregiver", "aggressor_lives_with_survivor": "true",
              "is_student": "true", "district": "170101"}


def result_weight(prefix: str) -> tuple[int, int]:
    response = Client().post(f"{prefix}/guia/", HEAVY_CASE)
    assert response.status_code == 200 and b"data-countdown" in response.content
    total, requests = compressed_size(response.content), 1
    for url in asset_urls(response.content.decode()):
        with open(str(finders.find(url.removeprefix("/static/"))), "rb") as f:
            total, requests = total + compressed_size(f.read()), requests + 1
    return total, requests


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_guide_page_is_within_budget(prefix: str) -> None:
    for q in QUESTIONS:
        weight = page_weight(Client(), f"{prefix}/guia/?paso={q.name}")
        assert weight.compressed_bytes <= BUDGET and weight.requests <= 4, (q.name, str(weight))
    total, requests = result_weight(prefix)
    assert total <= BUDGET and requests <= 4, (total, requests)
