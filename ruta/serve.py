"""Serve Ruta: gunicorn for the web and ``manage.py run_worker`` for background work, side by side.

``./run`` ends with ``python -m ruta.serve``. The worker is started again whenever it exits
(after a pause, so a worker that cannot start does not spin); SIGINT or SIGTERM stops both,
and so does gunicorn exiting. In production use two systemd units instead
(``docs/operations.md``).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from types import FrameType

RESTART_PAUSE = 2.0
STOP_GRACE = 10.0


def gunicorn_command(bind: str, workers: int, threads: int = 1) -> list[str]:
    """gunicorn with ``workers`` processes; with ``threads`` > 1 each runs that many threads
    (gunicorn's gthread worker), so a slow request (a login's password hash) does not hold
    every other request back."""
    return [sys.executable, "-m", "gunicorn", "ruta.wsgi", "-c", "ruta/gunicorn_conf.py", "--bind", bind,
            "--workers", str(workers), "--threads", str(threads),
            "--access-logfile", "-", "--access-logformat", '%(t)s "%(r)s" %(s)s %(b)s']


def worker_command() -> list[str]:
    return [sys.executable, "manage.py", "run_worker"]


class Supervisor:
    def __init__(self, web: list[str], worker: list[str]) -> None:
        self.web_command = web
        self.worker_command = worker
        self.stopping = False
        self.web: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def run(self) -> int:
        signal.signal(signal.SIGINT, self._stop)
        signal.signal(signal.SIGTERM, self._stop)
        self.web = subprocess.Popen(self.web_command)  # noqa: S603 (our own fixed command)
        self.worker = subprocess.Popen(self.worker_command)  # noqa: S603
        restart_at: float | None = None
        try:
            while not self.stopping:
                if self.web.poll() is not None:
                    sys.stderr.write("ruta.serve: the web server stopped; stopping the worker\n")
                    break
                if self.worker.poll() is not None:
                    if restart_at is None:
                        code = self.worker.returncode
                        sys.stderr.write(f"ruta.serve: the worker exited ({code}); starting it again\n")
                        restart_at = time.monotonic() + RESTART_PAUSE
                    elif time.monotonic() >= restart_at:
                        self.worker = subprocess.Popen(self.worker_command)  # noqa: S603
                        restart_at = None
                time.sleep(0.2)
        finally:
            self._terminate()
        return 0 if self.stopping else 1

    def _terminate(self) -> None:
        running = [p for p in (self.worker, self.web) if p is not None and p.poll() is None]
        for process in running:
            process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bind", default=f"127.0.0.1:{os.environ.get('PORT', '8000')}")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))
    args = parser.parse_args(argv)
    return Supervisor(gunicorn_command(args.bind, args.workers, args.threads), worker_command()).run()


if __name__ == "__main__":
    sys.exit(main())
