from __future__ import annotations

from datetime import timedelta

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
