"""``python -m ruta.serve`` (what ``./run`` ends with): web and worker side by side."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ruta.testing.browser import ROOT, manage, new_instance

pytestmark = pytest.mark.xdist_group("serve")


def _children(pid: int) -> dict[int, str]:
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found[int(stat.parent.name)] = cmdline
    return found


def _worker_pid(supervisor: int) -> int | None:
    return next((pid for pid, cmd in _children(supervisor).items() if "run_worker" in cmd), None)


def _wait(condition, seconds: float = 20):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("timed out")


ENQUEUE = """
from ruta.jobs.actions import submit
from ruta.jobs.tests import work
from django.db import transaction
with transaction.atomic():
    job = submit(work.count, kind="jobs.count", user=None)
print(job.pk)
"""
STATUS = "import sys; from ruta.jobs.models import Job; print(Job.objects.get(pk=sys.argv[-1]).status)"


def test_the_worker_runs_beside_gunicorn_restarts_and_both_stop_on_sigterm() -> None:
    with new_instance("ruta-serve-", demo=False) as (env, port):
        command = [sys.executable, "-m", "ruta.serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
        quiet = subprocess.DEVNULL
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=quiet, stderr=quiet,  # noqa: S603
                                start_new_session=True)
        try:
            def healthy() -> bool:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=1) as r:  # noqa: S310
                        return bool(json.load(r)["status"] == "ok")
                except OSError:
                    return False

            _wait(healthy)
            first = _wait(lambda: _worker_pid(proc.pid))
            job_id = manage(env, "shell", "--no-imports", "-c", ENQUEUE).strip().splitlines()[-1]
            status = STATUS.replace("sys.argv[-1]", repr(job_id))
            _wait(lambda: manage(env, "shell", "--no-imports", "-c", status).strip() == "succeeded")

            os.kill(first, signal.SIGKILL)
            second = _wait(lambda: (pid := _worker_pid(proc.pid)) and pid != first and pid)
            assert second != first

            web = [pid for pid, cmd in _children(proc.pid).items() if "gunicorn" in cmd]
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=20) == 0
            for pid in [second, *web]:
                _wait(lambda pid=pid: not Path(f"/proc/{pid}").exists() or "zombie" in Path(
                    f"/proc/{pid}/status").read_text().lower(), 15)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # whatever is left of the group

