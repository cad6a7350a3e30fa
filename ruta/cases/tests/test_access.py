from __future__ import annotations

from django.test import Client
from django.urls import reverse

from ruta.accounts.models import User
from ruta.accounts.roles import Role
from ruta.audit.models import AccessEvent
from ruta.cases import actions
from ruta.cases.tests.factories import NAME, CaseTestCase, make_case
from ruta.testing.cast import login


class CaseAccessTest(CaseTestCase):
    def setUp(self) -> None:
        self.case = make_case(self.caseworker)
        self.url = reverse("cases:detail", kwargs={"code": self.case.code})
        self.other = User.objects.create_user(username="otra", password="x" * 12, role=Role.CASEWORKER,
                                              organisation=self.cast.alpha_org)
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.create(user=self.other, name="t", confirmed=True)

    def _events(self, action: str) -> list[AccessEvent]:
        return list(AccessEvent.objects.filter(object_type="cases.case", object_id=str(self.case.pk), action=action))

    def test_the_owner_sees_the_case_and_it_is_logged(self) -> None:
        self.login(self.caseworker)
        r = self.client.get(self.url)
        self.assertContains(r, NAME)
        [event] = self._events("view")
        assert event.actor_username == self.caseworker.username

    def test_a_caseworker_of_the_same_organisation_not_assigned_gets_404(self) -> None:
        self.login(self.other)
        assert self.client.get(self.url).status_code == 404
        assert self.client.get(reverse("cases:list")).content.count(self.case.code.encode()) == 0

    def test_an_assigned_caseworker_sees_it(self) -> None:
        actions.assign(self.case_supervisor, self.case, [self.other])
        self.login(self.other)
        self.assertContains(self.client.get(self.url), NAME)
        self.assertContains(self.client.get(reverse("cases:list")), self.case.code)

    def test_a_supervisor_of_another_organisation_gets_404(self) -> None:
        self.login(self.cast.beta[Role.CASE_SUPERVISOR])
        assert self.client.get(self.url).status_code == 404

    def test_caseworker_without_second_factor_is_sent_to_verify(self) -> None:
        login(self.client, self.caseworker, verified=False)
        r = self.client.get(self.url)
        assert r.status_code == 302 and reverse("accounts:two_factor") in r["Location"]
        assert self._events("view") == []

    def test_print_writes_a_print_event(self) -> None:
        self.login(self.caseworker)
        self.assertContains(self.client.get(reverse("cases:print", kwargs={"code": self.case.code})), NAME)
        assert len(self._events("print")) == 1

    def test_the_supervisor_sees_who_looked_at_the_case(self) -> None:
        self.login(self.caseworker)
        self.client.get(self.url)
        sup = Client()
        login(sup, self.case_supervisor)
        r = sup.get(reverse("cases:access_log", kwargs={"code": self.case.code}))
        self.assertContains(r, self.caseworker.username)
        self.assertContains(r, "view")
        self.assertNotContains(r, NAME)

    def test_the_caseworker_cannot_read_the_access_log(self) -> None:
        self.login(self.caseworker)
        assert self.client.get(reverse("cases:access_log", kwargs={"code": self.case.code})).status_code == 404

    def test_document_search_finds_by_keyed_hash_and_logs_no_query(self) -> None:
        self.login(self.caseworker)
        r = self.client.post(reverse("cases:list"), {"q": "41 234 567"})
        self.assertContains(r, self.case.code)
        r = self.client.post(reverse("cases:list"), {"q": "41234568"})
        self.assertNotContains(r, self.case.code)
        searches = AccessEvent.objects.filter(action="search")
        assert searches.count() == 2
        assert all("41234567" not in str(e.detail) for e in searches)

    def test_a_search_finds_closed_cases_and_by_code(self) -> None:
        from ruta.cases.models import Case

        Case.objects.filter(pk=self.case.pk).update(status="closed")
        self.login(self.caseworker)
        self.assertNotContains(self.client.get(reverse("cases:list")), self.case.code)
        self.assertContains(self.client.post(reverse("cases:list"), {"q": self.case.code.lower()}), self.case.code)
        self.assertContains(self.client.post(reverse("cases:list"), {"q": "41234567"}), self.case.code)

    def test_other_roles_get_404_even_with_the_right_code(self) -> None:
        for role in (Role.ADMIN, Role.COORDINATOR, Role.ME_OFFICER, Role.DONOR, Role.FACILITATOR):
            c = Client()
            login(c, self.cast.alpha[role])
            assert c.get(self.url).status_code == 404, role
