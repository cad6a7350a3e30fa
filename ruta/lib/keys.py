"""The instance's secrets: where each one is read from, what a usable one looks like, and
how a new one is made.

Settings only *read* keys (``read_key``); a missing or unusable key is reported by the key
check (``ruta.keys.checks.check_keys``), never replaced behind anyone's back. Only
``manage.py init_keys`` writes key files, and only for a database with no encrypted data.

Each key comes from ``NAME_FILE`` (a path), else ``NAME``, else ``RUTA_HOME/<file>``.
"""

from __future__ import annotations

import base64
import hmac
import os
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ruta.lib.crypto import KeyRing, new_key_spec, parse_key_ring

SECRET_KEY_MIN_LENGTH = 32
SEARCH_KEY_MIN_LENGTH = 32
AUDIT_KEY_MIN_BYTES = 32


@dataclass(frozen=True)
class KeySpec:
    setting: str  # also the environment variable
    filename: str  # in RUTA_HOME
    make: Callable[[], str]
    validate: Callable[[str], None]  # raises ValueError saying what is wrong


def _validate_secret_key(value: str) -> None:
    if len(value) < SECRET_KEY_MIN_LENGTH:
        raise ValueError(f"it is {len(value)} characters long; at least {SECRET_KEY_MIN_LENGTH} are needed")
    _single_token(value)


def _validate_search_key(value: str) -> None:
    if len(value) < SEARCH_KEY_MIN_LENGTH:
        raise ValueError(f"it is {len(value)} characters long; at least {SEARCH_KEY_MIN_LENGTH} are needed")
    _single_token(value)


def _single_token(value: str) -> None:
    if any(ch.isspace() or not ch.isprintable() for ch in value):
        raise ValueError("it contains spaces, line breaks or control characters")


def _validate_encryption_keys(value: str) -> None:
    KeyRing.parse(value)


def new_audit_key_spec(key_id: str | None = None) -> str:
    kid = key_id or secrets.token_hex(4)
    return f"{kid}:{base64.urlsafe_b64encode(secrets.token_bytes(AUDIT_KEY_MIN_BYTES)).decode()}"


def parse_audit_keys(spec: str) -> tuple[str, dict[str, bytes]]:
    """``id:base64key,...`` → (id of the signing key, every key by id). Raises ValueError."""
    return parse_key_ring(spec, "audit key", min_bytes=AUDIT_KEY_MIN_BYTES)


def _validate_audit_keys(value: str) -> None:
    parse_audit_keys(value)


SECRET_KEY = KeySpec("SECRET_KEY", "secret_key", lambda: secrets.token_urlsafe(50), _validate_secret_key)
ENCRYPTION_KEYS = KeySpec("RUTA_ENCRYPTION_KEYS", "encryption_keys", new_key_spec, _validate_encryption_keys)
SEARCH_KEY = KeySpec("RUTA_SEARCH_KEY", "search_key", lambda: secrets.token_urlsafe(32), _validate_search_key)
AUDIT_KEYS = KeySpec("RUTA_AUDIT_KEYS", "audit_keys", new_audit_key_spec, _validate_audit_keys)
ALL = (SECRET_KEY, ENCRYPTION_KEYS, SEARCH_KEY, AUDIT_KEYS)


@dataclass(frozen=True)
class Source:
    """Where a key comes from, for messages: never the key itself."""

    kind: str  # "file-variable", "variable" or "home-file"
    label: str  # e.g. "RUTA_ENCRYPTION_KEYS_FILE=/run/secrets/keys"
    path: Path | None


def source_of(spec: KeySpec, home: Path) -> Source:
    file_var = os.environ.get(f"{spec.setting}_FILE")
    if file_var:
        return Source("file-variable", f"{spec.setting}_FILE={file_var}", Path(file_var))
    if os.environ.get(spec.setting):
        return Source("variable", f"the variable {spec.setting}", None)
    path = home / spec.filename
    return Source("home-file", f"the file {path}", path)


def read_key(spec: KeySpec, home: Path) -> str:
    """The key's value, or "" when it is missing or unreadable (the key check says why)."""
    src = source_of(spec, home)
    if src.path is None:
        return os.environ.get(spec.setting, "").strip()
    try:
        return src.path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def problem(spec: KeySpec, home: Path, value: str) -> str | None:
    """What is wrong with the key ``value`` read from its source, and what to do; None if usable."""
    src = source_of(spec, home)
    if src.path is not None and not src.path.exists():
        what = f"{spec.setting} is missing: {src.label} does not exist"
    elif src.path is not None and not os.access(src.path, os.R_OK):
        what = f"{spec.setting} cannot be read: {src.label} is not readable by this user"
    elif not value:
        what = f"{spec.setting} is empty ({src.label})"
    else:
        try:
            spec.validate(value)
        except ValueError as e:
            what = f"{spec.setting} is malformed ({src.label}): {e}"
        else:
            return None
    return f"{what}. {remedy(spec)}."


FOREIGN_KEY_REMEDY = ("Restore the key files from the backup of the instance's keys (docs/operations.md, "
                      "'Keys'); never make new keys for a database that holds data")


def remedy(spec: KeySpec, *, new_instance_hint: bool = True) -> str:
    restore = "Restore it from the backup of the instance's keys (docs/operations.md, 'Keys')"
    if spec is SECRET_KEY:
        return (f"{restore}; if it is lost, move any bad file away and run "
                "'python manage.py init_keys --new-secret-key' (everyone is logged out)")
    if not new_instance_hint:
        return restore
    if spec is AUDIT_KEYS:
        return (f"{restore}. If no access event is signed yet (an upgrade from a version without "
                "audit keys, or a new instance), run 'python manage.py init_keys'")
    return (f"{restore}. On a new instance with no data yet, run 'python manage.py init_keys' "
            "(it refuses once the database holds encrypted data)")


def write_key_file(path: Path, value: str) -> bool:
    """Create ``path`` (mode 0600) holding ``value``; False if it already exists.

    The file appears whole or not at all (a hard link of a finished temporary file), so a
    process reading it at the same moment never sees half a key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(value + "\n")
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(tmp)


@dataclass(frozen=True)
class AuditRing:
    """Keys that sign access events: the first signs, every one verifies (rotation)."""

    primary_id: str
    keys: dict[str, bytes]

    def sign(self, message: str) -> tuple[str, str]:
        return self.primary_id, hmac.digest(self.keys[self.primary_id], message.encode(), "sha256").hex()

    def verify(self, key_id: str, message: str, mac: str) -> bool:
        """Raises LookupError when ``key_id`` is not in the ring."""
        key = self.keys.get(key_id)
        if key is None:
            raise LookupError(key_id)
        return hmac.compare_digest(hmac.digest(key, message.encode(), "sha256").hex(), mac)


@lru_cache(maxsize=4)
def _audit_ring(spec: str) -> AuditRing:
    primary, keys = parse_audit_keys(spec)
    return AuditRing(primary, keys)


def audit_ring() -> AuditRing:
    from django.conf import settings

    return _audit_ring(settings.RUTA_AUDIT_KEYS)


def create_missing_key_files(home: Path) -> list[Path]:
    """Write every key missing from ``home`` that no variable provides; the paths written.

    No database check: for ``init_keys`` after its own, and for throw-away instances (tests,
    benchmarks) whose database is new."""
    written = []
    for spec in ALL:
        src = source_of(spec, home)
        if src.kind == "home-file" and src.path is not None and write_key_file(src.path, spec.make()):
            written.append(src.path)
    return written
