"""Each instance keeps its files to itself: RUTA_HOME is 0700, what Ruta writes there 0600,
and gunicorn's control socket lives in RUTA_HOME (not one per machine user)."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from ruta.testing.browser import gunicorn, manage, new_instance


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(scope="module")
def instance() -> Iterator[tuple[dict[str, str], int]]:
    """A fresh instance: `migrate` and `collectstatic` ran in a subprocess."""
    with new_instance("ruta-files-", demo=False) as (env, port):
        yield env, port


def test_ruta_home_and_everything_written_in_it_are_private(instance: tuple[dict[str, str], int]) -> None:
    env, _port = instance
    home = Path(env["RUTA_HOME"])
    home.chmod(0o755)  # as an operator's `mkdir` leaves it; Ruta closes it at start
    manage(env, "shell", "-c", "from django.core.files.base import ContentFile; "
           "from django.core.files.storage import default_storage; "
           "default_storage.save('imports/upload.csv', ContentFile(b'a,b'))")
    assert _mode(home) == 0o700
    written = [p for p in home.rglob("*") if p.name != "gunicorn.ctl"]
    assert {"ruta.sqlite3", "secret_key", "encryption_keys", "search_key", "upload.csv"} <= {p.name for p in written}
    for path in written:
        assert _mode(path) == (0o700 if path.is_dir() else 0o600), path.relative_to(home)


def test_gunicorn_keeps_its_control_socket_in_ruta_home(instance: tuple[dict[str, str], int]) -> None:
    env, port = instance
    with gunicorn(env, port, workers=1):
        socket_path = Path(env["RUTA_HOME"]) / "gunicorn.ctl"
        assert socket_path.is_socket()
        assert _mode(socket_path) == 0o600
