"""Seal and check the key canary (``KeyCanary``), and tell whether a database holds
encrypted data at all (``encrypted_data``), which is what ``init_keys`` needs to know."""

from __future__ import annotations

from collections.abc import Iterator

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, IntegrityError, connections, transaction

from ruta.keys.models import KeyCanary
from ruta.lib import keys
from ruta.lib.crypto import DecryptionError, KeyRing, keyed_hash, keyring
from ruta.lib.fields import EncryptedTextField, encrypted_fields

CANARY_TEXT = "Ruta key canary"
CONTEXT = "keys.keycanary.sealed"
SEARCH_PURPOSE = "key-canary"
AUDIT_MESSAGE = f"ruta-audit-canary:{CANARY_TEXT}"
CANARY_TABLE = KeyCanary._meta.db_table


def _encrypted_columns() -> Iterator[tuple[str, EncryptedTextField]]:
    for model in apps.get_models():
        for field in encrypted_fields(model):
            yield model._meta.db_table, field


def _first_values(using: str, tables: set[str]) -> Iterator[tuple[str, EncryptedTextField, str]]:
    """One stored ciphertext from every encrypted column that holds any."""
    conn = connections[using]
    q = conn.ops.quote_name
    for table, field in _encrypted_columns():
        if table not in tables:
            continue
        with conn.cursor() as cur:
            cur.execute(f"SELECT {q(field.column)} FROM {q(table)} WHERE {q(field.column)} IS NOT NULL LIMIT 1")
            row = cur.fetchone()
        if row:
            yield table, field, row[0]


def encrypted_data(using: str = "default") -> list[str]:
    """Where this database holds encrypted values (table.column), the canary included; []
    for a new database, even one whose tables do not exist yet."""
    tables = set(connections[using].introspection.table_names())
    found = [f"{table}.{field.column}" for table, field, _ in _first_values(using, tables)]
    if CANARY_TABLE in tables and KeyCanary.objects.using(using).exists():
        found.append(CANARY_TABLE)
    return found


def _label(spec: keys.KeySpec) -> str:
    return keys.source_of(spec, settings.RUTA_HOME).label


def _config_problems() -> list[str]:
    out = []
    for spec in (keys.ENCRYPTION_KEYS, keys.SEARCH_KEY, keys.AUDIT_KEYS):
        p = keys.problem(spec, settings.RUTA_HOME, getattr(settings, spec.setting))
        if p:
            out.append(p)
    return out


def check_canary(using: str = "default") -> str | None:
    """None when the keys in use are the ones this database was set up with; otherwise what
    is wrong and what to do. Seals the canary on first use (a new or upgraded database),
    after checking that the ring opens the data already stored."""
    problems = _config_problems()
    if problems:
        return " ".join(problems)
    try:
        tables = set(connections[using].introspection.table_names())
        if CANARY_TABLE not in tables:
            return None  # not migrated yet: nothing to compare with
        row = KeyCanary.objects.using(using).filter(pk=1).first()
        if row is None:
            problem = _unreadable_data(using, tables)
            if problem is None:
                _seal(using)
            return problem
        return _compare(row)
    except DatabaseError as e:
        return f"The key canary cannot be checked: the database answered {e.__class__.__name__}."


def _unreadable_data(using: str, tables: set[str]) -> str | None:
    ring = keyring()
    for table, field, token in _first_values(using, tables):
        try:
            ring.decrypt(token, field.context())
        except DecryptionError:
            return (f"{keys.ENCRYPTION_KEYS.setting} ({_label(keys.ENCRYPTION_KEYS)}) cannot decrypt the data "
                    f"already stored in {table}.{field.column}: these are not the keys it was encrypted with. "
                    f"{keys.FOREIGN_KEY_REMEDY}.")
    return None


def _seal(using: str) -> None:
    kid, mac = keys.audit_ring().sign(AUDIT_MESSAGE)
    try:
        with transaction.atomic(using=using):
            KeyCanary.objects.using(using).create(
                pk=1, sealed=keyring().encrypt(CANARY_TEXT, CONTEXT),
                search_hash=keyed_hash(CANARY_TEXT, SEARCH_PURPOSE), audit_key_id=kid, audit_mac=mac,
            )
    except IntegrityError:
        pass  # another process sealed it at the same moment


def _compare(row: KeyCanary) -> str | None:
    try:
        opened = keyring().decrypt(row.sealed, CONTEXT) == CANARY_TEXT
    except DecryptionError:
        opened = False
    if not opened:
        kid = row.sealed.split(".")[1] if row.sealed.count(".") >= 2 else "?"
        return (f"{keys.ENCRYPTION_KEYS.setting} ({_label(keys.ENCRYPTION_KEYS)}) cannot decrypt the key canary "
                f"this database was set up with (sealed with key id {kid!r}): these are not the keys its data "
                f"was encrypted with, and every case page would fail. {keys.FOREIGN_KEY_REMEDY}.")
    if keyed_hash(CANARY_TEXT, SEARCH_PURPOSE) != row.search_hash:
        return (f"{keys.SEARCH_KEY.setting} ({_label(keys.SEARCH_KEY)}) is not the search key this database's "
                "keyed hashes were made with: exact-match search would silently find nothing. "
                f"{keys.FOREIGN_KEY_REMEDY}.")
    try:
        signed = keys.audit_ring().verify(row.audit_key_id, AUDIT_MESSAGE, row.audit_mac)
    except LookupError:
        signed = False
    if not signed:
        return (f"{keys.AUDIT_KEYS.setting} ({_label(keys.AUDIT_KEYS)}) does not hold the audit key "
                f"{row.audit_key_id!r} this database was set up with: the access log could not be verified. "
                f"{keys.FOREIGN_KEY_REMEDY}; a new audit key goes first in the ring, never in place of the old ones.")
    return None


def reseal(ring: KeyRing, using: str = "default") -> bool:
    """Seal the canary again with the ring's first key (after rotation); False if it does not open."""
    row = KeyCanary.objects.using(using).filter(pk=1).first()
    if row is None:
        return True
    try:
        plain = ring.decrypt(row.sealed, CONTEXT)
    except DecryptionError:
        return False
    KeyCanary.objects.using(using).filter(pk=1, sealed=row.sealed).update(sealed=ring.encrypt(plain, CONTEXT))
    return True
