from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ruta.jobs import schedule
from ruta.jobs.models import ScheduleEntry


class ScheduleTest(TestCase):
    def test_every_periodic_job_is_a_task_that_exists(self) -> None:
        from django.utils.module_loading import import_string

        names = [entry.name for entry in schedule.SCHEDULE]
        assert len(names) == len(set(names))
        for entry in schedule.SCHEDULE:
            assert hasattr(import_string(entry.task), "enqueue"), entry.task
            assert entry.why

    def test_each_job_is_enqueued_once_per_period(self) -> None:
        now = timezone.now()
        first = schedule.tick(now)
        assert set(first) == {entry.name for entry in schedule.SCHEDULE}
        assert schedule.tick(now + timedelta(seconds=5)) == []  # still waiting, and not due
        DBTaskResult.objects.all().update(status="SUCCESSFUL")
        assert schedule.tick(now + timedelta(seconds=30)) == []  # not due yet
        assert schedule.tick(now + timedelta(minutes=1, seconds=1)) == ["due_alerts"]

    def test_a_job_still_waiting_is_not_enqueued_again(self) -> None:
        now = timezone.now()
        schedule.tick(now)
        assert schedule.tick(now + timedelta(hours=7)) == []
        assert DBTaskResult.objects.count() == len(schedule.SCHEDULE)

    def test_two_ticks_reading_the_same_row_enqueue_once(self) -> None:
        entry = schedule.SCHEDULE[0]
        past = timezone.now() - timedelta(hours=1)
        ScheduleEntry.objects.create(name=entry.name, last_enqueued_at=past)
        assert schedule._claim(entry, timezone.now())
        ScheduleEntry.objects.filter(name=entry.name).update(last_enqueued_at=past)  # as the other tick read it
        ScheduleEntry.objects.filter(name=entry.name).update(last_enqueued_at=timezone.now())
        assert not schedule._claim(entry, timezone.now())

    def test_cron_runs_the_schedule_with_one_command(self) -> None:
        from ruta.cases.tests.factories import make_case, make_referral
        from ruta.testing.cast import make_cast

        cast = make_cast()
        worker = cast.alpha["caseworker"]
        worker.email = "gina@example.org"
        worker.save()
        make_referral(make_case(worker), worker, hours=3)
        call_command("run_schedule")
        assert len(mail.outbox) == 1
        assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == len(schedule.SCHEDULE)
        call_command("run_schedule")  # nothing due again, nothing sent twice
        assert len(mail.outbox) == 1
