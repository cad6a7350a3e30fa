"""A restore rehearsal on a throw-away instance: back up while writes go on, wipe, restore.

Runs on the database ``./test`` runs on: SQLite, or (with a PostgreSQL ``DATABASE_URL``) a
new PostgreSQL database made for the test.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
import pytest

from ruta.testing.browser import ROOT, manage, new_instance

pytestmark = pytest.mark.xdist_group("backup")

POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")

WRITER = """
import time
from ruta.audit.actions import record_access
end = time.monotonic() + 4
n = 0
while time.monotonic() < end:
    record_access(None, "test.write", object_type="test", object_id=n)
    n += 1
print(n)
"""
FACTS = """
import json
from ruta.backups.archive import _decrypt_sample
from ruta.audit.actions import first_broken_link
from ruta.audit.checkpoint import checkpoint_problems
from ruta.cases.models import Survivor
print(json.dumps({"survivors": Survivor.objects.count(), "decrypts": _decrypt_sample(),
                  "broken": first_broken_link(), "checkpoints": checkpoint_problems(),
                  "names": sorted(s.given_names for s in Survivor.objects.all())}))
"""


@contextlib.contextmanager
def _database(env: dict[str, str]) -> Iterator[dict[str, str]]:
    if not POSTGRES:
        yield env
        return
    base = dj_database_url.parse(os.environ["DATABASE_URL"])
    name = f"ruta_backup_{uuid.uuid4().hex[:8]}"
    url = f"postgres://{base['USER']}@{base['HOST']}:{base['PORT']}/{name}"
    psql = ["psql", "-h", str(base["HOST"]), "-p", str(base["PORT"]), "-U", str(base["USER"]), "-d", "postgres", "-qc"]
    subprocess.run([*psql, f"CREATE DATABASE {name}"], check=True)  # noqa: S603
    try:
        yield {**env, "DATABASE_URL": url}
    finally:
        subprocess.run([*psql, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=False)  # noqa: S603


def _wipe(env: dict[str, str]) -> None:
    if POSTGRES:
        manage(env, "shell", "--no-imports", "-c",
               "from django.db import connection\n"
               "with connection.cursor() as c:\n"
               "    c.execute('DROP SCHEMA public CASCADE; CREATE SCHEMA public')")
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(env["RUTA_HOME"], "ruta.sqlite3" + suffix).unlink(missing_ok=True)


def _facts(env: dict[str, str]) -> dict[str, object]:
    return dict(json.loads(manage(env, "shell", "--no-imports", "-c", FACTS).strip().splitlines()[-1]))


@pytest.mark.skipif(POSTGRES and shutil.which("pg_dump") is None, reason="needs postgresql-client")
def test_backup_while_writing_then_wipe_and_restore(tmp_path: Path) -> None:
    with new_instance("ruta-backup-", demo=False) as (plain_env, _port), _database(plain_env) as env:
        if POSTGRES:
            manage(env, "migrate", "--no-input", "-v0")
        manage(env, "load_demo")
        before = _facts(env)
        assert before["survivors"] and before["decrypts"] and before["broken"] is None
        private = tmp_path / "backup-private.pem"
        manage(env, "backup_keys", str(private))
        assert oct(Path(env["RUTA_HOME"], "backup_public_key.pem").stat().st_mode)[-3:] == "600"

        writer = subprocess.Popen([sys.executable, "manage.py", "shell", "--no-imports", "-c", WRITER],  # noqa: S603
                                  cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        archive = tmp_path / "ruta.backup"
        out = manage(env, "backup", str(archive))
        written = int(writer.communicate(timeout=60)[0].strip().splitlines()[-1])
        assert writer.returncode == 0 and written > 0
        assert "Backup written" in out and archive.stat().st_size > 0
        names = before["names"]
        assert isinstance(names, list) and names
        assert b"given_names" not in archive.read_bytes() and names[0].encode() not in archive.read_bytes()
        assert not list(Path(env["RUTA_HOME"]).glob(".backup-*"))  # no plaintext left behind
        # A checkpoint taken after the backup names events the restore will roll back.
        manage(env, "shell", "--no-imports", "-c",
               "from ruta.audit.checkpoint import checkpoint_audit; checkpoint_audit()")

        _wipe(env)
        restored = manage(env, "restore", str(archive), "--key", str(private))
        assert "access log intact" in restored
        after = _facts(env)
        assert after["survivors"] == before["survivors"] and after["names"] == before["names"]
        assert after["decrypts"] and after["broken"] is None
        assert after["checkpoints"] == []  # the restore marked its own head
        assert not list(Path(env["RUTA_HOME"]).glob(".backup-*"))


def test_restore_refuses_when_the_key_ring_lacks_a_key(tmp_path: Path) -> None:
    with new_instance("ruta-backup-", demo=False) as (env, _port):
        private = tmp_path / "private.pem"
        manage(env, "backup_keys", str(private))
        archive = tmp_path / "ruta.backup"
        manage(env, "backup", str(archive))
        from ruta.lib.crypto import new_key_spec

        other = {**env, "RUTA_ENCRYPTION_KEYS": new_key_spec("k2")}
        with pytest.raises(RuntimeError, match="lacks: encryption key"):
            manage(other, "restore", str(archive), "--key", str(private))
        assert not list(Path(env["RUTA_HOME"]).glob(".backup-*"))


def test_backup_without_a_public_key_says_what_to_do(tmp_path: Path) -> None:
    with new_instance("ruta-backup-", demo=False) as (env, _port):
        with pytest.raises(RuntimeError, match="backup_keys"):
            manage(env, "backup", str(tmp_path / "x.backup"))
        assert not (tmp_path / "x.backup").exists()
