from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import override_settings

from ruta.audit.models import AccessEvent
from ruta.testing.cast import BaseTestCase

PASSWORD = "correct horse battery"


class LockoutTest(BaseTestCase):
    def _attempt(self, username: str, password: str = "wrong", **meta: Any):  # type: ignore[no-untyped-def]  # noqa: S107
        return self.client.post("/entrar/", {"username": username, "password": password}, **meta)

    def _lock(self, username: str, **meta: str) -> None:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            self._attempt(username, **meta)

    def test_bad_logins_for_made_up_names_do_not_block_anyone_else(self) -> None:
        for i in range(settings.AXES_FAILURE_LIMIT + 2):
            self._attempt(f"nobody{i}")
        r = self._attempt("felipe", PASSWORD)
        assert r.status_code == 302 and r["Location"] == "/panel/"

    def test_a_named_user_is_not_locked_out_by_someone_elsewhere(self) -> None:
        self._lock("felipe", REMOTE_ADDR="198.51.100.7")
        assert self._attempt("felipe", PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 302

    def test_the_pair_is_locked_after_the_limit(self) -> None:
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert self._attempt("felipe").status_code == 200
        assert self._attempt("felipe").status_code == 429
        assert self._attempt("felipe", PASSWORD).status_code == 429

    @override_settings(RUTA_BEHIND_PROXY=True, RUTA_PROXY_COUNT=1)
    def test_behind_a_proxy_clients_are_counted_apart(self) -> None:
        self._lock("felipe", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
        assert self._attempt("felipe", PASSWORD, REMOTE_ADDR="127.0.0.1",
                             HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
        r = self._attempt("felipe", PASSWORD, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
        assert r.status_code == 302

    @override_settings(RUTA_BEHIND_PROXY=True, RUTA_PROXY_COUNT=1)
    def test_a_forged_forwarded_address_does_not_escape_the_lock(self) -> None:
        # The proxy appends the address it saw; what the client wrote before it is ignored.
        self._lock("felipe", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
        r = self._attempt("felipe", PASSWORD, REMOTE_ADDR="127.0.0.1",
                          HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.7")
        assert r.status_code == 429

    def test_without_a_proxy_the_forwarded_header_is_ignored(self) -> None:
        self._lock("felipe", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="192.0.2.1")
        r = self._attempt("felipe", PASSWORD, REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="192.0.2.99")
        assert r.status_code == 429

    def test_a_lockout_is_written_to_the_access_log_once(self) -> None:
        self._lock("felipe")
        self._attempt("felipe")  # a failure during the lockout is not a new lockout
        events = AccessEvent.objects.filter(action="login_locked_out")
        assert list(events.values_list("detail", flat=True)) == [{"username": "felipe"}]


class LiftLockoutTest(BaseTestCase):
    def _lock(self, username: str) -> None:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            self.client.post("/entrar/", {"username": username, "password": "wrong"})

    def test_a_case_supervisor_lifts_a_lockout_and_it_is_logged(self) -> None:
        self._lock("felipe")
        self.login(self.case_supervisor)
        page = self.client.get("/bloqueos/").content.decode()
        assert "felipe" in page and "127.0.0.1" not in page
        from axes.models import AccessAttempt

        attempt = AccessAttempt.objects.get(username="felipe")
        r = self.client.post(f"/bloqueos/{attempt.pk}/levantar/")
        assert r.status_code == 302
        assert not AccessAttempt.objects.filter(username="felipe").exists()
        event = AccessEvent.objects.get(action="login_lockout_lifted")
        assert event.actor == self.case_supervisor and event.detail == {"username": "felipe"}
        self.client.logout()
        r = self.client.post("/entrar/", {"username": "felipe", "password": PASSWORD})
        assert r.status_code == 302 and r["Location"] == "/panel/"

    def test_a_lockout_spread_over_several_browsers_is_listed_and_lifted_whole(self) -> None:
        for i in range(settings.AXES_FAILURE_LIMIT):
            self.client.post("/entrar/", {"username": "felipe", "password": "wrong"}, HTTP_USER_AGENT=f"ua{i}")
        r = self.client.post("/entrar/", {"username": "felipe", "password": PASSWORD}, HTTP_USER_AGENT="ua0")
        assert r.status_code == 429
        self.login(self.admin)
        page = self.client.get("/en/bloqueos/").content.decode()
        assert page.count("Lift the lockout") == 1
        from axes.models import AccessAttempt

        first = AccessAttempt.objects.filter(username="felipe").order_by("id").first()
        assert first is not None
        assert self.client.post(f"/bloqueos/{first.pk}/levantar/").status_code == 302
        assert not AccessAttempt.objects.filter(username="felipe").exists()

    def test_the_page_reads_in_english_too(self) -> None:
        self._lock("felipe")
        self.login(self.admin)
        page = self.client.get("/en/bloqueos/").content.decode()
        assert "Locked-out logins" in page and "felipe" in page

    def test_a_supervisor_sees_only_their_organisations_users(self) -> None:
        self._lock("beta_felipe")
        self._lock("nobody")
        self.login(self.case_supervisor)
        page = self.client.get("/bloqueos/").content.decode()
        assert "beta_felipe" not in page and "nobody" not in page
        from axes.models import AccessAttempt

        attempt = AccessAttempt.objects.get(username="beta_felipe")
        assert self.client.post(f"/bloqueos/{attempt.pk}/levantar/").status_code == 404
        assert AccessAttempt.objects.filter(username="beta_felipe").exists()

    def test_an_administrator_sees_every_lockout(self) -> None:
        self._lock("nobody")
        self.login(self.admin)
        assert "nobody" in self.client.get("/bloqueos/").content.decode()

    def test_other_roles_are_refused(self) -> None:
        self._lock("felipe")
        from axes.models import AccessAttempt

        attempt = AccessAttempt.objects.get(username="felipe")
        for user in (self.caseworker, self.coordinator, self.facilitator):
            self.login(user)
            assert self.client.get("/bloqueos/").status_code in (403, 404)
            assert self.client.post(f"/bloqueos/{attempt.pk}/levantar/").status_code in (403, 404)
        assert AccessAttempt.objects.filter(username="felipe").exists()


class LoginRecordsTest(BaseTestCase):
    def test_login_records_are_deleted_after_their_days_and_the_deletion_is_audited(self) -> None:
        import datetime as dt

        from axes.models import AccessAttempt, AccessFailureLog, AccessLog
        from django.utils import timezone

        from ruta.accounts.actions import LOGIN_RECORDS_DELETED, prune_login_records

        self.client.post("/entrar/", {"username": "nadie", "password": "wrong"})
        self.client.post("/entrar/", {"username": "felipe", "password": PASSWORD})
        assert AccessLog.objects.exists() and AccessAttempt.objects.exists()
        now = timezone.now()
        assert prune_login_records(now) == 0  # today's are kept
        later = now + dt.timedelta(days=settings.RUTA_LOGIN_RECORD_DAYS, minutes=1)
        assert prune_login_records(later) > 0
        assert not AccessLog.objects.exists() and not AccessFailureLog.objects.exists()
        assert not AccessAttempt.objects.exists()
        assert AccessEvent.objects.filter(action=LOGIN_RECORDS_DELETED).count() == 1
