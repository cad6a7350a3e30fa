"""Ruta's own password rule: no password built on the words everyone around Ruta knows.

zxcvbn (``PASSWORD_EXTRA_DICTIONARY``) already counts these words as cheap to guess, but a
long password can still score well around them; an attacker tries them first, so they are
refused outright.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Compared without case, accents, spaces or punctuation.
RUTA_WORDS = ("ruta", "promsex", "madrededios")
# "ruta" only as a word of its own, so "fruta" stays allowed.
_WHOLE_WORDS = frozenset({"ruta"})
_MIN_ORGANISATION_WORD = 4


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", _fold(text))


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", _fold(text)))


def forbidden_words(user: Any = None) -> list[str]:
    words = list(RUTA_WORDS)
    organisation = getattr(user, "organisation", None) if user is not None else None
    if organisation is not None:
        whole = _letters(organisation.name)
        if len(whole) >= _MIN_ORGANISATION_WORD:
            words.append(whole)
    return words


class RutaWordsValidator:
    """Refuse passwords containing Ruta, PROMSEX, Madre de Dios or the user's organisation's name."""

    def validate(self, password: str, user: Any = None) -> None:
        letters, words = _letters(password), _words(password)
        for word in forbidden_words(user):
            if word in words if word in _WHOLE_WORDS else word in letters:
                raise ValidationError(
                    _("Your password must not contain the name of Ruta, PROMSEX, Madre de Dios or your "
                      "organisation: they are the first words anyone would try."),
                    code="password_ruta_words",
                )

    def get_help_text(self) -> str:
        return _("Your password cannot contain the name of Ruta, PROMSEX, Madre de Dios or your organisation.")
