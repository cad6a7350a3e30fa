"""Realistic cases written from the domain notes (shared/domain/pathway.md, madre_de_dios.md),
run through plan() with the shipped rules and the seeded Madre de Dios directory."""

from __future__ import annotations

from datetime import UTC

import pytest

from ruta.pathway.engine import plan
from ruta.pathway.tests.helpers import NOW, case, codes, step, warning_codes

pytestmark = pytest.mark.django_db


def test_teacher_hears_13_year_old_raped_by_stepfather_yesterday() -> None:
    # A student in Laberinto tells her teacher; the stepfather lives with her.
    result = plan(case(age=13, sex="female", violence_types=["sexual"], hours_since_incident=20,
                       aggressor_relationship="parent_or_caregiver", aggressor_lives_with_survivor=True,
                       is_student=True, reporter_role="teacher", district="170104"), NOW)
    assert codes(result) == ["health_emergency_kit", "report_to_authorities", "forensic_exam", "single_interview",
                             "protection_measures", "cem_care", "child_protection", "school_report",
                             "education_continuity", "mental_health_followup", "legal_aid"]
    assert step(result, "health_emergency_kit")["deadline_hours"] == 52
    assert step(result, "health_emergency_kit")["due_at"] == "2026-11-29T19:00:00+00:00"
    assert step(result, "report_to_authorities")["mandatory"] is True
    assert step(result, "child_protection")["mandatory"] is True
    assert step(result, "school_report")["deadline_hours"] == 24
    assert {"under_14_rape", "believe_and_protect", "duty_to_report", "aggressor_at_home",
            "unverified_rules"} <= set(warning_codes(result))


def test_girl_of_16_in_danger_tonight_gets_safety_first_with_24h_services() -> None:
    result = plan(case(age=16, sex="female", violence_types=["sexual", "physical"], hours_since_incident=2,
                       aggressor_relationship="partner", immediate_danger=True, reporter_role="self",
                       district="170101"), NOW)
    assert codes(result)[:2] == ["immediate_safety", "health_emergency_kit"]
    safety = step(result, "immediate_safety")
    assert safety["deadline_hours"] == 0 and safety["mandatory"] is True
    assert any(s["phone"] == "105" for s in safety["services"])
    assert "minor_can_report" in warning_codes(result)


def test_woman_beaten_by_partner_last_week_gets_care_not_kit() -> None:
    result = plan(case(age=22, sex="female", violence_types=["physical", "psychological"], hours_since_incident=170,
                       aggressor_relationship="partner", aggressor_lives_with_survivor=True, district="170101"), NOW)
    assert "health_emergency_kit" not in codes(result)
    assert {"health_care", "report_to_authorities", "forensic_exam", "protection_measures", "cem_care"} <= set(
        codes(result))
    assert step(result, "report_to_authorities")["mandatory"] is False  # an adult reporting for herself
    assert "child_protection" not in codes(result) and "single_interview" not in codes(result)


def test_rape_four_days_ago_warns_the_window_has_closed() -> None:
    result = plan(case(age=19, sex="female", violence_types=["sexual"], hours_since_incident=96,
                       aggressor_relationship="acquaintance", district="170101"), NOW)
    assert "health_emergency_kit" not in codes(result)
    assert "health_care" in codes(result)
    assert "kit_window_closed" in warning_codes(result)


def test_sexual_violence_with_unknown_time_still_sends_to_health_today() -> None:
    result = plan(case(age=15, sex="female", violence_types=["sexual"], reporter_role="family"), NOW)
    kit = step(result, "health_emergency_kit")
    # The window may be closing: the kit is due now, and open-24-hour services come first.
    assert kit["deadline_hours"] == 0
    assert kit["due_at"] == NOW.astimezone(UTC).isoformat()
    assert "hours_unknown" in warning_codes(result)


def test_boy_of_12_abused_by_a_school_employee() -> None:
    result = plan(case(age=12, sex="male", violence_types=["sexual"], hours_since_incident=300,
                       aggressor_relationship="school_staff", is_student=True, reporter_role="teacher",
                       district="170101"), NOW)
    assert {"report_to_authorities", "single_interview", "school_report", "cem_care"} <= set(codes(result))
    assert "protection_measures" not in codes(result)  # not a family-group aggressor, not female
    assert "child_protection" not in codes(result)
    assert "under_14_rape" in warning_codes(result)


