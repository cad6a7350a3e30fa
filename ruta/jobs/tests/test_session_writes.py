from __future__ import annotations

from unittest import mock

from django.contrib.sessions.backends.db import SessionStore
from django.test import TestCase, override_settings
from django.urls import reverse

from ruta.testing.cast import login, make_cast


class SessionWriteTest(TestCase):
    def test_a_staff_session_is_written_at_most_once_a_minute(self) -> None:
        cast = make_cast()
        login(self.client, cast.alpha["coordinator"])
        url = reverse("accounts:home")
        with mock.patch.object(SessionStore, "save", autospec=True, side_effect=SessionStore.save) as save:
            for _ in range(5):
                assert self.client.get(url).status_code == 200
            assert save.call_count <= 1
            with mock.patch("ruta.accounts.middleware.time.time", return_value=10**10):
                self.client.get(url)
            assert save.call_count >= 1

    @override_settings(SESSION_REFRESH_SECONDS=0)
    def test_each_request_pushes_the_idle_expiry_when_due(self) -> None:
        cast = make_cast()
        login(self.client, cast.alpha["coordinator"])
        url = reverse("accounts:home")
        self.client.get(url)
        key = self.client.session.session_key
        before = SessionStore(session_key=key).get_expiry_date()
        with mock.patch("ruta.accounts.middleware.time.time", return_value=10**10):
            self.client.get(url)
        assert SessionStore(session_key=key).get_expiry_date() >= before

    def test_a_public_page_gets_no_session(self) -> None:
        response = self.client.get("/")
        assert "Set-Cookie" not in response.headers
