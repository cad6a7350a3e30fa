"""``python -m ruta.serve``'s gunicorn command line (the supervisor itself: ruta/jobs/tests/test_serve.py)."""

from __future__ import annotations

from ruta.serve import gunicorn_command


def test_workers_and_threads_are_passed_to_gunicorn() -> None:
    command = gunicorn_command("127.0.0.1:8000", 3, 4)
    assert command[command.index("--workers") + 1] == "3" and command[command.index("--threads") + 1] == "4"
    default = gunicorn_command("127.0.0.1:8000", 2)
    assert default[default.index("--threads") + 1] == "1"
