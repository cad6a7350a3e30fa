"""Safety properties of the plan a case gets (found in review): age, classification,
the 72-hour window, and who closes a case."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from ruta.cases import actions
from ruta.cases.pathway import plan_for_case
from ruta.cases.tests.factories import CaseTestCase, incident_data, make_case, make_referral

LIMA = ZoneInfo("America/Lima")


def _steps(plan: dict[str, Any]) -> dict[str, Any]:
    return {s["code"]: s for s in plan["steps"]}


class PlanSafetyTest(CaseTestCase):
    def test_a_girl_on_the_eve_of_her_18th_birthday_is_a_child_in_lima_whatever_utc_says(self) -> None:
        now = datetime(2026, 11, 26, 20, 0, tzinfo=LIMA)  # already the 27th in UTC
        case = make_case(self.caseworker, survivor={"birth_date": date(2008, 11, 27), "age_years": None},
                         incident={"occurred_on": date(2026, 11, 26), "reported_on": date(2026, 11, 26)})
        steps = _steps(plan_for_case(case, now, "es"))
        assert "single_interview" in steps
        assert steps["report_to_authorities"]["mandatory"]

    def test_a_survivor_abused_at_17_keeps_a_childs_protections_after_turning_18(self) -> None:
        today = timezone.localdate()
        case = make_case(self.caseworker,
                         survivor={"birth_date": today.replace(year=today.year - 18) - timedelta(days=10),
                                   "age_years": None},
                         incident={"occurred_on": today - timedelta(days=20), "reported_on": today})
        assert "single_interview" in _steps(plan_for_case(case, timezone.now(), "es"))

    def test_rape_by_the_classification_questions_gets_the_kit_even_without_the_sexual_box(self) -> None:
        case = make_case(self.caseworker, incident={"vt_sexual": False, "vt_physical": True, "q_penetration": True})
        steps = _steps(plan_for_case(case, timezone.now(), "es"))
        assert "health_emergency_kit" in steps and "single_interview" in steps

    def test_the_kit_deadline_is_72_hours_after_the_incident_to_the_minute(self) -> None:
        occurred = datetime(2026, 11, 20, 10, 0, tzinfo=LIMA)
        case = make_case(self.caseworker, incident={"occurred_on": occurred.date(), "occurred_time": occurred.time(),
                                                    "reported_on": occurred.date()})
        steps = _steps(plan_for_case(case, occurred + timedelta(hours=71, minutes=59), "es"))
        assert steps["health_emergency_kit"]["due_at"] == occurred + timedelta(hours=72)

    def test_with_an_unknown_time_the_kit_deadline_counts_from_the_start_of_the_day(self) -> None:
        day = timezone.localdate()
        case = make_case(self.caseworker, incident={"occurred_on": day, "occurred_time": None, "reported_on": day})
        steps = _steps(plan_for_case(case, timezone.now(), "es"))
        start = datetime.combine(day, datetime.min.time(), tzinfo=LIMA)
        assert steps["health_emergency_kit"]["due_at"] == start + timedelta(hours=72)

    def test_no_kit_referral_can_be_due_after_the_window(self) -> None:
        an_hour_ago = timezone.localtime() - timedelta(hours=1)
        case = make_case(self.caseworker, incident={"occurred_on": an_hour_ago.date(),
                                                    "occurred_time": an_hour_ago.time()})
        with pytest.raises(actions.CaseActionError, match="72"):
            make_referral(case, self.caseworker, hours=80, step="health_emergency_kit")
        kit = make_referral(case, self.caseworker, hours=60, step="health_emergency_kit")
        with pytest.raises(actions.CaseActionError, match="72"):
            actions.update_referral(self.caseworker, kit, expected_version=kit.version, status=kit.status,
                                    due_at=kit.due_at + timedelta(hours=20), outcome=None)


class ClosureByTwoPeopleTest(CaseTestCase):
    def test_a_supervisor_cannot_approve_her_own_request(self) -> None:
        case = make_case(self.case_supervisor)
        closure = actions.request_closure(self.case_supervisor, case, reason="services_completed", note="")
        with translation.override("en"), pytest.raises(actions.CaseActionError, match="another person"):
            actions.decide_closure(self.case_supervisor, closure, approve=True, note="")


class SeveralIncidentsTest(CaseTestCase):
    def test_a_recent_sexual_incident_keeps_the_kit_when_a_later_one_is_added(self) -> None:
        two_days_ago = timezone.localdate() - timedelta(days=2)
        case = make_case(self.caseworker, incident={"occurred_on": two_days_ago})
        later = incident_data(occurred_on=timezone.localdate(), q_penetration=False, q_physical=True,
                              vt_sexual=False, vt_physical=True)
        actions.add_incident(self.caseworker, case, later)
        assert "health_emergency_kit" in _steps(plan_for_case(case, timezone.now(), "es"))
