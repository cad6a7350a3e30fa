"""Model fields for personal data."""

from __future__ import annotations

from typing import Any

from django.db import models

from ruta.lib.crypto import keyed_hash, keyring


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text encrypted at rest with the instance's key ring (see ``ruta.lib.crypto``).

    The database only ever holds ciphertext. Nothing can be searched or sorted by it:
    the only lookup allowed is ``isnull``; pair it with a keyed-hash column for
    exact-match search.
    """

    description = "Encrypted text"

    def context(self) -> str:
        return f"{self.model._meta.label_lower}.{self.attname}"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None:
            return None
        return keyring().decrypt(value, self.context())

    def to_python(self, value: Any) -> str | None:
        return value if value is None else str(value)

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return keyring().encrypt(str(value), self.context())

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)


def search_hash(value: str | None, purpose: str) -> str:
    """The keyed hash stored beside an encrypted value, or "" when there is none."""
    return keyed_hash(value, purpose) if value else ""


def encrypted_fields(model: type[models.Model]) -> list[EncryptedTextField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
