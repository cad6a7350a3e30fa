"""Each instance keeps its files to itself: RUTA_HOME is 0700, what Ruta writes there 0600,
and gunicorn's control socket lives in RUTA_HOME (not one per machine user)."""

from __future__ import annotations

import stat
from pathlib import Path

from ruta.testing.browser import gunicorn, new_instance


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_gunicorn_keeps_its_control_socket_in_ruta_home() -> None:
    with new_instance("ruta-ctl-", demo=False) as (env, port), gunicorn(env, port, workers=1):
        socket_path = Path(env["RUTA_HOME"]) / "gunicorn.ctl"
        assert socket_path.is_socket()
        assert _mode(socket_path) == 0o600
