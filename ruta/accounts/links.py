"""Single-use set-password links, valid 24 hours.

The token is Django's password-reset token (its hash covers the password hash and the last
login, so it dies once used), bound to the user's id and encrypted with the instance's key:
the link's path is one opaque string that names nobody.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.http import base36_to_int

from ruta.accounts.models import User
from ruta.lib.crypto import DecryptionError, keyring

LINK_VALID = timedelta(hours=24)
_CONTEXT = "accounts.set_password_link"


class SetPasswordTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "ruta.accounts.links.SetPasswordTokenGenerator"

    def _make_hash_value(self, user: User, timestamp: int) -> str:  # type: ignore[override]
        # Deactivating the account (a reset waiting for approval) also kills its links.
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"

    def check_token(self, user: User | None, token: str | None) -> bool:  # type: ignore[override]
        if not super().check_token(user, token) or not token:
            return False
        try:
            issued = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        return self._num_seconds(self._now()) - issued <= LINK_VALID.total_seconds()


tokens = SetPasswordTokenGenerator()


def set_password_token(user: User) -> str:
    return keyring().encrypt(f"{user.pk}:{tokens.make_token(user)}", _CONTEXT)


def set_password_url(user: User) -> str:
    return settings.SITE_URL + reverse("accounts:set_password", kwargs={"token": set_password_token(user)})


def user_for_token(token: str) -> User | None:
    """The active user this link was made for, if it is still valid."""
    try:
        pk, _sep, inner = keyring().decrypt(token, _CONTEXT).partition(":")
        user = User.objects.filter(pk=int(pk), is_active=True).first()
    except (DecryptionError, ValueError, TypeError):
        return None
    if user is None or not tokens.check_token(user, inner):
        return None
    return user
