"""Properties over the whole input space (hypothesis), with the shipped rules and the seeded
directory. The rules and services are read once; each example runs the pure engine."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ruta.pathway.codes import RELATIONSHIPS, REPORTER_ROLES, SEXES, VIOLENCE_TYPES
from ruta.pathway.engine import compute_plan, proximity, rules_snapshot, services_near
from ruta.pathway.inputs import PlanInput, parse_plan_input
from ruta.pathway.tests.helpers import NOW, codes, step

pytestmark = pytest.mark.django_db

DISTRICTS = ["170101", "170102", "170103", "170104", "170201", "170202", "170203", "170204", "170301", "170302",
             "170303", "150101", "080101"]

plan_inputs = st.builds(
    PlanInput,
    age=st.none() | st.integers(0, 120),
    sex=st.sampled_from(SEXES),
    violence_types=st.lists(st.sampled_from(VIOLENCE_TYPES), min_size=1, max_size=4, unique=True),
    hours_since_incident=st.none() | st.integers(0, 200) | st.integers(0, 1_000_000),
    aggressor_relationship=st.sampled_from(RELATIONSHIPS),
    aggressor_lives_with_survivor=st.booleans(),
    immediate_danger=st.booleans(),
    is_student=st.booleans(),
    reporter_role=st.sampled_from(REPORTER_ROLES),
    district=st.none() | st.sampled_from(DISTRICTS),
    lang=st.sampled_from(["es", "en"]),
)
STEP_KEYS = {"code", "institution", "deadline_hours", "due_at", "mandatory", "title", "why", "legal_basis",
             "confidence", "services"}
SERVICE_KEYS = {"id", "name", "kind", "district", "phone", "open_24h", "km"}


def check_properties(d: PlanInput, result: dict[str, Any], snapshot: dict[str, Any],
                     services: dict[int, dict[str, Any]]) -> None:
    steps = codes(result)
    h, age, sexual = d.hours_since_incident, d.age, "sexual" in d.violence_types
    # Shape, exactly.
    assert set(result) == {"rules_version", "steps", "warnings"}
    assert all(set(s) == STEP_KEYS for s in result["steps"])
    assert all(set(w) == {"code", "text"} and w["text"] for w in result["warnings"])
    json.dumps(result)
    # Steps in the order to act, each once.
    order = [r["code"] for r in snapshot["rules"]]
    assert steps == sorted(steps, key=order.index) and len(set(steps)) == len(steps)
    # Sexual violence within 72 h: the kit, before reporting, with 72 − hours left.
    if sexual and h is not None and h < 72:
        kit = step(result, "health_emergency_kit")
        assert steps.index("health_emergency_kit") < steps.index("report_to_authorities")
        assert kit["deadline_hours"] == 72 - h
        assert kit["due_at"] == (NOW + timedelta(hours=72 - h)).isoformat()
    # Never a kit after 72 h, nor for violence that is not sexual.
    if not sexual or (h is not None and h >= 72):
        assert "health_emergency_kit" not in steps
    # Every victim under 18 has a mandatory report.
    if age is not None and age < 18:
        assert step(result, "report_to_authorities")["mandatory"] is True
        if sexual:
            assert "single_interview" in steps
        if d.aggressor_relationship == "parent_or_caregiver" or d.aggressor_lives_with_survivor:
            assert "child_protection" in steps
    if age is not None and age < 14 and sexual:
        assert "under_14_rape" in [w["code"] for w in result["warnings"]]
    # A student: the school records the case within 24 h.
    if d.is_student:
        assert step(result, "school_report")["deadline_hours"] == 24
    if d.immediate_danger:
        assert steps[0] == "immediate_safety"
    for s in result["steps"]:
        assert s["legal_basis"].strip() and s["confidence"] in ("verified", "secondary", "unverified")
        assert s["title"] and s["why"]
        assert (s["deadline_hours"] is None) == (s["due_at"] is None)
        assert "abort" not in (s["title"] + s["why"]).lower()
        # Services: of the step's kinds, nearest first, open 24 h first within a tier when urgent.
        kinds = next(r["service_kinds"] for r in snapshot["rules"] if r["code"] == s["code"])
        assert all(set(x) == SERVICE_KEYS and x["kind"] in kinds for x in s["services"])
        # The first card can be called when any local one can; the rest keep their order.
        shown = s["services"]
        local = [x for x in shown if x["district"]]
        if any(x["phone"] for x in local):
            assert shown[0]["phone"]
        rest = shown[1:] if shown and shown[0]["phone"] else shown
        ranks = [proximity(services[x["id"]], d.district) for x in rest]
        assert ranks == sorted(ranks) and all(r < 4 for r in ranks)
        if d.immediate_danger or s["deadline_hours"] is not None:
            for a, b in zip(rest, rest[1:]):
                same_tier = proximity(services[a["id"]], d.district) == proximity(services[b["id"]], d.district)
                assert not (same_tier and b["open_24h"] and not a["open_24h"])
    assert not any("risk" in k for k in result) and not any("risk" in k for s in result["steps"] for k in s)


def test_the_plan_keeps_its_promises_over_the_whole_input_space() -> None:
    snapshot = rules_snapshot()
    services = services_near("170000")
    by_id = {s["id"]: s for s in services}

    @settings(max_examples=600, deadline=None, database=None)
    @given(plan_inputs)
    def check(d: PlanInput) -> None:
        check_properties(d, compute_plan(d, snapshot, services, NOW), snapshot, by_id)

    check()


def test_no_rule_or_warning_text_mentions_abortion() -> None:
    # Abortion is legal in Peru only for risk to life or health; the guide never suggests it.
    snapshot = rules_snapshot()
    texts = [v for r in snapshot["rules"] + snapshot["cautions"] for v in r.values() if isinstance(v, str)]
    assert texts and not [t for t in texts if "abort" in t.lower()]


def test_parser_never_crashes_and_round_trips() -> None:
    junk = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=8),
                     st.lists(st.text(max_size=8), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(),
                                                                                  max_size=2))
    fields = list(PlanInput.__dataclass_fields__)

    @settings(max_examples=400, deadline=None, database=None)
    @given(st.dictionaries(st.sampled_from([*fields, "name", "narrative"]), junk, max_size=12))
    def check_junk(raw: dict[str, Any]) -> None:
        data, errors = parse_plan_input(raw)
        assert (data is None) == bool(errors)
        assert all(isinstance(m, str) and m for m in errors.values())
        assert set(errors) <= set(raw) | {"violence_types"}

    @settings(max_examples=200, deadline=None, database=None)
    @given(plan_inputs)
    def check_round_trip(d: PlanInput) -> None:
        canonical = PlanInput(**{**d.as_dict(), "violence_types": [t for t in VIOLENCE_TYPES if t in d.violence_types]})
        assert parse_plan_input(d.as_dict()) == (canonical, {})

    check_junk()
    check_round_trip()
