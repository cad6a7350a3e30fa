from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from ruta.accounts.roles import Role
from ruta.audit.models import AccessEvent
from ruta.testing.cast import BaseTestCase


class AdminAccountsTest(BaseTestCase):
    def _change(self, user, **fields):  # type: ignore[no-untyped-def]
        data = {"username": user.username, "first_name": user.first_name, "last_name": "", "email": "",
                "organisation": user.organisation_id, "role": user.role, "is_active": "on",
                "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"}
        data.update(fields)
        return self.client.post(f"/en/admin/accounts/user/{user.pk}/change/", data)

    def test_an_administrator_cannot_give_herself_a_case_role(self) -> None:
        self.login(self.admin)
        r = self._change(self.admin, role=Role.CASE_SUPERVISOR, first_name="Ada María")
        assert r.status_code == 302  # the rest of the change is saved…
        self.admin.refresh_from_db()
        assert self.admin.first_name == "Ada María"
        assert self.admin.role == Role.ADMIN

    def test_role_changes_are_in_the_access_log(self) -> None:
        self.login(self.admin)
        r = self._change(self.facilitator, role=Role.CASEWORKER)
        assert r.status_code == 302
        event = AccessEvent.objects.get(action="change_role")
        assert event.actor_username == "ada" and event.object_id == str(self.facilitator.pk)
        assert event.detail == {"from": "facilitator", "to": "caseworker"}

    def test_devices_can_only_be_removed_and_removal_is_logged(self) -> None:
        self.login(self.admin)
        assert self.client.get("/en/admin/otp_totp/totpdevice/add/").status_code == 403
        device = TOTPDevice.objects.get(user=self.caseworker)
        r = self.client.post(f"/en/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
        assert r.status_code == 302
        assert not TOTPDevice.objects.filter(user=self.caseworker).exists()
        assert AccessEvent.objects.filter(action="reset_second_factor", object_id=str(self.caseworker.pk)).exists()
