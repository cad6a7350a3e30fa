"""No lost work: the signed token every staff form carries, and what of a form is kept.

A staff page carries a token signed with the instance's secret key naming its user, the form
(the address it posts to) and an expiry. When the form is posted after the session ended, the
token, not the CSRF check, is what lets :class:`ruta.accounts.middleware.KeepFormMiddleware` keep
the post for that user (``actions.keep_form``); keeping never changes any other data, and the
kept form is given back only to the same user after a full login (second factor included).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing

FIELD = "_ruta_keep"
_SALT = "ruta.accounts.keep-form"
# Never kept: the CSRF token, the keep token itself, and anything that looks like a secret.
_NEVER = frozenset({"csrfmiddlewaretoken", FIELD})
_SECRET_PARTS = ("password", "clave", "secret", "otp")
MAX_FIELDS = 300
MAX_CHARS = 200_000


class InvalidKeepToken(Exception):
    """The token is missing, tampered with, expired or names another form."""


@dataclass(frozen=True)
class KeepToken:
    user_id: int
    path: str
    expires_at: int  # unix seconds


def token_lifetime_seconds() -> int:
    # A page opened late in a session is still posted (and kept) after the absolute limit.
    return int(settings.RUTA_SESSION_ABSOLUTE_HOURS * 3600)


def make_token(user_id: int, path: str, now: float | None = None) -> str:
    expires = int(now if now is not None else time.time()) + token_lifetime_seconds()
    return signing.dumps({"u": user_id, "p": path, "e": expires}, salt=_SALT, compress=False)


def read_token(value: str, path: str, now: float | None = None) -> KeepToken:
    """The token's content if its signature holds, it has not expired and it names ``path``."""
    try:
        data = signing.loads(value or "", salt=_SALT)
    except signing.BadSignature as e:
        raise InvalidKeepToken("bad signature") from e
    if not isinstance(data, dict):
        raise InvalidKeepToken("not a token")
    user_id, token_path, expires = data.get("u"), data.get("p"), data.get("e")
    if not isinstance(user_id, int) or not isinstance(token_path, str) or not isinstance(expires, int):
        raise InvalidKeepToken("malformed")
    if expires <= int(now if now is not None else time.time()):
        raise InvalidKeepToken("expired")
    if token_path != path:
        raise InvalidKeepToken("another form")
    return KeepToken(user_id, token_path, expires)


def _is_secret(name: str) -> bool:
    low = name.lower()
    return low in _NEVER or any(part in low for part in _SECRET_PARTS)


def form_fields(post: Any) -> dict[str, list[str]]:
    """What of a posted form is kept: every value of every field but the secret ones (files are
    not in ``request.POST`` and are never kept). Raises ValueError when it is too big."""
    fields = {name: [str(v) for v in post.getlist(name)] for name in post if not _is_secret(name)}
    if len(fields) > MAX_FIELDS or len(encode(fields)) > MAX_CHARS:
        raise ValueError("form too big to keep")
    return fields


def encode(fields: dict[str, list[str]]) -> str:
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def decode(text: str) -> dict[str, list[str]]:
    data = json.loads(text)
    return {str(k): [str(v) for v in vs] for k, vs in data.items() if isinstance(vs, list)}
