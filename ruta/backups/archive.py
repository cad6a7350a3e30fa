"""Encrypted backups of the whole database, and their restore.

``make_backup`` takes a consistent snapshot while Ruta keeps writing (SQLite's online backup
API; on PostgreSQL ``pg_dump`` on an exported snapshot, counted in the same snapshot), packs
it with a manifest (row counts per table, the ids of the data keys the data needs — never the
keys) into a tar.gz, and seals it to the backup public key (``ruta.lib.sealed``). Every
plaintext file on the way lives in a private folder under ``RUTA_HOME`` (0700, files 0600)
and is removed even on failure.

``restore_backup`` refuses an archive whose data keys the present key ring lacks, replaces
the database with the snapshot, checks the row counts against the manifest, appends a
"restored" event to the access log, verifies the log's chain and decrypts a sample.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from ruta.lib import sealed
from ruta.lib.crypto import keyring

PUBLIC_KEY_NAME = "backup_public_key.pem"
FORMAT = 1


class BackupError(Exception):
    """Why a backup or restore cannot go on, in words an operator can act on."""


def public_key_path() -> Path:
    return Path(settings.RUTA_HOME) / PUBLIC_KEY_NAME


@contextlib.contextmanager
def private_workdir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix=".backup-", dir=settings.RUTA_HOME))
    path.chmod(0o700)
    old = os.umask(0o077)
    try:
        yield path
    finally:
        os.umask(old)
        shutil.rmtree(path, ignore_errors=True)


def key_fingerprints() -> dict[str, Any]:
    """What a backup needs from the key ring: the ids of the data keys and a fingerprint of the
    search key (hashes made with another search key would find nothing)."""
    from ruta.lib.keys import audit_ring

    search = hashlib.sha256(b"ruta search key fingerprint\0" + settings.RUTA_SEARCH_KEY.encode()).hexdigest()[:16]
    return {"encryption_key_ids": sorted(keyring().keys), "audit_key_ids": sorted(audit_ring().keys),
            "search_key": search}


def _tables() -> list[str]:
    return sorted({m._meta.db_table for m in apps.get_models(include_auto_created=True)}
                  & set(connection.introspection.table_names()))


def _sqlite_counts(path: Path, tables: list[str]) -> dict[str, int]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env.update({"PGHOST": str(db.get("HOST") or ""), "PGPORT": str(db.get("PORT") or ""),
                "PGUSER": str(db.get("USER") or ""), "PGDATABASE": str(db["NAME"])})
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed: apt-get install postgresql-client")
    return found


def _snapshot(work: Path) -> tuple[str, dict[str, int]]:
    tables = _tables()
    if connection.vendor == "sqlite":
        target = work / "database.sqlite3"
        with contextlib.closing(sqlite3.connect(settings.DATABASES["default"]["NAME"])) as src, \
                contextlib.closing(sqlite3.connect(target)) as dst:
            src.backup(dst, pages=4096)  # steps, so writers are never held for long
        return target.name, _sqlite_counts(target, tables)
    if connection.vendor != "postgresql":
        raise BackupError(f"backups of {connection.vendor} databases are not supported")
    target = work / "database.pgdump"
    # One repeatable-read transaction exports its snapshot: pg_dump dumps exactly what it counts.
    conn = connections.create_connection("default")
    try:
        conn.set_autocommit(False)
        with conn.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
            counts = {}
            for t in tables:
                cur.execute(f'SELECT COUNT(*) FROM "{t}"')
                counts[t] = cur.fetchone()[0]
        subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",  # noqa: S603
                        f"--snapshot={snapshot}", f"--file={target}"], env=_pg_env(), check=True,
                       capture_output=True)
    except subprocess.CalledProcessError as exc:
        raise BackupError("pg_dump failed: " + exc.stderr.decode(errors="replace")[-500:]) from None
    finally:
        conn.rollback()
        conn.close()
    return target.name, counts


@dataclass
class BackupSummary:
    path: Path
    size: int
    counts: dict[str, int]
    keys: dict[str, Any]


def make_backup(out: Path) -> BackupSummary:
    try:
        recipient = sealed.load_public(public_key_path().read_bytes())
    except FileNotFoundError:
        raise BackupError(f"no backup public key at {public_key_path()}: run manage.py backup_keys first") from None
    keys = key_fingerprints()
    with private_workdir() as work:
        name, counts = _snapshot(work)
        manifest = {"format": FORMAT, "vendor": connection.vendor, "created_at": timezone.now().isoformat(),
                    "database": name, "counts": counts, "keys": keys}
        (work / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
        packed = work / "backup.tar.gz"
        with tarfile.open(packed, "w:gz") as tar:
            tar.add(work / "manifest.json", arcname="manifest.json")
            tar.add(work / name, arcname=name)
        header = {"format": FORMAT, "vendor": connection.vendor, "created_at": manifest["created_at"], "keys": keys}
        partial = out.with_name(out.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as sink, packed.open("rb") as source:
                sealed.seal(source, sink, recipient, header)
            partial.replace(out)  # a backup that stopped half-way never looks complete
        finally:
            partial.unlink(missing_ok=True)
    return BackupSummary(out, out.stat().st_size, counts, keys)


def missing_keys(header_keys: dict[str, Any]) -> list[str]:
    present = key_fingerprints()
    missing = [f"encryption key {kid}" for kid in header_keys.get("encryption_key_ids", [])
               if kid not in present["encryption_key_ids"]]
    missing += [f"audit key {kid}" for kid in header_keys.get("audit_key_ids", [])
                if kid not in present["audit_key_ids"]]
    if header_keys.get("search_key") not in (None, present["search_key"]):
        missing.append("the search key the backup was made with")
    return missing


@dataclass
class RestoreSummary:
    counts: dict[str, int]
    head: str
    sample_decrypted: bool


def _unpack(archive: Path, private_key: Path, work: Path) -> dict[str, Any]:
    private = sealed.load_private(private_key.read_bytes())
    with archive.open("rb") as source:
        header, _head = sealed.read_header(source)
    lacking = missing_keys(header.get("keys", {}))
    if lacking:
        raise BackupError("the present key ring cannot read this backup; it lacks: " + ", ".join(lacking)
                          + ". Restore the key files the backup was made with (docs/operations.md).")
    packed = work / "backup.tar.gz"
    with archive.open("rb") as source, packed.open("wb") as sink:
        for chunk in sealed.unseal(source, private):
            sink.write(chunk)
    with tarfile.open(packed, "r:gz") as tar:
        tar.extractall(work, filter="data")
    packed.unlink()
    manifest: dict[str, Any] = json.loads((work / "manifest.json").read_text())
    if manifest.get("vendor") != connection.vendor:
        raise BackupError(f"this backup is of a {manifest.get('vendor')} database; this instance uses "
                          f"{connection.vendor}")
    return manifest


def _replace_database(work: Path, manifest: dict[str, Any]) -> None:
    dump = work / manifest["database"]
    if connection.vendor == "sqlite":
        connections.close_all()
        with contextlib.closing(sqlite3.connect(dump)) as src, \
                contextlib.closing(sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=60)) as dst:
            src.backup(dst)
        return
    connections.close_all()
    try:
        subprocess.run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",  # noqa: S603
                        "--single-transaction", f"--dbname={settings.DATABASES['default']['NAME']}", str(dump)],
                       env=_pg_env(), check=True, capture_output=True)
    except subprocess.CalledProcessError as exc:
        raise BackupError("pg_restore failed: " + exc.stderr.decode(errors="replace")[-500:]) from None


def _decrypt_sample() -> bool:
    """Read one encrypted value back through the key ring (False when the database holds none)."""
    from ruta.lib.fields import EncryptedTextField

    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                row = model._default_manager.exclude(**{f"{field.attname}__isnull": True}).values_list(
                    field.attname, flat=True).first()
                if row is not None:
                    return True  # from_db_value decrypted and authenticated it
    return False


def restore_backup(archive: Path, private_key: Path) -> RestoreSummary:
    from ruta.audit.actions import first_broken_link, record_access
    from ruta.audit.checkpoint import checkpoint_audit
    from ruta.audit.models import AccessEvent

    with private_workdir() as work:
        try:
            manifest = _unpack(archive, private_key, work)
        except sealed.SealedError as exc:
            raise BackupError(str(exc)) from None
        _replace_database(work, manifest)
    known = set(_tables())
    if not set(manifest["counts"]) <= known:
        raise BackupError("the backup names tables this version of Ruta does not have: run manage.py migrate "
                          "with the version the backup was made with")
    counts = {t: _count(t) for t in manifest["counts"]}
    wrong = {t: (manifest["counts"][t], n) for t, n in counts.items() if n != manifest["counts"][t]}
    if wrong:
        raise BackupError(f"row counts differ from the backup's manifest: {wrong}")
    head = AccessEvent.objects.order_by("-id").values_list("id", "hash").first()
    head_text = f"{head[0]} {head[1]}" if head else "empty"
    record_access(None, "backup.restored", object_type="backup", object_id=manifest["created_at"],
                  detail={"head": head_text, "created_at": manifest["created_at"]})
    # The restored head becomes the checkpoint the next verification starts from.
    checkpoint_audit(restored=manifest["created_at"])
    broken = first_broken_link()
    if broken:
        raise BackupError(f"the restored access log is broken at event {broken[0]}: {broken[1]}")
    return RestoreSummary(counts, head_text, _decrypt_sample())


def _count(table: str) -> int:
    with connection.cursor() as cur:
        cur.execute(f'SELECT COUNT(*) FROM "{table}"')  # table names come from the manifest's own models
        return int(cur.fetchone()[0])
