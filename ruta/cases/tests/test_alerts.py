from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ruta.cases import actions
from ruta.cases.alerts import send_due_alerts
from ruta.cases.tests.factories import DOCUMENT, FAMILY, NAME, PHONE, CaseTestCase, make_case, make_referral


class AlertTest(CaseTestCase):
    def setUp(self) -> None:
        self.caseworker.email = "gina@example.org"
        self.caseworker.save()
        self.case = make_case(self.caseworker)

    def test_alerts_are_sent_once_with_only_a_link_and_the_code(self) -> None:
        make_referral(self.case, self.caseworker, hours=3)
        call_command("send_due_alerts")
        call_command("send_due_alerts")
        assert len(mail.outbox) == 1
        msg = mail.outbox[0]
        assert msg.to == ["gina@example.org"]
        assert self.case.code in msg.body and f"/casos/{self.case.code}/" in msg.body
        for secret in (NAME, FAMILY, PHONE, DOCUMENT, self.case.survivor.code, "Texto de prueba", "health"):
            assert secret not in msg.body and secret not in msg.subject

    def test_nothing_is_sent_for_what_is_not_due_yet(self) -> None:
        make_referral(self.case, self.caseworker, hours=48)
        call_command("send_due_alerts")
        assert mail.outbox == []

    def test_an_alert_due_soon_is_followed_by_one_overdue_alert(self) -> None:
        ref = make_referral(self.case, self.caseworker, hours=3)
        now = timezone.now()
        assert send_due_alerts(now, 24) == 1
        assert send_due_alerts(now + timedelta(hours=2), 24) == 0
        assert send_due_alerts(now + timedelta(hours=4), 24) == 1
        assert send_due_alerts(now + timedelta(hours=8), 24) == 0
        ref.refresh_from_db()
        # A new deadline gets its own alerts.
        actions.update_referral(self.caseworker, ref, expected_version=ref.version, status="accepted",
                                due_at=now + timedelta(hours=10), outcome=None)
        assert send_due_alerts(now + timedelta(hours=8), 24) == 1

    def test_a_run_that_lost_the_race_sends_nothing(self) -> None:
        # Another run claimed the alert between our read and our update: the optimistic lock sees it.
        ref = make_referral(self.case, self.caseworker, hours=3)
        from ruta.cases.models import Referral

        real_filter = Referral.objects.filter

        def racing_filter(*args, **kwargs):  # type: ignore[no-untyped-def]
            if "alert_stage" in kwargs and "pk" in kwargs:
                real_filter(pk=ref.pk).update(alert_stage=1)  # the other run got there first
            return real_filter(*args, **kwargs)

        with mock.patch.object(Referral.objects, "filter", side_effect=racing_filter):
            assert send_due_alerts(timezone.now(), 24) == 0
        assert mail.outbox == []

    def test_a_failed_send_is_retried_by_the_next_run(self) -> None:
        make_referral(self.case, self.caseworker, hours=3)
        with mock.patch("ruta.cases.alerts.send_mail", side_effect=OSError("smtp down")):
            assert send_due_alerts(timezone.now(), 24) == 0
        assert send_due_alerts(timezone.now(), 24) == 1
        assert len(mail.outbox) == 1

    def test_assigned_workers_hear_too_and_followups_count(self) -> None:
        helper = self.cast.alpha["caseworker"]
        assert helper == self.caseworker
        actions.record_followup(self.caseworker, self.case, done_on=timezone.localdate(), note="",
                                next_at=timezone.now() - timedelta(minutes=5))
        assert send_due_alerts(timezone.now(), 24) == 1
        assert "Vencido" in mail.outbox[0].body or "Overdue" in mail.outbox[0].body
        assert send_due_alerts(timezone.now(), 24) == 0


class ScheduledAlertsTest(CaseTestCase):
    def test_cron_runs_the_schedule_with_one_command(self) -> None:
        from django_tasks_db.models import DBTaskResult

        from ruta.jobs import schedule
        from ruta.testing.jobs import run_schedule

        worker = self.caseworker
        worker.email = "gina@example.org"
        worker.save()
        make_referral(make_case(worker), worker, hours=3)
        run_schedule()
        assert len(mail.outbox) == 1
        assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == len(schedule.SCHEDULE)
        run_schedule()  # nothing due again, nothing sent twice
        assert len(mail.outbox) == 1
