"""The proposal page turns the pathway's plan into referrals; without consent only a
supervisor can go ahead, with a reason."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ruta.audit.models import AccessEvent
from ruta.cases import actions
from ruta.cases.actions import ProposedReferral
from ruta.cases.models import Referral
from ruta.cases.pathway import plan_input
from ruta.cases.tests.factories import CaseTestCase, make_case
from ruta.testing.cast import login


def _take_all(form: Any) -> dict[str, str]:
    post = {}
    for step in form.steps:
        code = step["code"]
        post[f"take_{code}"] = "on"
        post[f"service_{code}"] = ""
        post[f"due_{code}"] = timezone.localtime(form[f"due_{code}"].initial).strftime("%Y-%m-%dT%H:%M")
    return post


class ProposalTest(CaseTestCase):
    def test_the_case_facts_go_into_the_engine(self) -> None:
        case = make_case(self.caseworker, survivor={"age_years": 13},
                         incident={"aggressor_relationship": "parent_or_caregiver", "aggressor_lives_with_survivor": 1})
        data = plan_input(case, case.incidents.get(), timezone.now(), "es-pe")
        assert data["age"] == 13 and data["violence_types"] == ["sexual"] and data["is_student"] is True
        assert data["aggressor_relationship"] == "parent_or_caregiver" and data["aggressor_lives_with_survivor"]
        assert data["district"] == "170101" and data["lang"] == "es" and data["reporter_role"] == "teacher"
        # Yesterday at an unknown time counts as yesterday 23:59: the kit window is never cut short.
        incident = case.incidents.get()
        expected = (timezone.now() - incident.occurred_at()).total_seconds() // 3600
        assert data["hours_since_incident"] == expected and timezone.localtime(incident.occurred_at()).hour == 23

    def test_without_consent_the_caseworker_cannot_and_the_supervisor_can_with_a_reason(self) -> None:
        case = make_case(self.caseworker, consent=False)
        url = reverse("cases:proposal", kwargs={"code": case.code})
        self.login(self.caseworker)
        page = self.client.get(url)
        self.assertContains(page, "Registre primero el consentimiento")
        r = self.client.post(url, _take_all(page.context["form"]))
        assert r.status_code == 200 and not Referral.objects.exists()

        sup = Client()
        login(sup, self.case_supervisor)
        page = sup.get(url)
        post = _take_all(page.context["form"])
        r = sup.post(url, post)  # no reason yet
        assert r.status_code == 200 and not Referral.objects.exists()
        r = sup.post(url, {**post, "override_reason": "La madre es la agresora"})
        assert r.status_code == 302
        refs = list(case.referrals.all())
        assert refs and all(x.override_by == self.case_supervisor for x in refs)
        assert all(x.override_reason == "La madre es la agresora" for x in refs)

    def test_steps_already_referred_are_not_proposed_again(self) -> None:
        case = make_case(self.caseworker)
        url = reverse("cases:proposal", kwargs={"code": case.code})
        self.login(self.caseworker)
        page = self.client.get(url)
        self.client.post(url, _take_all(page.context["form"]))
        n = case.referrals.count()
        form = self.client.get(url).context["form"]
        assert not any(form[f"take_{s['code']}"].initial for s in form.steps)
        r = self.client.post(url, {})
        assert r.status_code == 200 and case.referrals.count() == n

    def test_a_referral_without_a_service_shows_the_kind_of_institution(self) -> None:
        case = make_case(self.caseworker)
        url = reverse("cases:proposal", kwargs={"code": case.code})
        self.login(self.caseworker)
        page = self.client.get(url)
        self.client.post(url, _take_all(page.context["form"]))
        ref = case.referrals.get(step_code="report_to_authorities")
        assert ref.service_id is None and ref.institution
        detail = self.client.get(reverse("cases:detail", kwargs={"code": case.code}))
        self.assertContains(detail, ref.destination)
        assert ref.destination != ref.institution  # a label, not a code


class AcceptProposalTest(CaseTestCase):
    def test_it_records_every_referral_and_the_rules_version_with_one_access_event(self) -> None:
        case = make_case(self.caseworker)
        due = timezone.now() + timedelta(hours=12)
        proposed = [ProposedReferral(step_code=code, due_at=due, service=None, institution="cem", mandatory=True)
                    for code in ("cem_care", "health_care")]
        refs = actions.accept_proposal(self.caseworker, case, proposed, rules_version="rules-2026-12")
        assert [r.step_code for r in refs] == ["cem_care", "health_care"]
        case.refresh_from_db()
        assert case.pathway_rules_version == "rules-2026-12" and case.next_referral_due_at == due
        assert {r.rules_version for r in case.referrals.all()} == {"rules-2026-12"}
        event = AccessEvent.objects.filter(action="accept_proposal").get()
        assert event.object_id == str(case.pk) and event.detail["referrals"] == 2

    def test_it_is_all_or_nothing(self) -> None:
        case = make_case(self.caseworker, incident={"occurred_on": timezone.localdate() - timedelta(days=1)})
        now = timezone.now()
        proposed = [
            ProposedReferral(step_code="cem_care", due_at=now + timedelta(hours=12), service=None,
                             institution="cem", mandatory=True),
            # The kit is due after its 72-hour window: refused, so the first referral goes too.
            ProposedReferral(step_code="health_emergency_kit", due_at=now + timedelta(days=10), service=None,
                             institution="health", mandatory=True),
        ]
        with pytest.raises(actions.CaseActionError):
            actions.accept_proposal(self.caseworker, case, proposed, rules_version="rules-2026-12")
        case.refresh_from_db()
        assert not case.referrals.exists() and case.pathway_rules_version == ""
        assert not AccessEvent.objects.filter(action__in=["refer", "accept_proposal"]).exists()

    def test_it_refuses_an_empty_choice(self) -> None:
        case = make_case(self.caseworker)
        with pytest.raises(actions.CaseActionError):
            actions.accept_proposal(self.caseworker, case, [], rules_version="rules-2026-12")
