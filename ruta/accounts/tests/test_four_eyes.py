"""No one reaches case content or young people's questions alone: an administrator grants a
confidential role (case worker, case supervisor, counsellor), a supervisor of the same
organisation approves it, and only the person themselves sets the password and enrols the
second factor."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ruta.accounts import approval
from ruta.accounts.models import AccountApproval, ApprovalDecision, ApprovalReason, User
from ruta.accounts.roles import APPROVAL_ROLES, TWO_FACTOR_ROLES, Role
from ruta.audit.models import AccessEvent
from ruta.testing.cast import BaseTestCase, login

PASSWORD = "a password the admin knows 2026"
NEW_PASSWORD = "mi clave propia del rio 2026"
LINK = re.compile(r"https?://\S+/clave/nueva/(\S+)/")


class FourEyesTestCase(BaseTestCase):
    def _add(self, **fields):  # type: ignore[no-untyped-def]
        data = {"username": "nueva", "email": "nueva@example.org", "organisation": self.cast.alpha_org.pk,
                "role": Role.CASE_SUPERVISOR, "usable_password": "true",
                "password1": PASSWORD, "password2": PASSWORD, "_save": "Save"}
        data.update(fields)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post("/en/admin/accounts/user/add/", data)

    def _change(self, user, **fields):  # type: ignore[no-untyped-def]
        data = {"username": user.username, "first_name": user.first_name, "last_name": "", "email": user.email,
                "organisation": user.organisation_id, "role": user.role, "is_active": "on",
                "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"}
        data.update(fields)
        data = {k: v for k, v in data.items() if v is not None}
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(f"/en/admin/accounts/user/{user.pk}/change/", data)

    def _pending(self, user: User) -> AccountApproval:
        return AccountApproval.objects.get(user=user, decision=ApprovalDecision.PENDING)

    def _decide(self, who: User, pk: int, verb: str = "aprobar"):  # type: ignore[no-untyped-def]
        self.client.logout()
        login(self.client, who)
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(f"/cuentas/pendientes/{pk}/{verb}/")


class AdminCreatesCaseAccountTest(FourEyesTestCase):
    def test_an_administrator_cannot_create_a_case_account_that_logs_in(self) -> None:
        for role in sorted(APPROVAL_ROLES):  # the counsellor too
            with self.subTest(role=role):
                self.client.logout()
                self.login(self.admin)
                r = self._add(username=f"nueva-{role}", email=f"{role}@example.org", role=role)
                assert r.status_code == 302, r.content.decode()[:3000]
                user = User.objects.get(username=f"nueva-{role}")
                # The administrator chose no password and the account waits for a supervisor.
                assert user.role == role and not user.has_usable_password()
                assert not user.is_active
                assert self._pending(user).reason == ApprovalReason.CREATED
                self.client.logout()
                r = self.client.post("/entrar/", {"username": f"nueva-{role}", "password": PASSWORD})
                assert r.status_code == 200  # refused: the login form again

    def test_the_add_form_has_no_password_fields(self) -> None:
        self.login(self.admin)
        page = self.client.get("/en/admin/accounts/user/add/").content.decode()
        assert 'name="username"' in page and 'name="role"' in page
        assert "password1" not in page and "usable_password" not in page

    def test_a_case_account_needs_an_email_for_its_link(self) -> None:
        self.login(self.admin)
        r = self._add(email="")
        assert r.status_code == 200 and "set-password link" in r.content.decode()
        assert not User.objects.filter(username="nueva").exists()

    def test_supervisors_hear_of_a_new_case_account_with_username_and_role_only(self) -> None:
        self.cast.alpha[Role.CASE_SUPERVISOR].email = "silvia@example.org"
        self.cast.alpha[Role.CASE_SUPERVISOR].save()
        self.cast.beta[Role.CASE_SUPERVISOR].email = "beta@example.org"
        self.cast.beta[Role.CASE_SUPERVISOR].save()
        self.login(self.admin)
        self._add(first_name="Nuria", last_name="Secreta")
        [message] = mail.outbox
        assert message.to == ["silvia@example.org"]
        assert "nueva" in message.body and "/cuentas/pendientes/" in message.body
        assert "Nuria" not in message.body and "Secreta" not in message.body and "nueva@" not in message.body

    def test_approval_then_the_person_sets_a_password_and_enrols_their_own_phone(self) -> None:
        # Every confidential role, the counsellor included: a case supervisor of the organisation
        # approves, and the account reaches its work only after its own second factor.
        work = {Role.CASEWORKER: "/casos/", Role.CASE_SUPERVISOR: "/casos/", Role.COUNSELLOR: "/preguntas/equipo/"}
        assert set(work) == APPROVAL_ROLES and APPROVAL_ROLES <= TWO_FACTOR_ROLES
        for role in sorted(APPROVAL_ROLES):
            with self.subTest(role=role):
                self._approve_and_enrol(role, work[role])

    def _approve_and_enrol(self, role: str, work: str) -> None:
        username, email = f"nueva-{role}", f"{role}@example.org"
        self.client.logout()
        self.login(self.admin)
        self._add(username=username, email=email, role=role)
        user = User.objects.get(username=username)
        pending = self._pending(user)
        assert pending.requested_by == self.admin and pending.reason == ApprovalReason.CREATED
        mail.outbox.clear()
        # The administrator who granted it cannot approve it.
        with pytest.raises(approval.ApprovalError):
            approval.approve_account(self.admin, pending)
        # The supervisor sees the account waiting, with the address the link will go to.
        self.client.logout()
        self.login(self.case_supervisor)
        page = self.client.get("/cuentas/pendientes/").content.decode()
        assert email in page and "Aprobar" in page
        r = self._decide(self.case_supervisor, pending.pk)
        assert r.status_code == 302
        user.refresh_from_db()
        assert user.is_active and not user.has_usable_password()
        [message] = mail.outbox
        assert message.to == [email]
        token = LINK.search(str(message.body)).group(1)  # type: ignore[union-attr]
        assert username not in token and str(user.pk) not in token.split(".")[-1][:2]
        # The person opens the link (logged out), chooses a password and enrols their phone.
        self.client.logout()
        assert self.client.get(f"/clave/nueva/{token}/").status_code == 200
        r = self.client.post(f"/clave/nueva/{token}/", {"new_password1": "123", "new_password2": "123"})
        assert r.status_code == 200 and "corta" in r.content.decode()  # the project's validators
        r = self.client.post(f"/clave/nueva/{token}/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
        assert r["Location"] == "/entrar/codigo/"
        # Without the second factor the work stays closed.
        r = self.client.get(work)
        assert r.status_code == 302 and r["Location"].startswith("/entrar/codigo/"), (work, r.status_code)
        page = self.client.get("/entrar/codigo/").content.decode()
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        assert "<svg" in page
        r = self.client.post("/entrar/codigo/", {"token": f"{TOTP(device.bin_key).token():06d}"})
        assert r.status_code == 302
        assert self.client.get("/panel/").status_code == 200
        assert self.client.get(work).status_code == 200
        user.refresh_from_db()
        assert user.check_password(NEW_PASSWORD)
        # The link worked once.
        self.client.logout()
        assert self.client.get(f"/clave/nueva/{token}/").status_code == 400
        actions = set(AccessEvent.objects.filter(object_id=str(user.pk)).values_list("action", flat=True))
        assert {"create_user", "request_account_approval", "approve_account", "set_own_password"} <= actions
        # Logging in again needs the password and then the code from the phone.
        assert self.client.post("/entrar/", {"username": username, "password": NEW_PASSWORD}).status_code == 302
        r = self.client.get(work)
        assert r.status_code == 302 and r["Location"].startswith("/entrar/codigo/")

    def test_the_link_expires_after_24_hours(self) -> None:
        user = User.objects.create_user(username="tardia", email="t@example.org", role=Role.CASEWORKER,
                                        organisation=self.cast.alpha_org)
        user.set_unusable_password()
        user.save()
        from ruta.accounts.links import set_password_token

        token = set_password_token(user)
        assert self.client.get(f"/clave/nueva/{token}/").status_code == 200
        later = PasswordResetTokenGenerator()._now() + timedelta(hours=24, minutes=1)
        with mock.patch("ruta.accounts.links.SetPasswordTokenGenerator._now", return_value=later):
            assert self.client.get(f"/clave/nueva/{token}/").status_code == 400
        assert self.client.get("/clave/nueva/v1.x.YWJj/").status_code == 400


class WhoApprovesTest(FourEyesTestCase):
    def setUp(self) -> None:
        self.newcomer = User.objects.create_user(username="nuevo", email="n@example.org", role=Role.CASEWORKER,
                                                 organisation=self.cast.alpha_org)
        self.pending = approval.request_approval(self.admin, self.newcomer, ApprovalReason.CREATED)

    def test_a_supervisor_of_another_organisation_gets_404(self) -> None:
        assert self._decide(self.cast.beta[Role.CASE_SUPERVISOR], self.pending.pk).status_code == 404
        assert self._pending(self.newcomer)

    def test_a_caseworker_cannot_approve(self) -> None:
        assert self._decide(self.caseworker, self.pending.pk).status_code == 404
        assert self._pending(self.newcomer)

    def test_the_person_who_granted_it_cannot_approve_it(self) -> None:
        pending = approval.request_approval(self.case_supervisor, self.newcomer, ApprovalReason.ROLE_CHANGE)
        with pytest.raises(approval.ApprovalError):
            approval.approve_account(self.case_supervisor, pending)
        r = self._decide(self.case_supervisor, pending.pk)
        assert r.status_code == 302
        self.newcomer.refresh_from_db()
        assert not self.newcomer.is_active

    def test_nobody_approves_their_own_account(self) -> None:
        own = approval.request_approval(self.admin, self.case_supervisor, ApprovalReason.PASSWORD_RESET)
        with pytest.raises(approval.ApprovalError):
            approval.approve_account(self.case_supervisor, own)

    def test_rejection_leaves_the_account_inactive_and_is_logged(self) -> None:
        r = self._decide(self.case_supervisor, self.pending.pk, "rechazar")
        assert r.status_code == 302
        self.newcomer.refresh_from_db()
        assert not self.newcomer.is_active
        assert AccessEvent.objects.filter(action="reject_account", object_id=str(self.newcomer.pk)).exists()
        assert self._decide(self.case_supervisor, self.pending.pk).status_code == 302  # already decided
        self.newcomer.refresh_from_db()
        assert not self.newcomer.is_active


class AdminChangesCaseAccountTest(FourEyesTestCase):
    def test_giving_a_facilitator_a_case_role_needs_approval_and_a_new_password(self) -> None:
        self.login(self.admin)
        r = self._change(self.facilitator, role=Role.CASEWORKER)
        assert r.status_code == 302
        self.facilitator.refresh_from_db()
        assert not self.facilitator.is_active and not self.facilitator.has_usable_password()
        assert self._pending(self.facilitator).reason == ApprovalReason.ROLE_CHANGE

    def test_moving_a_caseworker_to_another_organisation_needs_approval(self) -> None:
        self.login(self.admin)
        self._change(self.caseworker, organisation=self.cast.beta_org.pk)
        self.caseworker.refresh_from_db()
        assert not self.caseworker.is_active
        assert self._pending(self.caseworker).reason == ApprovalReason.ROLE_CHANGE

    def test_an_administrator_cannot_reactivate_a_pending_account(self) -> None:
        self.login(self.admin)
        self._add()
        user = User.objects.get(username="nueva")
        self._change(user, is_active="on")
        user.refresh_from_db()
        assert not user.is_active

    def test_a_password_reset_makes_a_case_account_wait_for_approval(self) -> None:
        self.login(self.admin)
        page = self.client.get(f"/en/admin/accounts/user/{self.caseworker.pk}/password/").content.decode()
        assert "password1" not in page and "Reset and ask for approval" in page
        with self.captureOnCommitCallbacks(execute=True):
            r = self.client.post(f"/en/admin/accounts/user/{self.caseworker.pk}/password/",
                                 {"password1": PASSWORD, "password2": PASSWORD})
        assert r.status_code == 302
        self.caseworker.refresh_from_db()
        assert not self.caseworker.is_active and not self.caseworker.has_usable_password()
        assert self._pending(self.caseworker).reason == ApprovalReason.PASSWORD_RESET
        assert AccessEvent.objects.filter(action="reset_password", object_id=str(self.caseworker.pk)).exists()

    def test_other_roles_still_get_a_password_from_the_administrator(self) -> None:
        self.login(self.admin)
        r = self._add(username="otra", role=Role.FACILITATOR, email="")
        user = User.objects.get(username="otra")
        assert r.status_code == 302 and user.is_active and not user.has_usable_password()
        r = self.client.post(f"/en/admin/accounts/user/{user.pk}/password/",
                             {"password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"})
        assert r.status_code == 302
        user.refresh_from_db()
        assert user.check_password(PASSWORD) and not AccountApproval.objects.filter(user=user).exists()

    def test_removing_the_device_of_a_case_account_makes_it_wait_for_approval(self) -> None:
        self.login(self.admin)
        device = TOTPDevice.objects.get(user=self.case_supervisor)
        r = self.client.post(f"/en/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
        assert r.status_code == 302
        self.case_supervisor.refresh_from_db()
        assert not self.case_supervisor.is_active
        assert self.case_supervisor.has_usable_password()  # the administrator never knew it
        assert self._pending(self.case_supervisor).reason == ApprovalReason.DEVICE_REMOVED

    def test_the_admin_never_shows_a_second_factor_key(self) -> None:
        self.login(self.admin)
        device = TOTPDevice.objects.get(user=self.caseworker)
        import base64

        for url in ("/en/admin/otp_totp/totpdevice/", f"/en/admin/otp_totp/totpdevice/{device.pk}/change/"):
            page = self.client.get(url).content.decode()
            assert device.key not in page
            assert base64.b32encode(device.bin_key).decode().rstrip("=") not in page
            assert "otpauth" not in page

    def test_deactivating_a_caseworker_with_open_cases_asks_for_reassignment_first(self) -> None:
        from ruta.cases.tests.factories import make_case

        make_case(self.caseworker)
        make_case(self.caseworker)
        self.login(self.admin)
        r = self._change(self.caseworker, is_active=None)
        assert r.status_code == 200
        page = r.content.decode()
        assert "owns 2 open cases" in page and f"/casos/reasignar/{self.caseworker.pk}/" in page
        self.caseworker.refresh_from_db()
        assert self.caseworker.is_active
        # A supervisor hands the cases over; then the administrator can deactivate.
        self.client.logout()
        self.login(self.case_supervisor)
        assert "2" in self.client.get(f"/casos/reasignar/{self.caseworker.pk}/").content.decode()
        r = self.client.post(f"/casos/reasignar/{self.caseworker.pk}/", {"to_user": self.case_supervisor.pk})
        assert r.status_code == 302
        self.client.logout()
        self.login(self.admin)
        assert self._change(self.caseworker, is_active=None).status_code == 302
        self.caseworker.refresh_from_db()
        assert not self.caseworker.is_active


class AccountEventsTest(FourEyesTestCase):
    def test_supervisors_see_their_organisations_account_events_paginated(self) -> None:
        from ruta.audit.actions import record_access

        beta_worker = self.cast.beta[Role.CASEWORKER]
        for _ in range(55):
            record_access(self.admin, "reset_second_factor", self.caseworker)
        record_access(self.admin, "lift_lockout", self.caseworker)
        record_access(self.admin, "change_role", beta_worker, detail={"from": "facilitator", "to": "caseworker"})
        self.login(self.case_supervisor)
        page = self.client.get("/en/cuentas/eventos/").content.decode()
        assert "Lockout lifted" in page and "gina" in page and "beta_gina" not in page
        assert "Page 1 of 2" in page
        assert "Second-step device removed" in self.client.get("/en/cuentas/eventos/?page=2").content.decode()
        self.client.logout()
        self.login(self.caseworker)
        assert self.client.get("/en/cuentas/eventos/").status_code == 403


@pytest.mark.django_db
def test_approval_roles_are_the_confidential_roles_and_all_need_a_second_factor() -> None:
    assert {Role.CASEWORKER, Role.CASE_SUPERVISOR, Role.COUNSELLOR} == APPROVAL_ROLES
    assert APPROVAL_ROLES <= TWO_FACTOR_ROLES


@pytest.mark.django_db
def test_the_first_supervisor_is_created_on_the_server_with_a_link_never_a_password() -> None:
    from ruta.accounts.models import Organisation
    from ruta.accounts.roles import OrganisationKind

    org = Organisation.objects.create(name="Nueva ONG", kind=OrganisationKind.NGO, district_id="170101")
    out = StringIO()
    call_command("create_first_supervisor", "--organisation", str(org.pk), "--username", "primera",
                 "--email", "primera@example.org", stdout=out)
    user = User.objects.get(username="primera")
    assert user.role == Role.CASE_SUPERVISOR and user.is_active and not user.has_usable_password()
    assert LINK.search(out.getvalue()) and "primera@" not in out.getvalue()
    # Until she sets a password the command may give her a new link…
    call_command("create_first_supervisor", "--organisation", "Nueva ONG", "--username", "primera",
                 "--email", "primera@example.org", stdout=StringIO())
    user.set_password(NEW_PASSWORD)
    user.save()
    # …then the organisation has an active supervisor, who approves everyone else.
    with pytest.raises(CommandError, match="ya tiene una supervisora de casos activa"):
        call_command("create_first_supervisor", "--organisation", str(org.pk), "--username", "segunda",
                     "--email", "segunda@example.org", stdout=StringIO())
    assert not User.objects.filter(username="segunda").exists()


@pytest.mark.django_db
@override_settings(RUTA_DEMO=True)
def test_demo_case_accounts_record_a_demo_approval() -> None:
    from ruta.accounts.demo import load_demo_cast

    load_demo_cast()
    load_demo_cast()
    for user in User.objects.filter(role__in=APPROVAL_ROLES):
        [a] = AccountApproval.objects.filter(user=user)
        assert a.reason == ApprovalReason.DEMO and a.decision == ApprovalDecision.APPROVED
        assert user.is_active


@pytest.mark.django_db
def test_an_organisation_whose_only_supervisor_was_reset_recovers_on_the_server() -> None:
    from ruta.testing.cast import make_cast

    cast = make_cast()
    only = cast.alpha[Role.CASE_SUPERVISOR]
    approval.request_approval(cast.alpha[Role.ADMIN], only, ApprovalReason.PASSWORD_RESET)
    out = StringIO()
    call_command("create_first_supervisor", "--organisation", str(cast.alpha_org.pk), "--username", only.username,
                 "--email", "silvia@example.org", stdout=out)
    only.refresh_from_db()
    assert only.is_active and not only.has_usable_password() and LINK.search(out.getvalue())
    assert not AccountApproval.objects.filter(user=only, decision=ApprovalDecision.PENDING).exists()
    # Someone else's username is never taken over.
    with pytest.raises(CommandError, match="ya existe"):
        call_command("create_first_supervisor", "--organisation", str(cast.alpha_org.pk), "--username",
                     cast.alpha[Role.CASEWORKER].username, "--email", "x@example.org", stdout=StringIO())


class AdminListTest(FourEyesTestCase):
    def test_the_user_list_shows_who_waits_for_approval(self) -> None:
        self.login(self.admin)
        self._add()
        page = self.client.get("/en/admin/accounts/user/?o=5").content.decode()
        assert "Waiting for approval" in page and 'alt="True"' in page


class MailServerDownTest(FourEyesTestCase):
    def test_an_approval_stands_when_the_mail_server_is_down(self) -> None:
        user = User.objects.create_user(username="nuevo", email="n@example.org", role=Role.CASEWORKER,
                                        organisation=self.cast.alpha_org)
        with mock.patch("ruta.accounts.approval.send_mail", side_effect=OSError("smtp down")):
            pending = approval.request_approval(self.admin, user, ApprovalReason.CREATED)
            r = self._decide(self.case_supervisor, pending.pk)
        assert r.status_code == 302
        user.refresh_from_db()
        assert user.is_active
