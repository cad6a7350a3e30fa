from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

pytest_plugins = ["ruta.testing.browser"]


def pytest_configure(config: Any) -> None:
    from django.conf import settings

    _test_keys(settings)

    # Tests run over plain HTTP with a fast hasher; production keeps the real ones.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    settings.WHITENOISE_AUTOREFRESH = True  # serve from the finders; no collectstatic needed


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """Django empties tables between transactional tests with TRUNCATE, which the access log
    refuses on PostgreSQL (audit migration 0004); the test database lets it through."""
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ALTER TABLE audit_accessevent DISABLE TRIGGER audit_accessevent_no_truncate")


def _test_keys(settings: Any) -> None:
    """The test home's keys, made on first use as ``init_keys`` would: tests run on their
    own database, so there is no data a new key could orphan (and none may be read here)."""
    from ruta.lib import keys

    keys.create_missing_key_files(settings.RUTA_HOME)
    for spec in keys.ALL:
        setattr(settings, spec.setting, keys.read_key(spec, settings.RUTA_HOME))


def _reference_loaders() -> list[Callable[[], None]]:
    """Every app's ``reference.load`` (the reference data its migrations load); an app that gets a
    ``reference.py`` adds its loader here."""
    from ruta.geo import reference as geo_reference
    from ruta.learning import reference as learning_reference
    from ruta.portal import reference as portal_reference
    from ruta.program import reference as program_reference

    return [geo_reference.load, program_reference.load, portal_reference.load_missing, learning_reference.load]


@pytest.fixture(autouse=True)
def _no_page_view_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """Page views stay in memory during tests: no background thread writes to the test database."""
    monkeypatch.setattr("ruta.portal.reach.START_THREAD", False)


@pytest.fixture(autouse=True)
def _private_audit_checkpoints(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """Each test keeps its own audit checkpoint file: the test processes share RUTA_HOME, and a
    checkpoint of one test's database is not a checkpoint of another's."""
    monkeypatch.setattr("ruta.audit.checkpoint.checkpoint_path", lambda: tmp_path / "audit_checkpoints.log")


@pytest.fixture(autouse=True)
def _default_language_after_each_test() -> Iterator[None]:
    """A request leaves its language active in the thread (LocaleMiddleware does not reset it):
    after a test that opened a Quechua page, ``reverse()`` in the next test would give /qu/ addresses."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _rate_limits_start_from_zero() -> None:
    from ruta.lib.ratelimit import reset_all

    reset_all()


@pytest.fixture(autouse=True)
def _reference_data_survives_flush(request: pytest.FixtureRequest, django_db_blocker: Any) -> Iterator[None]:
    """Transactional tests end with a flush that empties every table, including the
    reference data migrations loaded (UBIGEO, rules…); put it back for the next test."""
    yield
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
        f in request.fixturenames for f in ("transactional_db", "live_server")
    )
    cls = getattr(request, "cls", None)
    if cls is not None:
        from django.test import TestCase, TransactionTestCase

        transactional = transactional or (issubclass(cls, TransactionTestCase) and not issubclass(cls, TestCase))
    if transactional:
        with django_db_blocker.unblock():
            for load in _reference_loaders():
                load()
