from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.db import DatabaseError
from django.test import TestCase
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ruta.api import health
from ruta.jobs.tests import work


class HealthTest(TestCase):
    url = "/api/v1/health"

    def test_it_answers_ok_when_everything_is_fine(self) -> None:
        response = self.client.get(self.url)
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "problems": {}}

    def test_it_answers_503_when_the_oldest_queued_task_waited_over_five_minutes(self) -> None:
        work.count.enqueue("00000000-0000-0000-0000-000000000000")
        assert self.client.get(self.url).status_code == 200  # just queued
        DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=6))
        response = self.client.get(self.url)
        assert response.status_code == 503
        assert "worker" in response.json()["problems"]["queue"]

    def test_it_answers_503_when_the_database_does_not_answer(self) -> None:
        with mock.patch("ruta.api.health.connection.cursor", side_effect=DatabaseError("gone")):
            response = self.client.get(self.url)
        assert response.status_code == 503
        assert list(response.json()["problems"]) == ["database"]

    def test_it_answers_503_when_a_migration_is_not_applied(self) -> None:
        health._migrations_checked = (0.0, None)
        with mock.patch("ruta.api.health.MigrationExecutor") as executor:
            executor.return_value.migration_plan.return_value = [("jobs", "0002_new")]
            response = self.client.get(self.url)
        health._migrations_checked = (0.0, None)
        assert response.status_code == 503
        assert "migrate" in response.json()["problems"]["migrations"]
