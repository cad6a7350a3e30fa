""""Cerca de mí" on /ayuda-cerca/ with the phone's position granted: the district's services are
sorted again by straight-line distance from the phone, each with its km, and the position never
leaves the phone (no request carries it)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ruta.directory.places import distance_km

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PHONE = {"width": 360, "height": 740}
# About 150 m from the health post of Puerto Pardo (MINSA TB_EESS, RENAES 2699: -12.50394466,
# -68.65997816), on the Río Madre de Dios at the border, 57 km east of Tambopata's centroid.
HERE = {"latitude": -12.50525, "longitude": -68.66071}


def _cards(page: Any) -> list[dict[str, Any]]:
    return page.eval_on_selector_all("ul.services > li.service", """items => items.map(li => ({
        name: li.querySelector('strong').textContent,
        lat: li.hasAttribute('data-lat') ? parseFloat(li.getAttribute('data-lat')) : null,
        lon: li.hasAttribute('data-lon') ? parseFloat(li.getAttribute('data-lon')) : null,
        km: li.querySelector('.km').textContent}))""")


def test_near_me_sorts_by_distance_from_the_phone_and_sends_no_position(browser: Any, ruta_server: str) -> None:
    context = browser.new_context(viewport=PHONE, locale="es-PE", geolocation=HERE, permissions=["geolocation"])
    page = context.new_page()
    sent: list[str] = []
    page.on("request", lambda r: sent.append(f"{r.url} {r.post_data or ''} {r.all_headers()}"))
    page.goto(f"{ruta_server}/ayuda-cerca/")
    page.select_option("#distrito", "170101")  # Tambopata
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    page.wait_for_selector(".near-me:not([hidden]) [data-near-me]")
    before = _cards(page)
    assert len(before) > 10

    page.click("[data-near-me]")
    page.wait_for_selector("[data-near-me-status]:text-matches('^Ordenado por distancia')")
    after = _cards(page)
    assert sorted(c["name"] for c in after) == sorted(c["name"] for c in before)  # the same services, re-ordered
    assert [c["name"] for c in after] != [c["name"] for c in before]
    assert "Puerto Pardo" in after[0]["name"], after[:3]
    placed = [c for c in after if c["lat"] is not None]
    assert all(c["km"] == "" for c in after[len(placed):])  # without coordinates: last, no distance
    distances = [distance_km(HERE["latitude"], HERE["longitude"], c["lat"], c["lon"]) for c in placed]
    assert distances == sorted(distances)
    assert distances[0] < 0.5
    for card, km in zip(placed, distances, strict=True):
        shown = re.fullmatch(r" · a (\d+\.\d) km", card["km"])
        assert shown and abs(float(shown[1]) - km) <= 0.051, card  # guide.js and places.py agree

    position = [f"{abs(v):.3f}"[:-1] for v in HERE.values()]  # "12.50", "68.66" in any request would be it
    assert sent and not [s for s in sent if any(p in s for p in position)], sent
    context.close()
