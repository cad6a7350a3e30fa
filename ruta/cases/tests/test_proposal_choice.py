"""The proposal ticks only what is mandatory or urgent, never offers a window that already
closed, reminds about the emergency kit at once and again before its window closes, and
shows the case worker the professional texts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ruta.cases import actions
from ruta.cases.actions import ProposedReferral
from ruta.cases.alerts import send_due_alerts
from ruta.cases.models import Case
from ruta.cases.tests.factories import CaseTestCase, make_case
from ruta.pathway.models import Caution, Rule


class ProposalChoiceTest(CaseTestCase):
    def _page(self, case: Case) -> Any:
        self.login(self.caseworker)
        return self.client.get(reverse("cases:proposal", kwargs={"code": case.code}))

    def test_only_mandatory_or_urgent_steps_are_ticked(self) -> None:
        case = make_case(self.caseworker)  # a 16-year-old student, sexual violence yesterday
        form = self._page(case).context["form"]
        ticked = {s["code"] for s in form.steps if form[f"take_{s['code']}"].initial}
        unticked = {s["code"] for s in form.steps} - ticked
        assert {"health_emergency_kit", "report_to_authorities", "school_report"} <= ticked
        assert {"legal_aid", "mental_health_followup"} <= unticked  # offered, for the worker to add
        for s in form.steps:
            assert (s["code"] in ticked) == (bool(s["mandatory"]) or s["deadline_hours"] is not None)

    def test_a_deadline_already_past_is_shown_missed_and_never_created(self) -> None:
        case = make_case(self.caseworker)
        # The case was opened two days ago: the school's 24 hours are over.
        Case.objects.filter(pk=case.pk).update(opened_at=timezone.now() - timedelta(days=2))
        page = self._page(case)
        form = page.context["form"]
        assert "school_report" not in {s["code"] for s in form.steps}
        assert [s["code"] for s in form.missed] == ["school_report"]
        self.assertContains(page, 'data-missed="school_report"')
        self.assertContains(page, "Plazo vencido")
        post = {"take_school_report": "on", "due_school_report": "2020-01-01T10:00", "service_school_report": "",
                "take_legal_aid": "on", "service_legal_aid": "",
                "due_legal_aid": (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")}
        r = self.client.post(reverse("cases:proposal", kwargs={"code": case.code}), post)
        assert r.status_code == 302
        assert list(case.referrals.values_list("step_code", flat=True)) == ["legal_aid"]

    def test_a_referral_due_in_the_past_is_refused(self) -> None:
        case = make_case(self.caseworker)
        late = ProposedReferral(step_code="legal_aid", due_at=timezone.now() - timedelta(hours=1), service=None,
                                institution="legal_aid", mandatory=False)
        with pytest.raises(actions.CaseActionError):
            actions.accept_proposal(self.caseworker, case, [late], rules_version="r")
        assert not case.referrals.exists()

    def test_the_worker_reads_the_professional_texts(self) -> None:
        case = make_case(self.caseworker, survivor={"age_years": 15})
        Case.objects.filter(pk=case.pk).update(reporter_role="self")  # the survivor came herself
        page = self._page(case)
        professional = Rule.objects.get(code="report_to_authorities").professional_es
        plain = Rule.objects.get(code="report_to_authorities").plain_es
        self.assertContains(page, professional)
        self.assertNotContains(page, plain)
        caution = Caution.objects.get(code="minor_can_report")
        self.assertContains(page, caution.text_es)
        self.assertNotContains(page, caution.young_es)


class KitReminderTest(CaseTestCase):
    def setUp(self) -> None:
        self.caseworker.email = "gina@example.org"
        self.caseworker.save()

    def _kit(self) -> Case:
        case = make_case(self.caseworker)  # sexual violence yesterday: the kit's window is open
        self.login(self.caseworker)
        url = reverse("cases:proposal", kwargs={"code": case.code})
        form = self.client.get(url).context["form"]
        due = timezone.localtime(form["due_health_emergency_kit"].initial).strftime("%Y-%m-%dT%H:%M")
        r = self.client.post(url, {"take_health_emergency_kit": "on", "service_health_emergency_kit": "",
                                   "due_health_emergency_kit": due}, follow=True)
        self.assertContains(r, "Kit de emergencia: la ventana de 72 horas se cierra")
        return case

    def test_the_kit_is_reminded_at_once_and_again_before_the_window_closes(self) -> None:
        case = self._kit()
        kit = case.referrals.get(step_code="health_emergency_kit")
        now = timezone.now()
        assert kit.due_at - now > timedelta(hours=24)  # far from "due soon"
        assert send_due_alerts(now, 24) == 1  # at once
        assert case.code in mail.outbox[0].body
        assert send_due_alerts(now, 24) == 0  # once
        assert send_due_alerts(kit.due_at - timedelta(hours=2), 24) == 1  # again, before it closes
        for body in (f"{m.body} {m.subject}" for m in mail.outbox):
            assert "kit" not in body.lower() and "sexual" not in body.lower()
