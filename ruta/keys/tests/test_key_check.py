"""Keys are never replaced behind anyone's back: every bad key stops Ruta at start, with a
message naming its file or variable, before a case page can fail or a search silently miss.

These tests start real processes (``manage.py check``, ``ruta.wsgi``) on a copy of one
migrated instance that holds an encrypted survivor record.
"""

from __future__ import annotations

import base64
import os
import secrets
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ruta.lib.crypto import new_key_spec

ROOT = Path(__file__).resolve().parent.parent.parent.parent
KEY_FILES = ("secret_key", "encryption_keys", "search_key", "audit_keys")


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "PYTEST_", "RUTA_", "SECRET_KEY", "DATABASE_URL"))}
    env.update({"RUTA_HOME": str(home), "DJANGO_SETTINGS_MODULE": "ruta.settings", **extra})
    return env


def _run(home: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=_env(home, **extra),  # noqa: S603
                          capture_output=True, text=True, check=False)


def _manage(home: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return _run(home, "manage.py", *args, **extra)


def _audit_key() -> str:
    return f"{secrets.token_hex(4)}:{base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}"


def _write(path: Path, value: str) -> None:
    path.write_text(value + "\n")
    path.chmod(0o600)


@pytest.fixture(scope="module")
def instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated instance whose database holds an encrypted (and search-hashed) survivor."""
    home = tmp_path_factory.mktemp("instance")
    _write(home / "secret_key", secrets.token_urlsafe(50))
    _write(home / "encryption_keys", new_key_spec())
    _write(home / "search_key", secrets.token_urlsafe(32))
    _write(home / "audit_keys", _audit_key())
    for args in (("migrate", "--no-input", "-v0"),
                 ("shell", "-c", "from ruta.cases.models import Survivor; Survivor.objects.create("
                                 "code='S1', given_names='Rosa', document_number='45123456', sex='female', "
                                 "district_id='170101')")):
        result = _manage(home, *args)
        assert result.returncode == 0, result.stdout + result.stderr
    return home


@pytest.fixture
def home(instance: Path, tmp_path: Path) -> Iterator[Path]:
    copy = tmp_path / "home"
    shutil.copytree(instance, copy)
    yield copy


def _refused(home: Path, *names: str, **extra: str) -> str:
    """``manage.py check`` must fail; returns what it printed."""
    result = _manage(home, "check", **extra)
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    for name in names:
        assert name in out, out
    return out


def test_a_good_instance_starts(home: Path) -> None:
    result = _manage(home, "check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_missing_encryption_key_file_stops_start_and_is_not_replaced(home: Path) -> None:
    (home / "encryption_keys").unlink()
    out = _refused(home, "RUTA_ENCRYPTION_KEYS is missing", str(home / "encryption_keys"), "backup")
    assert not (home / "encryption_keys").exists(), "a new key was written behind the operator's back"
    assert "init_keys" in out


@pytest.mark.parametrize("name", KEY_FILES)
def test_an_empty_key_file_stops_start(home: Path, name: str) -> None:
    _write(home / name, "")
    _refused(home, "is empty", str(home / name))


@pytest.mark.parametrize(("name", "value", "says"), [
    ("encryption_keys", "not a key ring", "must look like 'id:base64key'"),
    ("encryption_keys", "k1:" + base64.urlsafe_b64encode(b"x" * 16).decode(), "must be 32 bytes"),
    ("audit_keys", "k1:???", "0 bytes"),
    ("audit_keys", "k1:" + base64.urlsafe_b64encode(b"x" * 8).decode(), "at least 32 are needed"),
    ("search_key", "short", "at least 32 are needed"),
    ("secret_key", "too-short-secret", "at least 32 are needed"),
    ("secret_key", "a b c d e f g h i j k l m n o p q r s t u v w", "spaces"),
])
def test_a_malformed_or_short_key_stops_start(home: Path, name: str, value: str, says: str) -> None:
    _write(home / name, value)
    _refused(home, "malformed", str(home / name), says)


def test_a_key_given_as_a_variable_is_named_as_the_variable(home: Path) -> None:
    out = _refused(home, "RUTA_SEARCH_KEY is malformed (the variable RUTA_SEARCH_KEY)", RUTA_SEARCH_KEY="x")
    assert "x" * 3 not in out.split("malformed")[0]
    missing = home / "nowhere"
    _refused(home, f"RUTA_AUDIT_KEYS_FILE={missing} does not exist", RUTA_AUDIT_KEYS_FILE=str(missing))


def test_a_ring_that_cannot_open_the_data_stops_start(home: Path) -> None:
    _write(home / "encryption_keys", new_key_spec())
    _refused(home, "RUTA_ENCRYPTION_KEYS", "cannot decrypt", str(home / "encryption_keys"))


def test_a_rotated_ring_that_keeps_the_old_key_starts(home: Path) -> None:
    old = (home / "encryption_keys").read_text().strip()
    _write(home / "encryption_keys", f"{new_key_spec()},{old}")
    result = _manage(home, "check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_regenerated_search_key_stops_start(home: Path) -> None:
    _write(home / "search_key", secrets.token_urlsafe(32))
    _refused(home, "RUTA_SEARCH_KEY", "is not the search key", "silently")


def test_a_regenerated_audit_key_stops_start(home: Path) -> None:
    _write(home / "audit_keys", _audit_key())
    _refused(home, "RUTA_AUDIT_KEYS", "does not hold the audit key")


def test_the_wsgi_application_refuses_to_load(home: Path) -> None:
    (home / "search_key").unlink()
    result = _run(home, "-c", "import ruta.wsgi")
    assert result.returncode == 4
    assert "Ruta cannot start" in result.stderr and "RUTA_SEARCH_KEY is missing" in result.stderr
    assert "Traceback" not in result.stderr


def test_init_keys_refuses_to_replace_a_key_while_encrypted_data_exists(home: Path) -> None:
    (home / "encryption_keys").unlink()
    result = _manage(home, "init_keys")
    assert result.returncode != 0
    assert "No key was written" in result.stderr and "cases_survivor" in result.stderr
    assert not (home / "encryption_keys").exists()


def test_init_keys_sets_up_a_new_instance_before_migrate(tmp_path: Path) -> None:
    home = tmp_path / "new"
    assert _manage(home, "check").returncode != 0  # no keys, nothing generated silently
    assert not any((home / name).exists() for name in KEY_FILES)
    first = _manage(home, "init_keys")
    assert first.returncode == 0, first.stderr
    for name in KEY_FILES:
        assert stat.S_IMODE((home / name).stat().st_mode) == 0o600
    before = {name: (home / name).read_text() for name in KEY_FILES}
    again = _manage(home, "init_keys")
    assert again.returncode == 0 and "nothing written" in again.stdout
    assert before == {name: (home / name).read_text() for name in KEY_FILES}


def test_init_keys_adds_the_audit_key_to_an_upgraded_instance(home: Path) -> None:
    """An instance from before audit keys: events exist but none is signed yet."""
    (home / "audit_keys").unlink()
    result = _run(home, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                  "c.execute('DELETE FROM keys_keycanary'); c.commit()", str(home / "ruta.sqlite3"))
    assert result.returncode == 0, result.stderr
    result = _manage(home, "init_keys")
    assert result.returncode == 0, result.stderr
    assert (home / "audit_keys").exists()
    assert _manage(home, "check").returncode == 0
