"""gunicorn settings that belong to Ruta rather than to whoever starts it.

    gunicorn ruta.wsgi -c ruta/gunicorn_conf.py --bind 127.0.0.1:8000 --workers 2

gunicorn 25+ opens a control socket (for ``gunicornc``) at one path per machine user
(``$XDG_RUNTIME_DIR/gunicorn.ctl`` or ``~/.gunicorn/gunicorn.ctl``), so two instances would
share it and one could be driven through the other's. Each instance keeps its own in
``RUTA_HOME``, readable by its owner only.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # gunicorn reads this file before it imports the app
    sys.path.insert(0, str(ROOT))

from ruta.lib.env import envstr  # noqa: E402

# A Unix socket path longer than this does not fit in sockaddr_un (108 bytes with the NUL).
_MAX_SOCKET_PATH = 100

_home = Path(envstr("RUTA_HOME", str(ROOT / "var"))).resolve()
control_socket = str(_home / "gunicorn.ctl")
control_socket_mode = 0o600
# Rather no control socket than a shared one.
control_socket_disable = len(control_socket.encode()) > _MAX_SOCKET_PATH