def test_adolescent_of_15_in_a_mining_camp_abused_by_a_stranger() -> None:
    # La Pampa, Interoceánica road (Inambari): sexual exploitation of adolescents 14–17.
    result = plan(case(age=15, sex="female", violence_types=["sexual"], hours_since_incident=30,
                       aggressor_relationship="stranger", reporter_role="community", district="170102"), NOW)
    assert step(result, "health_emergency_kit")["deadline_hours"] == 42
    assert step(result, "single_interview")["mandatory"] is True
    assert "under_14_rape" not in warning_codes(result)


def test_psychological_violence_by_parent_against_a_child() -> None:
    result = plan(case(age=10, sex="female", violence_types=["psychological"],
                       aggressor_relationship="parent_or_caregiver", aggressor_lives_with_survivor=True,
                       is_student=True, reporter_role="teacher", district="170301"), NOW)
    assert "child_protection" in codes(result)
    assert "health_care" not in codes(result) and "forensic_exam" not in codes(result)
    assert step(result, "report_to_authorities")["mandatory"] is True
    assert step(result, "school_report")["mandatory"] is True


def test_economic_violence_against_an_adult_woman() -> None:
    result = plan(case(age=24, sex="female", violence_types=["economic"], aggressor_relationship="ex_partner",
                       district="170201"), NOW)
    assert codes(result) == ["report_to_authorities", "protection_measures", "cem_care", "mental_health_followup",
                             "legal_aid"]


def test_health_worker_must_report_an_adult_patient() -> None:
    result = plan(case(age=30, sex="female", violence_types=["physical"], aggressor_relationship="partner",
                       reporter_role="health_worker", district="170101"), NOW)
    assert step(result, "report_to_authorities")["mandatory"] is True
    assert "duty_to_report" in warning_codes(result)


def test_unknown_age_warns_that_a_minor_must_be_reported() -> None:
    result = plan(case(violence_types=["physical"], reporter_role="community"), NOW)
    assert "age_unknown" in warning_codes(result)
    assert step(result, "report_to_authorities")["mandatory"] is False


def test_young_man_assaulted_by_stranger_gets_kit_and_cem() -> None:
    result = plan(case(age=20, sex="male", violence_types=["sexual"], hours_since_incident=0,
                       aggressor_relationship="stranger", district="170101"), NOW)
    assert step(result, "health_emergency_kit")["deadline_hours"] == 72
    assert "cem_care" in codes(result)
    assert "protection_measures" not in codes(result)


def test_student_of_17_harassed_by_schoolmate() -> None:
    result = plan(case(age=17, sex="female", violence_types=["psychological"], aggressor_relationship="schoolmate",
                       is_student=True, reporter_role="self", district="170101"), NOW)
    school = step(result, "school_report")
    assert school["deadline_hours"] == 24 and school["due_at"] == "2026-11-28T15:00:00+00:00"
    assert "education_continuity" in codes(result)


def test_a_case_outside_madre_de_dios_gets_national_lines_only() -> None:
    result = plan(case(age=14, sex="female", violence_types=["sexual"], hours_since_incident=10,
                       immediate_danger=True, district="150101"), NOW)  # Lima
    for s in result["steps"]:
        assert all(service["district"] is None for service in s["services"]), s["code"]
    assert any(s["phone"] == "100" for s in step(result, "immediate_safety")["services"])


def test_services_are_nearest_first() -> None:
    result = plan(case(age=25, sex="female", violence_types=["physical"], district="170104"), NOW)  # Laberinto
    services = step(result, "health_care")["services"]
    assert services, "the seeded directory has health facilities in Tambopata province"
    ranks = [0 if s["district"] == "170104" else 1 if (s["district"] or "")[:4] == "1701" else 2 if s["district"]
             else 3 for s in services]
    assert ranks == sorted(ranks)


def test_english_plan_has_english_texts() -> None:
    result = plan(case(age=13, violence_types=["sexual"], hours_since_incident=5, lang="en"), NOW)
    assert step(result, "health_emergency_kit")["title"].startswith("Go to a health facility")
    assert any(w["code"] == "under_14_rape" and "rape" in w["text"] for w in result["warnings"])


def test_the_plan_never_computes_a_risk_level() -> None:
    result = plan(case(age=16, sex="female", violence_types=["sexual", "physical"], immediate_danger=True,
                       aggressor_relationship="partner", aggressor_lives_with_survivor=True), NOW)
    assert "risk" not in str(sorted(result)) and all("risk" not in k for s in result["steps"] for k in s)
