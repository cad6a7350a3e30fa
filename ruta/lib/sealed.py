"""Files sealed to a public key: hybrid encryption for backups, streamed in constant memory.

An archive is ``MAGIC``, a length-prefixed JSON header, then chunks. Whoever writes it needs
only the public key (X25519); reading it needs the private key, kept off the server. Each
archive gets a fresh ephemeral key pair, so its AES-256-GCM key is used once; the header
(which names the data keys the backup needs) is authenticated with every chunk, and the last
chunk is marked, so a truncated, reordered or altered archive does not open.

    chunk := final flag (1 byte) ‖ length (4 bytes, big-endian) ‖ AES-GCM(nonce = counter)
"""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"RUTA-SEALED-1\n"
CHUNK = 1024 * 1024
_INFO = b"ruta sealed file v1"


class SealedError(Exception):
    """The file is not a sealed archive, was altered or cut short, or the key does not open it."""


def new_key_pair() -> tuple[bytes, bytes]:
    """(private PEM, public PEM)."""
    private = X25519PrivateKey.generate()
    private_pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption())
    public_pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo)
    return private_pem, public_pem


def load_public(pem: bytes) -> X25519PublicKey:
    try:
        key = serialization.load_pem_public_key(pem)
    except ValueError as exc:
        raise SealedError("not a PEM public key") from exc
    if not isinstance(key, X25519PublicKey):
        raise SealedError("the public key is not an X25519 key")
    return key


def load_private(pem: bytes) -> X25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise SealedError("not an unencrypted PEM private key") from exc
    if not isinstance(key, X25519PrivateKey):
        raise SealedError("the private key is not an X25519 key")
    return key


def _raw(public: X25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _derive(shared: bytes, salt: bytes, ephemeral: bytes, recipient: bytes) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=_INFO + ephemeral + recipient).derive(shared)
    return AESGCM(key)


def _nonce(counter: int) -> bytes:
    return b"\0\0\0\0" + counter.to_bytes(8, "big")


def _aad(header: bytes, counter: int, final: bool) -> bytes:
    return header + counter.to_bytes(8, "big") + (b"\1" if final else b"\0")


def seal(source: IO[bytes], out: IO[bytes], recipient: X25519PublicKey, header: dict[str, Any]) -> None:
    ephemeral = X25519PrivateKey.generate()
    salt = os.urandom(16)
    eph_raw, rec_raw = _raw(ephemeral.public_key()), _raw(recipient)
    aead = _derive(ephemeral.exchange(recipient), salt, eph_raw, rec_raw)
    head = json.dumps({**header, "ephemeral": eph_raw.hex(), "salt": salt.hex(), "recipient": rec_raw.hex()},
                      sort_keys=True).encode()
    out.write(MAGIC + struct.pack(">I", len(head)) + head)
    counter = 0
    block = source.read(CHUNK)
    while True:
        following = source.read(CHUNK) if block else b""
        final = not following
        sealed = aead.encrypt(_nonce(counter), block, _aad(head, counter, final))
        out.write((b"\1" if final else b"\0") + struct.pack(">I", len(sealed)) + sealed)
        if final:
            return
        block, counter = following, counter + 1


def read_header(source: IO[bytes]) -> tuple[dict[str, Any], bytes]:
    if source.read(len(MAGIC)) != MAGIC:
        raise SealedError("not a Ruta backup archive")
    size = source.read(4)
    if len(size) != 4 or struct.unpack(">I", size)[0] > 1024 * 1024:
        raise SealedError("the archive's header is damaged")
    head = source.read(struct.unpack(">I", size)[0])
    try:
        return json.loads(head), head
    except ValueError as exc:
        raise SealedError("the archive's header is damaged") from exc


def unseal(source: IO[bytes], private: X25519PrivateKey) -> Iterator[bytes]:
    """Yield the plaintext chunk by chunk; raises SealedError before yielding anything false."""
    header, head = read_header(source)
    try:
        eph = X25519PublicKey.from_public_bytes(bytes.fromhex(header["ephemeral"]))
        salt, recipient = bytes.fromhex(header["salt"]), bytes.fromhex(header["recipient"])
    except (KeyError, ValueError) as exc:
        raise SealedError("the archive's header is damaged") from exc
    if recipient != _raw(private.public_key()):
        raise SealedError("this archive was sealed to another backup key")
    aead = _derive(private.exchange(eph), salt, _raw(eph), recipient)
    counter = 0
    while True:
        lead = source.read(5)
        if len(lead) != 5:
            raise SealedError("the archive is cut short")
        final, length = lead[0] == 1, struct.unpack(">I", lead[1:])[0]
        if length > CHUNK + 16:
            raise SealedError("the archive is damaged")
        sealed = source.read(length)
        try:
            yield aead.decrypt(_nonce(counter), sealed, _aad(head, counter, final))
        except InvalidTag as exc:
            raise SealedError("the archive was altered or is damaged") from exc
        if final:
            if source.read(1):
                raise SealedError("the archive has data after its end")
            return
        counter += 1


def write_private(path: Path, content: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(content)
