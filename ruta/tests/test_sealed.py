from __future__ import annotations

import io
import os

import pytest

from ruta.lib import sealed


@pytest.fixture(scope="module")
def keys() -> tuple[bytes, bytes]:
    return sealed.new_key_pair()


def _seal(data: bytes, public_pem: bytes) -> bytes:
    out = io.BytesIO()
    sealed.seal(io.BytesIO(data), out, sealed.load_public(public_pem), {"keys": {"encryption_key_ids": ["a1"]}})
    return out.getvalue()


def _open(archive: bytes, private_pem: bytes) -> bytes:
    return b"".join(sealed.unseal(io.BytesIO(archive), sealed.load_private(private_pem)))


@pytest.mark.parametrize("size", [0, 1, sealed.CHUNK - 1, sealed.CHUNK, sealed.CHUNK * 2 + 5])
def test_what_is_sealed_opens_with_the_private_key(keys: tuple[bytes, bytes], size: int) -> None:
    data = os.urandom(size)
    archive = _seal(data, keys[1])
    assert data[:64] not in archive[100:] or size < 64
    assert _open(archive, keys[0]) == data


def test_the_header_names_the_keys_it_needs_and_nothing_secret(keys: tuple[bytes, bytes]) -> None:
    header, _raw = sealed.read_header(io.BytesIO(_seal(b"x", keys[1])))
    assert header["keys"] == {"encryption_key_ids": ["a1"]}


@pytest.mark.parametrize("damage", ["flip", "cut", "append", "header"])
def test_an_altered_or_cut_archive_does_not_open(keys: tuple[bytes, bytes], damage: str) -> None:
    archive = bytearray(_seal(os.urandom(sealed.CHUNK + 10), keys[1]))
    if damage == "flip":
        archive[-20] ^= 1
    elif damage == "cut":
        del archive[-(sealed.CHUNK // 2):]
    elif damage == "append":
        archive += b"more"
    else:
        archive[len(sealed.MAGIC) + 10] ^= 1
    with pytest.raises(sealed.SealedError):
        _open(bytes(archive), keys[0])


def test_another_private_key_does_not_open_it(keys: tuple[bytes, bytes]) -> None:
    other_private, _other_public = sealed.new_key_pair()
    with pytest.raises(sealed.SealedError, match="another backup key"):
        _open(_seal(b"secret", keys[1]), other_private)


def test_a_dropped_final_chunk_is_noticed(keys: tuple[bytes, bytes]) -> None:
    archive = _seal(os.urandom(sealed.CHUNK * 2), keys[1])
    # Keep the first chunk only: it is not marked final, so the archive is cut short.
    header_end = len(sealed.MAGIC) + 4 + int.from_bytes(archive[len(sealed.MAGIC):len(sealed.MAGIC) + 4], "big")
    first_len = int.from_bytes(archive[header_end + 1:header_end + 5], "big")
    with pytest.raises(sealed.SealedError, match="cut short"):
        _open(archive[:header_end + 5 + first_len], keys[0])
