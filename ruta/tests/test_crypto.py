from __future__ import annotations

import base64
import hashlib
import hmac
import unicodedata
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import connection, models
from django.test import override_settings

from ruta.keys.models import KeyCanary
from ruta.lib.crypto import DecryptionError, KeyRing, keyed_hash, keyed_hasher, new_key_spec
from ruta.lib.fields import EncryptedTextField, search_hash

SURVIVOR = "Rosa Quispe Mamani"


def test_a_value_round_trips_and_is_bound_to_its_column() -> None:
    ring = KeyRing.parse(new_key_spec("k1"))
    token = ring.encrypt(SURVIVOR, "cases.survivor.name")
    assert SURVIVOR not in token
    assert ring.decrypt(token, "cases.survivor.name") == SURVIVOR
    with pytest.raises(DecryptionError):
        ring.decrypt(token, "cases.survivor.phone")


def test_a_tampered_value_does_not_decrypt() -> None:
    ring = KeyRing.parse(new_key_spec("k1"))
    token = ring.encrypt(SURVIVOR, "c")
    body = token.split(".", 2)[2]
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with pytest.raises(DecryptionError):
        ring.decrypt(token.rsplit(".", 1)[0] + "." + flipped, "c")


def test_old_keys_still_decrypt_and_the_first_key_encrypts() -> None:
    old = KeyRing.parse(new_key_spec("old"))
    token = old.encrypt(SURVIVOR, "c")
    spec_old = new_key_spec("old")  # a different key with the same id must not decrypt
    ring = KeyRing.parse(new_key_spec("new") + "," + spec_old)
    with pytest.raises(DecryptionError):
        ring.decrypt(token, "c")
    assert ring.encrypt("x", "c").startswith("v1.new.")


@pytest.mark.parametrize("bad", ["", "nokey", "k1:" + "A" * 10, "k-1:" + "A" * 43 + "="])
def test_bad_key_specs_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        KeyRing.parse(bad)


def test_keyed_hash_ignores_case_accents_spaces_and_punctuation() -> None:
    assert keyed_hash("  4512-3456 ", "dni") == keyed_hash("45123456", "dni")
    assert keyed_hash("Quispe Ñahui", "name") == keyed_hash("quispe nahui", "name")
    assert keyed_hash("45123456", "dni") != keyed_hash("45123456", "phone")


def test_keyed_hash_is_the_documented_hmac_and_the_hasher_gives_the_same() -> None:
    """The faster forms (cached key, one-shot HMAC) store exactly what the plain recipe gives."""
    from django.conf import settings

    for value in ["Lucía Huamán Chávez", "  4512-3456 ", "Quispe Ñahui", "", "ﬁ Ⅻ ²"]:
        key = hashlib.sha256(f"ruta-search:{settings.RUTA_SEARCH_KEY}:name".encode()).digest()
        plain = "".join(ch for ch in unicodedata.normalize("NFKD", value) if ch.isalnum()).upper()
        expected = hmac.new(key, plain.encode(), hashlib.sha256).hexdigest()
        assert keyed_hash(value, "name") == expected
        assert keyed_hasher("name")(value) == expected
    before = keyed_hasher("name")("Ana")
    with override_settings(RUTA_SEARCH_KEY="another"):  # the key is read from the settings, not kept
        assert keyed_hasher("name")("Ana") == keyed_hash("Ana", "name") != before


def test_a_ciphertext_is_url_safe_base64() -> None:
    ring = KeyRing.parse(new_key_spec("k1"))
    for _ in range(200):
        token = ring.encrypt("Ñahui ~~~ ???", "ctx")
        body = token.split(".", 2)[2]
        assert "+" not in body and "/" not in body
        assert base64.urlsafe_b64decode(body.encode())[:12]
        assert ring.decrypt(token, "ctx") == "Ñahui ~~~ ???"
    assert search_hash("", "dni") == ""


class Secret(models.Model):
    note = EncryptedTextField(null=True)
    objects: models.Manager[Secret] = models.Manager()

    class Meta:
        app_label = "accounts"
        db_table = "test_crypto_secret"


@pytest.fixture
def secret_table(transactional_db: None) -> Iterator[None]:
    with connection.schema_editor() as editor:
        editor.create_model(Secret)
    yield
    with connection.schema_editor() as editor:
        editor.delete_model(Secret)


def _raw_database_bytes() -> bytes:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return bytes(connection.connection.serialize())  # the whole database file
    with connection.cursor() as cur:
        cur.execute("SELECT t::text FROM test_crypto_secret t")
        return "\n".join(r[0] for r in cur.fetchall()).encode()


def test_a_saved_value_is_absent_from_the_raw_database_bytes(secret_table: None) -> None:
    s = Secret.objects.create(note=SURVIVOR)
    raw = _raw_database_bytes()
    assert b"v1." in raw
    assert SURVIVOR.encode() not in raw
    assert b"Quispe" not in raw
    assert Secret.objects.get(pk=s.pk).note == SURVIVOR


def test_encrypted_fields_cannot_be_searched(secret_table: None) -> None:
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError):
        list(Secret.objects.filter(note=SURVIVOR))
    assert Secret.objects.filter(note__isnull=True).count() == 0


def test_rotate_keys_is_a_dry_run_then_resumable_and_loses_nothing(secret_table: None, capsys) -> None:  # type: ignore[no-untyped-def]
    from django.conf import settings

    old_spec = settings.RUTA_ENCRYPTION_KEYS
    ids = [Secret.objects.create(note=f"{SURVIVOR} {i}").pk for i in range(1203)]
    Secret.objects.create(note=None)
    new_spec = new_key_spec("fresh") + "," + old_spec
    with override_settings(RUTA_ENCRYPTION_KEYS=new_spec):
        call_command("rotate_keys")
        assert "1203 values would be re-encrypted" in capsys.readouterr().out
        with connection.cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM test_crypto_secret WHERE note LIKE 'v1.fresh.%'")
            assert cur.fetchone()[0] == 0
        call_command("rotate_keys", "--for-real")
        assert "1203 values now use key fresh" in capsys.readouterr().out
        call_command("rotate_keys", "--for-real")  # nothing left: a second run is harmless
        assert "0 values" in capsys.readouterr().out
        assert KeyCanary.objects.get().sealed.startswith("v1.fresh.")  # the key check follows the rotation
    # The old key can go: everything decrypts with the new one alone.
    with override_settings(RUTA_ENCRYPTION_KEYS=new_spec.split(",")[0]):
        notes = dict(Secret.objects.filter(pk__in=ids).values_list("pk", "note"))
        assert notes[ids[0]] == f"{SURVIVOR} 0"
        assert notes[ids[-1]] == f"{SURVIVOR} 1202"
