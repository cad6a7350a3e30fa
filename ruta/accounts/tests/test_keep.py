"""No lost work: the keep token, the kept form, the keep-alive ping and the 12-hour limit."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone

from ruta.accounts import actions, keep
from ruta.accounts.middleware import LOGIN_AT
from ruta.accounts.models import KeptForm
from ruta.audit.models import AccessEvent
from ruta.cases.models import Case
from ruta.jobs.schedule import SCHEDULE
from ruta.testing.cast import BaseTestCase

FORM = "/casos/nuevo/"
NARRATIVE = "Relato de prueba: la sobreviviente contó lo ocurrido el martes en el mercado"


def post_form(client: Client, path: str, data: dict[str, Any]) -> Any:
    """Post as a browser posts a form without files."""
    from urllib.parse import urlencode

    return client.post(path, urlencode(data), content_type="application/x-www-form-urlencoded")


def _raw_kept_rows() -> list[str]:
    with connection.cursor() as cur:
        cur.execute(f"SELECT * FROM {KeptForm._meta.db_table}")  # noqa: S608 (a table name, not input)
        return [" ".join(str(c) for c in row) for row in cur.fetchall()]


class KeepTokenTest(BaseTestCase):
    def test_a_token_names_its_user_form_and_expiry(self) -> None:
        token = keep.read_token(keep.make_token(7, FORM), FORM)
        assert token.user_id == 7 and token.path == FORM
        assert token.expires_at - time.time() > settings.RUTA_SESSION_ABSOLUTE_HOURS * 3600 - 5

    def test_a_tampered_token_is_refused(self) -> None:
        value = keep.make_token(7, FORM)
        forged = value.replace(value.split(":")[0], keep.make_token(8, FORM).split(":")[0])
        for bad in (forged, value[:-2] + "xx", "", "nonsense"):
            try:
                keep.read_token(bad, FORM)
            except keep.InvalidKeepToken:
                continue
            raise AssertionError(f"accepted {bad!r}")

    def test_an_expired_token_is_refused(self) -> None:
        value = keep.make_token(7, FORM, now=time.time() - keep.token_lifetime_seconds() - 1)
        try:
            keep.read_token(value, FORM)
        except keep.InvalidKeepToken as e:
            assert str(e) == "expired"
        else:
            raise AssertionError("an expired token was accepted")

    def test_a_token_is_good_only_for_its_own_form(self) -> None:
        try:
            keep.read_token(keep.make_token(7, FORM), "/casos/C-1/seguimiento/")
        except keep.InvalidKeepToken as e:
            assert str(e) == "another form"
        else:
            raise AssertionError("a token of another form was accepted")

    def test_passwords_and_tokens_are_never_kept(self) -> None:
        from django.http import QueryDict

        post = QueryDict(mutable=True)
        post.update({"csrfmiddlewaretoken": "x", "_ruta_keep": "t", "old_password": "p", "new_password1": "p",
                     "i-narrative": NARRATIVE})
        assert keep.form_fields(post) == {"i-narrative": [NARRATIVE]}


class KeptFormTest(BaseTestCase):
    def _expired_post(self, user: Any, data: dict[str, Any] | None = None, path: str = FORM,
                      client: Client | None = None) -> Any:
        """``user`` opened the form, the session ended, the form is posted (as a browser does)."""
        token = keep.make_token(user.pk, path)
        return post_form(client or self.client, path,
                         {"i-narrative": NARRATIVE, "s-first_names": "Rosa", keep.FIELD: token, **(data or {})})

    def test_a_form_posted_after_the_session_ended_is_kept_and_the_login_says_so(self) -> None:
        r = self._expired_post(self.caseworker)
        assert r.status_code == 302
        assert r["Location"].startswith("/entrar/?") and "guardado=si" in r["Location"]
        assert "next=%2Fcasos%2Fnuevo%2F" in r["Location"]
        kept = KeptForm.objects.get(user=self.caseworker)
        assert keep.decode(kept.data)["i-narrative"] == [NARRATIVE]
        assert timedelta(minutes=59) < kept.expires_at - timezone.now() <= timedelta(minutes=60)
        page = self.client.get(r["Location"]).content.decode()
        assert "Tu sesión terminó por inactividad" in page
        assert "Lo que escribiste está guardado" in page

    def test_the_kept_form_is_encrypted_in_the_database(self) -> None:
        self._expired_post(self.caseworker)
        rows = _raw_kept_rows()
        assert len(rows) == 1
        assert "Relato" not in rows[0] and "Rosa" not in rows[0] and "mercado" not in rows[0]

    def test_keeping_works_with_the_csrf_check_on_and_without_its_token(self) -> None:
        csrf_client = Client(enforce_csrf_checks=True)
        r = self._expired_post(self.caseworker, client=csrf_client)
        assert r.status_code == 302 and KeptForm.objects.filter(user=self.caseworker).exists()

    def test_a_live_session_still_needs_the_csrf_token_even_with_a_keep_token(self) -> None:
        # The user logged in again in another tab (a new CSRF token) and sends the old tab's
        # form: it is kept and filled back in, never applied.
        csrf_client = Client(enforce_csrf_checks=True)
        self.client = csrf_client
        self.login(self.caseworker)
        r = self._expired_post(self.caseworker, client=csrf_client)
        assert r.status_code == 302 and r["Location"] == FORM
        assert not Case.objects.exists()
        page = csrf_client.get(FORM).content.decode()
        assert "mercado" in page and "está de vuelta en este formulario" in page
        assert not KeptForm.objects.exists()

    def test_a_live_session_without_the_csrf_token_or_a_keep_token_is_refused(self) -> None:
        csrf_client = Client(enforce_csrf_checks=True)
        csrf_client.force_login(self.facilitator)
        r = csrf_client.post("/programa/", {"notes": "x"})
        assert r.status_code == 403 and "No se pudo enviar" in r.content.decode()
        assert not KeptForm.objects.exists()

    def test_a_keep_token_of_another_user_does_not_pass_the_csrf_check(self) -> None:
        csrf_client = Client(enforce_csrf_checks=True)
        csrf_client.force_login(self.facilitator)
        token = keep.make_token(self.caseworker.pk, FORM)
        r = post_form(csrf_client, FORM, {"i-narrative": NARRATIVE, keep.FIELD: token})
        assert r.status_code == 403 and not KeptForm.objects.exists()

    def test_keeping_is_written_to_the_access_log_without_the_content(self) -> None:
        self._expired_post(self.caseworker)
        event = AccessEvent.objects.get(action=actions.FORM_KEPT)
        assert event.actor_id == self.caseworker.pk
        assert event.detail["form"] == FORM
        assert "Relato" not in json.dumps(event.detail) and "Rosa" not in json.dumps(event.detail)

    def test_forms_with_files_are_not_kept_and_their_body_is_left_to_the_view(self) -> None:
        upload = SimpleUploadedFile("denuncia-rosa.pdf", b"%PDF-1.4 secreto")
        token = keep.make_token(self.caseworker.pk, FORM)
        r = self.client.post(FORM, {"i-narrative": NARRATIVE, keep.FIELD: token, "attachment": upload})
        assert r.status_code == 302 and "guardado" not in r["Location"] and "sesion=" not in r["Location"]
        assert not KeptForm.objects.exists()

    def test_a_tampered_token_keeps_nothing_and_says_so(self) -> None:
        token = keep.make_token(self.caseworker.pk, FORM)
        r = post_form(self.client, FORM, {"i-narrative": NARRATIVE, keep.FIELD: token[:-3] + "abc"})
        assert r.status_code == 302 and "guardado=no" in r["Location"]
        assert not KeptForm.objects.exists()
        assert "no se pudo guardar" in self.client.get(r["Location"]).content.decode()

    def test_an_expired_token_keeps_nothing(self) -> None:
        token = keep.make_token(self.caseworker.pk, FORM, now=time.time() - keep.token_lifetime_seconds() - 1)
        r = post_form(self.client, FORM, {"i-narrative": NARRATIVE, keep.FIELD: token})
        assert "guardado=no" in r["Location"] and not KeptForm.objects.exists()

    def test_a_token_of_another_form_keeps_nothing(self) -> None:
        token = keep.make_token(self.caseworker.pk, "/casos/C-1/seguimiento/")
        r = post_form(self.client, FORM, {"i-narrative": NARRATIVE, keep.FIELD: token})
        assert "guardado=no" in r["Location"] and not KeptForm.objects.exists()

    def test_the_kept_form_comes_back_filled_in_after_a_full_login_and_is_then_deleted(self) -> None:
        self._expired_post(self.caseworker)
        self.login(self.caseworker)
        r = self.client.get(FORM)
        assert r.status_code == 200
        page = r.content.decode()
        assert 'id="ruta-kept-form"' in page and "mercado" in page
        assert "está de vuelta en este formulario" in page
        assert not KeptForm.objects.exists()
        assert not Case.objects.exists()  # filled in, never sent
        event = AccessEvent.objects.get(action=actions.FORM_RESTORED)
        assert event.actor_id == self.caseworker.pk and "mercado" not in json.dumps(event.detail)
        # Once: the next visit is an empty form.
        assert "ruta-kept-form" not in self.client.get(FORM).content.decode()

    def test_nothing_comes_back_before_the_second_factor(self) -> None:
        self._expired_post(self.caseworker)
        self.login(self.caseworker, verified=False)
        r = self.client.get(FORM)
        assert r.status_code == 302 and r["Location"].startswith("/entrar/codigo/?next=")
        assert KeptForm.objects.filter(user=self.caseworker).exists()

    def test_another_user_never_gets_the_kept_form(self) -> None:
        self._expired_post(self.caseworker)
        other = self.cast.alpha["case_supervisor"]
        self.login(other)
        page = self.client.get(FORM).content.decode()
        assert "ruta-kept-form" not in page and "mercado" not in page
        assert KeptForm.objects.filter(user=self.caseworker).exists()

    def test_a_form_posted_by_someone_else_after_login_is_refused_and_not_kept(self) -> None:
        other = self.cast.alpha["case_supervisor"]
        self.login(other)
        r = self._expired_post(self.caseworker)
        assert r.status_code == 403
        assert "sesión de otra persona" in r.content.decode()
        assert not KeptForm.objects.exists() and not Case.objects.exists()
        assert AccessEvent.objects.filter(action=actions.FORM_NOT_KEPT, actor=other).exists()

    def test_a_later_post_of_the_same_form_replaces_the_kept_one(self) -> None:
        self._expired_post(self.caseworker)
        self._expired_post(self.caseworker, {"i-narrative": "segunda versión"})
        [kept] = KeptForm.objects.filter(user=self.caseworker)
        assert keep.decode(kept.data)["i-narrative"] == ["segunda versión"]

    def test_a_user_keeps_at_most_ten_forms(self) -> None:
        for n in range(actions.MAX_KEPT_PER_USER + 3):
            actions.keep_form(self.caseworker, f"/casos/C-{n}/seguimiento/", {"notes": ["x"]})
        assert KeptForm.objects.filter(user=self.caseworker).count() == actions.MAX_KEPT_PER_USER

    def test_a_huge_form_is_not_kept(self) -> None:
        r = self._expired_post(self.caseworker, {"i-narrative": "x" * (keep.MAX_CHARS + 1)})
        assert "guardado=no" in r["Location"] and not KeptForm.objects.exists()

    def test_the_schedule_deletes_kept_forms_after_their_hour(self) -> None:
        from ruta.accounts.tasks import delete_expired_kept_forms_task
        from ruta.testing.jobs import run_queue

        assert "ruta.accounts.tasks.delete_expired_kept_forms_task" in {p.task for p in SCHEDULE}
        self._expired_post(self.caseworker)
        actions.keep_form(self.facilitator, "/programa/", {"notes": ["x"]})
        KeptForm.objects.filter(user=self.caseworker).update(expires_at=timezone.now() - timedelta(seconds=1))
        delete_expired_kept_forms_task.enqueue()
        run_queue()
        assert list(KeptForm.objects.values_list("user", flat=True)) == [self.facilitator.pk]
        event = AccessEvent.objects.get(action=actions.KEPT_FORMS_DELETED)
        assert event.detail == {"count": 1}

    def test_an_expired_kept_form_is_never_given_back(self) -> None:
        self._expired_post(self.caseworker)
        KeptForm.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
        self.login(self.caseworker)
        assert "ruta-kept-form" not in self.client.get(FORM).content.decode()


class SessionLimitTest(BaseTestCase):
    def _age_login(self, seconds: int) -> None:
        session = self.client.session
        session[LOGIN_AT] = int(time.time()) - seconds
        session.save()

    def test_a_session_ends_twelve_hours_after_login_whatever_the_activity(self) -> None:
        self.login(self.facilitator)
        self._age_login(12 * 3600 - 60)
        assert self.client.post("/sesion/seguir/").status_code == 200
        assert self.client.get("/panel/").status_code == 200
        self._age_login(12 * 3600)
        r = self.client.get("/panel/")
        assert r.status_code == 302 and "sesion=limite" in r["Location"]
        assert "pasaron 12 horas" in self.client.get(r["Location"]).content.decode()
        assert self.client.get("/panel/").status_code == 302  # logged out for good

    def test_a_form_posted_after_the_twelve_hours_is_kept(self) -> None:
        self.login(self.caseworker)
        self._age_login(12 * 3600 + 5)
        token = keep.make_token(self.caseworker.pk, FORM)
        r = post_form(self.client, FORM, {"i-narrative": NARRATIVE, keep.FIELD: token})
        assert "sesion=limite" in r["Location"] and "guardado=si" in r["Location"]
        assert not Case.objects.exists() and KeptForm.objects.filter(user=self.caseworker).exists()

    def test_an_idle_session_sends_to_the_login_with_the_reason(self) -> None:
        self.login(self.facilitator)
        Session.objects.filter(pk=self.client.session.session_key).update(
            expire_date=timezone.now() - timedelta(seconds=1))
        r = self.client.get("/panel/")
        assert "sesion=inactividad" in r["Location"]
        assert "Tu sesión terminó por inactividad" in self.client.get(r["Location"]).content.decode()

    def test_the_login_page_without_a_reason_says_nothing_of_sessions(self) -> None:
        page = self.client.get("/entrar/?sesion=<script>&guardado=quizas").content.decode()
        assert "Tu sesión terminó" not in page and "<script>&" not in page


class SessionPingTest(BaseTestCase):
    def test_the_ping_pushes_the_idle_expiry_forward(self) -> None:
        self.login(self.facilitator)
        key = self.client.session.session_key
        Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=2))
        r = self.client.post("/sesion/seguir/")
        assert r.status_code == 200
        assert r.json()["idle"] == settings.SESSION_COOKIE_AGE
        left = Session.objects.get(pk=key).expire_date - timezone.now()
        assert left > timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)

    def test_the_ping_needs_post_and_the_csrf_token(self) -> None:
        self.login(self.facilitator)
        assert self.client.get("/sesion/seguir/").status_code == 405
        csrf_client = Client(enforce_csrf_checks=True)
        csrf_client.force_login(self.facilitator)
        assert csrf_client.post("/sesion/seguir/").status_code == 403

    def test_the_ping_does_not_revive_an_ended_session(self) -> None:
        r = self.client.post("/sesion/seguir/")
        assert r.status_code == 302 and r["Location"].startswith("/entrar/")

    def test_staff_pages_carry_the_keep_token_and_the_warning(self) -> None:
        self.login(self.caseworker)
        page = self.client.get(FORM).content.decode()
        assert 'name="ruta-session"' in page and 'role="alertdialog"' in page and "Continuar" in page
        token = page.split('data-token="')[1].split('"')[0]
        assert keep.read_token(token, FORM).user_id == self.caseworker.pk

    def test_public_pages_carry_no_keep_token(self) -> None:
        assert 'name="ruta-session"' not in self.client.get("/entrar/").content.decode()

    def test_a_page_counts_the_idle_time_from_the_sessions_last_save(self) -> None:
        from ruta.accounts.context_processors import session_times

        self.login(self.facilitator)
        session = self.client.session
        session["_refreshed_at"] = int(time.time()) - 20
        session.save()
        r = self.client.get("/panel/")
        assert session_times(r.wsgi_request, saved=False)["idle"] <= settings.SESSION_COOKIE_AGE - 19
        page = r.content.decode()
        idle = int(page.split('data-idle="')[1].split('"')[0])
        assert settings.SESSION_COOKIE_AGE - 25 <= idle <= settings.SESSION_COOKIE_AGE - 19
