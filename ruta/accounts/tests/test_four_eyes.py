"""No one reaches case content alone: an administrator grants a case role, a supervisor of
the same organisation approves it, and only the person themselves sets the password."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from ruta.accounts.roles import Role
from ruta.testing.cast import BaseTestCase

User = get_user_model()
PASSWORD = "a password the admin knows 2026"


class AdminCreatesCaseAccountTest(BaseTestCase):
    def _add(self, **fields):  # type: ignore[no-untyped-def]
        data = {"username": "nueva", "email": "nueva@example.org", "organisation": self.cast.alpha_org.pk,
                "role": Role.CASE_SUPERVISOR, "usable_password": "true",
                "password1": PASSWORD, "password2": PASSWORD, "_save": "Save"}
        data.update(fields)
        return self.client.post("/en/admin/accounts/user/add/", data)

    def test_an_administrator_cannot_create_a_case_account_that_logs_in(self) -> None:
        self.login(self.admin)
        r = self._add()
        assert r.status_code == 302, r.content.decode()[:3000]
        user = User.objects.get(username="nueva")
        # The administrator chose no password and the account waits for a supervisor.
        assert not user.has_usable_password()
        assert not user.is_active
        self.client.logout()
        r = self.client.post("/entrar/", {"username": "nueva", "password": PASSWORD})
        assert r.status_code == 200  # refused: the login form again
