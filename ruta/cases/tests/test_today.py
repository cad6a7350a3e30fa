from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from ruta.cases import actions
from ruta.cases.tests.factories import CaseTestCase, make_case, make_referral


class TodayTest(CaseTestCase):
    def test_due_and_overdue_items_sorted_by_deadline_with_the_kit_countdown(self) -> None:
        an_hour_ago = timezone.localtime() - timedelta(hours=1)
        case = make_case(self.caseworker, incident={"occurred_on": an_hour_ago.date(),
                                                    "occurred_time": an_hour_ago.time()})
        make_referral(case, self.caseworker, hours=10, step="health_care")
        make_referral(case, self.caseworker, hours=-5, step="report_to_authorities")
        make_referral(case, self.caseworker, hours=60, step="health_emergency_kit")
        make_referral(case, self.caseworker, hours=100, step="legal_aid")  # not due today
        actions.record_followup(self.caseworker, case, done_on=timezone.localdate(), note="",
                                next_at=timezone.now() + timedelta(hours=2))
        self.login(self.caseworker)
        r = self.client.get(reverse("cases:today"))
        items = r.context["items"]
        assert [i["label"] for i in items] == ["Denuncia ante las autoridades", "Seguimiento", "Atención de salud"]
        assert [i["overdue"] for i in items] == [True, False, False]
        assert len(r.context["kits"]) == 1
        self.assertContains(r, "data-deadline")
        self.assertContains(r, "2 d 11 h")

    def test_a_supervisor_sees_the_whole_organisation_and_pending_closures(self) -> None:
        case = make_case(self.caseworker)
        make_referral(case, self.caseworker, hours=-1)
        other = make_case(self.cast.beta["caseworker"])
        make_referral(other, self.cast.beta["caseworker"], hours=-1)
        self.login(self.case_supervisor)
        r = self.client.get(reverse("cases:today"))
        self.assertContains(r, case.code)
        self.assertNotContains(r, other.code)

    def test_the_caseworker_does_not_see_others_cases_on_today(self) -> None:
        case = make_case(self.case_supervisor)
        make_referral(case, self.case_supervisor, hours=-1)
        self.login(self.caseworker)
        self.assertNotContains(self.client.get(reverse("cases:today")), case.code)
