"""The proposal page turns the pathway's plan into referrals; without consent only a
supervisor can go ahead, with a reason."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

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
