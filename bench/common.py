"""Shared pieces for benchmarks: a throw-away instance, a gunicorn, percentiles."""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    s = sorted(samples_ms)
    q = statistics.quantiles(s, n=100, method="inclusive") if len(s) > 1 else [s[0]] * 99
    return {"p50": q[49], "p95": q[94], "max": s[-1], "n": len(s)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def instance_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"RUTA_HOME": str(home), "RUTA_DEMO": "true", "DEBUG": "false", "SECURE_COOKIES": "false",
                "SECURE_SSL_REDIRECT": "false", "DATABASE_URL": f"sqlite:///{home / 'ruta.sqlite3'}"})
    env.update(extra)
    return env


@contextmanager
def demo_instance(**extra: str) -> Iterator[dict[str, str]]:
    """A migrated demo instance in a temporary folder; yields its environment."""
    home = Path(tempfile.mkdtemp(prefix="ruta-bench-"))
    env = instance_env(home, **extra)
    try:
        for args in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"], ["load_demo"]):
            subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                           stdout=subprocess.DEVNULL)
        yield env
    finally:
        shutil.rmtree(home, ignore_errors=True)


@contextmanager
def gunicorn(env: dict[str, str], workers: int = 2) -> Iterator[str]:
    port = free_port()
    exe = Path(sys.executable).parent / "gunicorn"
    proc = subprocess.Popen([str(exe), "ruta.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                             "--log-level", "warning"], cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/api/v1/health", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
