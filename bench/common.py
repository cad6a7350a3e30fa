"""Shared pieces for benchmarks: percentiles, a throw-away instance's environment (a served
instance: ``ruta.testing.browser.new_instance`` and ``gunicorn``) and a throw-away database on
the local PostgreSQL."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    s = sorted(samples_ms)
    q = statistics.quantiles(s, n=100, method="inclusive") if len(s) > 1 else [s[0]] * 99
    return {"p50": q[49], "p95": q[94], "max": s[-1], "n": len(s)}


def instance_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update({"RUTA_HOME": str(home), "RUTA_DEMO": "true", "DEBUG": "false", "SECURE_COOKIES": "false",
                "SECURE_SSL_REDIRECT": "false", "DATABASE_URL": f"sqlite:///{home / 'ruta.sqlite3'}"})
    env.update(extra)
    return env


POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def fresh_postgres(name: str) -> str:
    """Database ``name`` on the local PostgreSQL, dropped and created empty; its URL."""
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def drop_postgres(name: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")


def init_keys(env: dict[str, str], code: Path = ROOT) -> None:
    """``manage.py init_keys`` where the commit has it (a baseline such as 47cfea4 made its keys
    on first use, before the command existed)."""
    if (code / "ruta" / "keys" / "management" / "commands" / "init_keys.py").exists():
        subprocess.run([sys.executable, "manage.py", "init_keys"], cwd=code, env=env, check=True, capture_output=True)
