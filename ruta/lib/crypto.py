"""Authenticated encryption of personal data, with a key ring that can rotate.

A stored value looks like ``v1.<key id>.<base64(nonce ‖ AES-256-GCM ciphertext)>``.
The key id says which key of the ring sealed it, so rotation can find what still uses an
old key with a plain prefix query, and stop and resume at any point without losing data.
The associated data binds each ciphertext to its column: a value copied into another
column (or another table) does not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "v1"
_URLSAFE = bytes.maketrans(b"+/", b"-_")


class DecryptionError(Exception):
    """A stored value could not be authenticated with any key of the ring."""


def new_key_spec(key_id: str | None = None) -> str:
    kid = key_id or secrets.token_hex(4)
    return f"{kid}:{base64.urlsafe_b64encode(AESGCM.generate_key(bit_length=256)).decode()}"


def parse_key_ring(spec: str, what: str, *, exact_bytes: int | None = None, min_bytes: int = 1
                   ) -> tuple[str, dict[str, bytes]]:
    """``id:base64key,...`` (commas or new lines) → (the first key's id, every key by id), in order.

    The one reading of every key ring (encryption keys, audit keys); raises ValueError naming
    ``what`` is wrong."""
    keys: dict[str, bytes] = {}
    for entry in spec.replace("\n", ",").split(","):
        entry = entry.strip()
        if not entry:
            continue
        kid, sep, b64 = entry.partition(":")
        if not sep or not kid.isalnum():
            raise ValueError(f"each {what} must look like 'id:base64key'")
        try:
            raw = base64.urlsafe_b64decode(b64.encode())
        except (binascii.Error, ValueError):
            raise ValueError(f"{what} {kid!r} is not base64") from None
        if exact_bytes is not None and len(raw) != exact_bytes:
            raise ValueError(f"{what} {kid!r} must be {exact_bytes} bytes")
        if len(raw) < min_bytes:
            raise ValueError(f"{what} {kid!r} is {len(raw)} bytes; at least {min_bytes} are needed")
        if kid in keys:
            raise ValueError(f"{what} id {kid!r} appears twice")
        keys[kid] = raw
    if not keys:
        raise ValueError(f"no {what} configured")
    return next(iter(keys)), keys


@dataclass(frozen=True)
class KeyRing:
    primary_id: str
    keys: dict[str, AESGCM]

    @classmethod
    def parse(cls, spec: str) -> KeyRing:
        primary, raw = parse_key_ring(spec, "encryption key", exact_bytes=32)
        return cls(primary_id=primary, keys={kid: AESGCM(key) for kid, key in raw.items()})

    @property
    def primary_prefix(self) -> str:
        return f"{PREFIX}.{self.primary_id}."

    def encrypt(self, plaintext: str, context: str) -> str:
        nonce = os.urandom(12)
        ct = self.keys[self.primary_id].encrypt(nonce, plaintext.encode(), context.encode())
        # = base64.urlsafe_b64encode, without its Python-level wrapper (called once per value).
        return self.primary_prefix + binascii.b2a_base64(nonce + ct, newline=False).translate(_URLSAFE).decode()

    def decrypt(self, token: str, context: str) -> str:
        try:
            version, kid, body = token.split(".", 2)
        except ValueError:
            raise DecryptionError("not an encrypted value") from None
        key = self.keys.get(kid)
        if version != PREFIX or key is None:
            raise DecryptionError(f"no key {kid!r} in the ring")
        raw = base64.urlsafe_b64decode(body.encode())
        try:
            return key.decrypt(raw[:12], raw[12:], context.encode()).decode()
        except InvalidTag:
            raise DecryptionError("value was altered or belongs to another column") from None


@lru_cache(maxsize=4)
def _ring(spec: str) -> KeyRing:
    return KeyRing.parse(spec)


def keyring() -> KeyRing:
    from django.conf import settings

    return _ring(settings.RUTA_ENCRYPTION_KEYS)


def normalise_for_search(value: str) -> str:
    """Case, accents, spaces and punctuation do not matter to an exact-match search."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(filter(str.isalnum, decomposed)).upper()


def keyed_hash(value: str, purpose: str) -> str:
    """HMAC-SHA256 of the normalised value; ``purpose`` keeps hashes of different fields apart."""
    from django.conf import settings

    return keyed_hasher(purpose, settings.RUTA_SEARCH_KEY)(value)


def keyed_hasher(purpose: str, secret: str | None = None) -> Callable[[str], str]:
    """``keyed_hash`` with its key derived once, for hashing many values (an import: one per row).

    Reads the search key from the settings when called, not when each value is hashed."""
    if secret is None:
        from django.conf import settings

        secret = settings.RUTA_SEARCH_KEY
    hash_normalised = normalised_hasher(purpose, secret)

    def hash_value(value: str) -> str:
        return hash_normalised(normalise_for_search(value))

    return hash_value


def normalised_hasher(purpose: str, secret: str | None = None) -> Callable[[str], str]:
    """:func:`keyed_hasher` for values already in the form :func:`normalise_for_search` gives
    (upper-case letters and digits only): the same hashes, without normalising each value again.
    The caller vouches for the form; ``ruta.lib.names`` hashes only ``[A-Z]+`` keys."""
    if secret is None:
        from django.conf import settings

        secret = settings.RUTA_SEARCH_KEY
    key = _search_key(secret, purpose)
    digest = hmac.digest

    def hash_value(normalised: str) -> str:
        return digest(key, normalised.encode(), "sha256").hex()

    return hash_value


@lru_cache(maxsize=64)
def _search_key(secret: str, purpose: str) -> bytes:
    """Derived once per (key, purpose): an import hashes a name per row."""
    return hashlib.sha256(f"ruta-search:{secret}:{purpose}".encode()).digest()
