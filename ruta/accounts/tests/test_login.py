from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ruta.accounts.roles import Role
from ruta.testing.cast import BaseTestCase

PASSWORD = "correct horse battery"


class LoginTest(BaseTestCase):
    def _password_step(self, username: str, password: str = PASSWORD, lang: str = ""):  # type: ignore[no-untyped-def]
        return self.client.post(f"{lang}/entrar/", {"username": username, "password": password})

    def test_a_facilitator_logs_in_with_a_password_alone(self) -> None:
        r = self._password_step("felipe")
        assert r.status_code == 302 and r["Location"] == "/panel/"
        assert self.client.get("/panel/").status_code == 200

    def test_a_caseworker_needs_the_second_factor(self) -> None:
        self._password_step("gina")
        assert self.client.get("/panel/")["Location"] == "/entrar/codigo/?next=/panel/"
        device = TOTPDevice.objects.get(user=self.caseworker)
        r = self.client.post("/entrar/codigo/", {"token": "000000" if TOTP(device.bin_key).token() else "1"})
        assert "no es válido" in r.content.decode()
        assert self.client.get("/panel/").status_code == 302
        device.refresh_from_db()
        device.throttling_failure_count = 0
        device.throttling_failure_timestamp = None
        device.save()
        token = f"{TOTP(device.bin_key).token():06d}"
        r = self.client.post("/entrar/codigo/", {"token": token})
        assert r.status_code == 302
        assert self.client.get("/panel/").status_code == 200

    def test_the_code_form_explains_bad_input_in_english_too(self) -> None:
        self._password_step("gina")
        r = self.client.post("/en/entrar/codigo/", {"token": "12ab56"})
        assert "The code has 6 digits and nothing else." in r.content.decode()

    def test_first_login_enrols_a_device_with_a_qr_code(self) -> None:
        TOTPDevice.objects.filter(user=self.case_supervisor).delete()
        self._password_step("silvia")
        page = self.client.get("/entrar/codigo/").content.decode()
        assert "<svg" in page and "otpauth" not in page  # the secret is in the QR image, not in a link
        device = TOTPDevice.objects.get(user=self.case_supervisor, confirmed=False)
        r = self.client.post("/entrar/codigo/", {"token": f"{TOTP(device.bin_key).token():06d}"})
        assert r.status_code == 302
        device.refresh_from_db()
        assert device.confirmed
        assert self.client.get("/panel/").status_code == 200

    def test_wrong_passwords_lock_the_account_out(self) -> None:
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert self._password_step("felipe", "wrong").status_code == 200
        r = self._password_step("felipe", "wrong")
        assert r.status_code == 429
        assert "Demasiados intentos" in r.content.decode()
        # Even the right password is refused while locked.
        assert self._password_step("felipe").status_code == 429

    def test_a_bad_password_gets_a_message_in_spanish_and_in_english(self) -> None:
        assert "Por favor, introduzca" in self._password_step("felipe", "nope").content.decode() or \
            "correcto" in self._password_step("felipe", "nope").content.decode()
        r = self._password_step("felipe", "nope", lang="/en")
        assert "Please enter a correct username and password" in r.content.decode()

    def test_sessions_expire_after_thirty_idle_minutes(self) -> None:
        assert settings.SESSION_COOKIE_AGE == 30 * 60
        # Written at most once a minute (SessionRefreshMiddleware), not on every request.
        assert not settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_REFRESH_SECONDS == 60
        self.login(self.facilitator)
        key = self.client.session.session_key
        Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=1))
        assert self.client.get("/panel/").status_code == 200
        # A request pushes the expiry 30 minutes forward (at most once a minute)…
        left = Session.objects.get(pk=key).expire_date - timezone.now()
        assert timedelta(minutes=29) < left <= timedelta(minutes=30)
        # …and after 30 idle minutes the session is gone.
        Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
        assert self.client.get("/panel/")["Location"].startswith("/entrar/")

    def test_logged_in_pages_are_never_cached(self) -> None:
        self.login(self.facilitator)
        assert "no-store" in self.client.get("/panel/")["Cache-Control"]

    def test_the_panel_greets_each_role_with_its_work(self) -> None:
        self.login(self.donor)
        page = self.client.get("/panel/").content.decode()
        assert "Hola, Dora" in page and "Donante" in page
        self.login(self.admin)
        assert "/admin/" in self.client.get("/en/panel/").content.decode()

    def test_a_login_never_redirects_to_another_site(self) -> None:
        r = self.client.post("/entrar/?next=https://evil.example/", {"username": "felipe", "password": PASSWORD,
                                                                      "next": "https://evil.example/"})
        assert r["Location"] == "/panel/"


class PasswordChangeTest(BaseTestCase):
    def test_a_user_changes_their_password(self) -> None:
        self.login(self.facilitator)
        r = self.client.post("/en/clave/", {"old_password": PASSWORD, "new_password1": "tortuga taricaya nada 48 veces",
                                            "new_password2": "tortuga taricaya nada 48 veces"})
        assert r.status_code == 302
        self.facilitator.refresh_from_db()
        assert self.facilitator.check_password("tortuga taricaya nada 48 veces")

    def test_a_weak_password_is_refused_with_a_reason(self) -> None:
        self.login(self.facilitator)
        r = self.client.post("/clave/", {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"})
        assert r.status_code == 200
        assert re.search("demasiado corta|muy corta", r.content.decode())


class RoleHistoryTest(BaseTestCase):
    def test_role_changes_are_kept_in_the_history(self) -> None:
        self.coordinator.role = Role.ME_OFFICER
        self.coordinator.save()
        assert list(self.coordinator.history.values_list("role", flat=True)) == ["me_officer", "coordinator"]

    @override_settings(RUTA_DEMO=False)
    def test_only_administrators_reach_the_django_admin(self) -> None:
        assert self.admin.is_staff and not self.facilitator.is_staff


class SessionKeyTest(BaseTestCase):
    def test_the_session_key_changes_after_the_second_factor(self) -> None:
        self.client.post("/entrar/", {"username": "gina", "password": PASSWORD})
        before = self.client.session.session_key
        device = TOTPDevice.objects.get(user=self.caseworker)
        r = self.client.post("/entrar/codigo/", {"token": f"{TOTP(device.bin_key).token():06d}"})
        assert r.status_code == 302
        assert self.client.session.session_key != before
        assert not Session.objects.filter(pk=before).exists()
        assert self.client.get("/panel/").status_code == 200

    def test_the_session_key_changes_after_enrolment(self) -> None:
        TOTPDevice.objects.filter(user=self.case_supervisor).delete()
        self.client.post("/entrar/", {"username": "silvia", "password": PASSWORD})
        self.client.get("/entrar/codigo/")
        before = self.client.session.session_key
        device = TOTPDevice.objects.get(user=self.case_supervisor, confirmed=False)
        assert self.client.post("/entrar/codigo/", {"token": f"{TOTP(device.bin_key).token():06d}"}).status_code == 302
        assert self.client.session.session_key != before
        assert self.client.get("/panel/").status_code == 200
