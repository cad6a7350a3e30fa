from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ruta.accounts.roles import Role
from ruta.cases import actions
from ruta.cases.models import Referral, ReferralUpdate
from ruta.cases.tests.factories import CaseTestCase, make_case, make_referral
from ruta.testing.cast import login


def _form(referral: Referral, **kw: str) -> dict[str, str]:
    data = {"version": str(referral.version), "status": referral.status,
            "due_at": timezone.localtime(referral.due_at).strftime("%Y-%m-%dT%H:%M"), "outcome": "", "note": ""}
    data.update(kw)
    return data


class ConsentTest(CaseTestCase):
    def test_a_referral_without_consent_is_refused_to_the_caseworker(self) -> None:
        case = make_case(self.caseworker, consent=False)
        with pytest.raises(actions.ConsentRequired):
            make_referral(case, self.caseworker)

    def test_a_supervisor_override_needs_a_reason_and_records_it(self) -> None:
        case = make_case(self.caseworker, consent=False)
        with pytest.raises(actions.ConsentRequired):
            make_referral(case, self.case_supervisor)
        r = actions.refer(self.case_supervisor, case, step_code="child_protection",
                          due_at=timezone.now() + timedelta(hours=5), override_reason="The guardian is the aggressor")
        r.refresh_from_db()
        assert r.override_by == self.case_supervisor and r.override_reason == "The guardian is the aggressor"
        assert r.consent is None

    def test_withdrawn_consent_stops_new_referrals(self) -> None:
        case = make_case(self.caseworker)
        make_referral(case, self.caseworker)
        actions.withdraw_consent(self.caseworker, case)
        with pytest.raises(actions.ConsentRequired):
            make_referral(case, self.caseworker)

    def test_a_child_cannot_consent_alone_and_a_guardian_needs_the_childs_assent(self) -> None:
        case = make_case(self.caseworker, consent=False)  # 16 years old
        kw: dict[str, Any] = {"for_services": True, "for_sharing": True, "for_statistics": False,
                              "given_on": timezone.localdate()}
        with pytest.raises(actions.CaseActionError):
            actions.record_consent(self.caseworker, case, given_by="survivor", child_assent=False, **kw)
        with pytest.raises(actions.CaseActionError):
            actions.record_consent(self.caseworker, case, given_by="guardian", child_assent=False, **kw)
        actions.record_consent(self.caseworker, case, given_by="guardian", child_assent=True, **kw)

    def test_the_referral_page_refuses_the_caseworker_without_consent(self) -> None:
        case = make_case(self.caseworker, consent=False)
        self.login(self.caseworker)
        r = self.client.post(reverse("cases:referral_new", kwargs={"code": case.code}), {
            "step_code": "health_care", "due_at": "2030-01-01T10:00"})
        assert r.status_code == 200
        self.assertContains(r, "consentimiento")
        assert not case.referrals.exists()


class ConcurrentUpdateTest(CaseTestCase):
    def setUp(self) -> None:
        self.case = make_case(self.caseworker)
        self.referral = make_referral(self.case, self.caseworker)
        self.url = reverse("cases:referral_edit", kwargs={"code": self.case.code, "pk": self.referral.pk})
        actions.assign(self.case_supervisor, self.case, [])

    def test_two_workers_updating_the_same_referral_lose_nothing(self) -> None:
        first, second = Client(), Client()
        login(first, self.caseworker)
        login(second, self.case_supervisor)
        # Both open the form and read version 1.
        assert first.get(self.url).status_code == 200
        assert second.get(self.url).status_code == 200
        r1 = first.post(self.url, _form(self.referral, status="accepted", outcome="Cita el lunes"))
        assert r1.status_code == 302
        r2 = second.post(self.url, _form(self.referral, status="declined", outcome="Rechazada"))
        assert r2.status_code == 409
        self.assertContains(r2, "Alguien más actualizó esta derivación", status_code=409)
        # The second sees the first's change in the form, with the new version to resubmit.
        self.assertContains(r2, "Cita el lunes", status_code=409)
        self.referral.refresh_from_db()
        assert (self.referral.status, self.referral.outcome, self.referral.version) == ("accepted", "Cita el lunes", 2)
        assert ReferralUpdate.objects.filter(referral=self.referral).count() == 2  # created + first update
        r3 = second.post(self.url, _form(self.referral, status="attended", outcome="Atendida"))
        assert r3.status_code == 302
        self.referral.refresh_from_db()
        assert (self.referral.status, self.referral.version) == ("attended", 3)

    def test_the_action_refuses_a_stale_version(self) -> None:
        actions.update_referral(self.caseworker, self.referral, expected_version=1, status="accepted",
                                due_at=self.referral.due_at, outcome=None)
        with pytest.raises(actions.StaleReferral) as e:
            actions.update_referral(self.case_supervisor, self.referral, expected_version=1, status="cancelled",
                                    due_at=self.referral.due_at, outcome=None)
        assert e.value.current.status == "accepted"


class ClosureTest(CaseTestCase):
    def test_closing_needs_every_referral_ended_and_a_supervisors_approval(self) -> None:
        case = make_case(self.caseworker)
        ref = make_referral(case, self.caseworker)
        with pytest.raises(actions.CaseActionError):
            actions.request_closure(self.caseworker, case, reason="needs_met", note="")
        actions.update_referral(self.caseworker, ref, expected_version=1, status="attended", due_at=ref.due_at,
                                outcome="ok")
        closure = actions.request_closure(self.caseworker, case, reason="needs_met", note="")
        with pytest.raises(actions.CaseActionError):
            actions.request_closure(self.caseworker, case, reason="needs_met", note="")
        with pytest.raises(actions.CaseActionError):
            actions.decide_closure(self.caseworker, closure, approve=True, note="")
        with pytest.raises(actions.CaseActionError):
            actions.decide_closure(self.cast.beta[Role.CASE_SUPERVISOR], closure, approve=True, note="")
        actions.decide_closure(self.case_supervisor, closure, approve=True, note="")
        case.refresh_from_db()
        assert case.status == "closed" and case.closed_at is not None
        with pytest.raises(actions.CaseActionError):
            make_referral(case, self.caseworker)
        actions.reopen(self.caseworker, case, reason="New incident")
        case.refresh_from_db()
        assert case.status == "reopened" and case.is_active

    def test_a_returned_closure_leaves_the_case_open(self) -> None:
        case = make_case(self.caseworker)
        closure = actions.request_closure(self.caseworker, case, reason="no_contact", note="")
        actions.decide_closure(self.case_supervisor, closure, approve=False, note="Try one more visit")
        case.refresh_from_db()
        assert case.status == "open"

    def test_a_referral_added_after_the_request_blocks_the_approval(self) -> None:
        case = make_case(self.caseworker)
        closure = actions.request_closure(self.caseworker, case, reason="needs_met", note="")
        make_referral(case, self.caseworker)
        with pytest.raises(actions.CaseActionError):
            actions.decide_closure(self.case_supervisor, closure, approve=True, note="")
        closure.refresh_from_db()
        case.refresh_from_db()
        assert closure.decision == "pending" and case.status == "open"
