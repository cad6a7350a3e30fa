"""The canary in-process: what the health endpoint and the worker call."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.test import TestCase, override_settings

from ruta.keys.canary import check_canary, encrypted_data, reseal
from ruta.keys.checks import KeyCheckError, check_keys
from ruta.keys.models import KeyCanary
from ruta.lib.crypto import KeyRing, new_key_spec
from ruta.lib.keys import new_audit_key_spec


class CanaryTest(TestCase):
    def test_the_database_was_sealed_at_migrate_and_the_keys_match(self) -> None:
        assert KeyCanary.objects.filter(pk=1).exists()
        assert check_canary() is None
        check_keys()
        assert encrypted_data() == ["keys_keycanary"]

    def test_foreign_keys_are_named(self) -> None:
        with override_settings(RUTA_ENCRYPTION_KEYS=new_key_spec()):
            assert "cannot decrypt the key canary" in (check_canary() or "")
            with self.assertRaisesMessage(KeyCheckError, "RUTA_ENCRYPTION_KEYS"):
                check_keys()
        with override_settings(RUTA_SEARCH_KEY=secrets.token_urlsafe(32)):
            assert "is not the search key" in (check_canary() or "")
        with override_settings(RUTA_AUDIT_KEYS=new_audit_key_spec()):
            assert "does not hold the audit key" in (check_canary() or "")
        with override_settings(RUTA_AUDIT_KEYS=f"{new_audit_key_spec()},{settings.RUTA_AUDIT_KEYS}"):
            assert check_canary() is None  # a rotated audit ring keeps the old key

    def test_a_missing_canary_is_sealed_again_only_if_the_ring_opens_the_data(self) -> None:
        KeyCanary.objects.all().delete()
        with override_settings(RUTA_ENCRYPTION_KEYS=new_key_spec()):
            assert check_canary() is None  # nothing encrypted to compare with: seals with these keys
        assert "cannot decrypt the key canary" in (check_canary() or "")

    def test_rotation_seals_the_canary_with_the_new_key(self) -> None:
        """rotate_keys --for-real calls reseal (ruta/tests/test_crypto.py checks it end to end)."""
        new = new_key_spec("fresh")
        assert reseal(KeyRing.parse(f"{new},{settings.RUTA_ENCRYPTION_KEYS}"))
        assert KeyCanary.objects.get().sealed.startswith("v1.fresh.")
        with override_settings(RUTA_ENCRYPTION_KEYS=new):
            assert check_canary() is None
        assert not reseal(KeyRing.parse(new_key_spec()))  # a ring that cannot open it changes nothing
        assert KeyCanary.objects.get().sealed.startswith("v1.fresh.")
