"""The instance folder (RUTA_HOME) holds case data, keys and the access log: only the
account Ruta runs as may read it."""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_UMASK = 0o077  # files 0600, folders 0700


def private_home(home: Path) -> Path:
    """Create ``home`` 0700, close it if it is more open, and make everything this process
    creates from now on (SQLite and its -wal/-shm, keys, generated files) owner-only."""
    os.umask(PRIVATE_UMASK)
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    # A folder owned by another account is the operator's choice and cannot be changed.
    if home.stat().st_uid == os.geteuid():
        home.chmod(0o700)
    return home
