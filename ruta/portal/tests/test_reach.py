"""Reach without tracking: views counted in memory per page and day, written at most once a
minute by a background thread, never by a public GET; shown with the disclosure control."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ruta.portal import reach
from ruta.portal.models import PageViewDay
from ruta.testing.cast import BaseTestCase


@pytest.fixture(autouse=True)
def _empty() -> None:
    reach.take()


@pytest.mark.django_db
def test_a_public_get_counts_in_memory_and_writes_nothing(client: Client) -> None:
    with CaptureQueriesContext(connection) as queries:
        client.get("/si-te-paso/")
        client.get("/en/si-te-paso/")
    writes = [q["sql"] for q in queries.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == [] and not PageViewDay.objects.exists()
    assert reach.take() == {(timezone.localdate(), "es:si-te-paso"): 1, (timezone.localdate(), "en:si-te-paso"): 1}


@pytest.mark.django_db
def test_flush_adds_to_the_days_count() -> None:
    for _ in range(3):
        reach.count("es:inicio")
    assert reach.flush() == 3
    reach.count("es:inicio")
    reach.flush()
    assert PageViewDay.objects.get(page="es:inicio").views == 4
    assert reach.flush() == 0


def test_the_count_keeps_nothing_about_the_visitor() -> None:
    reach.count("es:inicio")
    assert set(reach.take()) == {(timezone.localdate(), "es:inicio")}


class ReachPageTests(BaseTestCase):
    def test_the_coordinator_sees_views_beside_reach_with_small_counts_hidden(self) -> None:
        today = timezone.localdate()
        PageViewDay.objects.create(day=today, page="es:si-te-paso", views=120)
        PageViewDay.objects.create(day=today, page="qu:si-te-paso", views=2)
        PageViewDay.objects.create(day=today, page="es:inicio", views=300)
        self.login(self.coordinator)
        body = self.client.get("/alcance-del-sitio/").content.decode()
        assert ">300<" in body and "&lt;5" in body and ">2<" not in body  # 120 may hide as "x" (complement)
        assert "Jóvenes alcanzados por el programa" in body

    def test_other_roles_are_refused(self) -> None:
        for user in (self.facilitator, self.caseworker, self.counsellor, self.donor):
            self.login(user)
            assert self.client.get("/alcance-del-sitio/").status_code == 403


def test_the_writer_thread_starts_once_when_enabled(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[object] = []

    class FakeThread:
        def __init__(self, **kwargs: object) -> None:
            started.append(kwargs)

        def start(self) -> None:
            pass

        def is_alive(self) -> bool:
            return True

    monkeypatch.setattr(reach, "START_THREAD", True)
    monkeypatch.setattr(reach, "_thread", None)
    monkeypatch.setattr(reach.threading, "Thread", FakeThread)
    reach.count("es:inicio")
    reach.count("es:inicio")
    assert len(started) == 1
