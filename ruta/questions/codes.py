"""The reading code: three random Spanish words (``data/palabras.txt``, 2,009 words: about 33
bits). Only a keyed hash of the code is stored; it is read by POST, rate-limited, and the
question is deleted within 90 days, so guessing a live code is hopeless."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from ruta.lib.crypto import keyed_hash, normalise_for_search

WORDS_FILE = Path(__file__).resolve().parent / "data" / "palabras.txt"
CODE_WORDS = 3
HASH_PURPOSE = "questions.code"


@lru_cache(maxsize=1)
def words() -> tuple[str, ...]:
    lines = WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def new_code() -> str:
    pool = words()
    return " ".join(secrets.choice(pool) for _ in range(CODE_WORDS))


def code_hash(code: str) -> str:
    return keyed_hash(" ".join(code.split()), HASH_PURPOSE)


def looks_like_a_code(code: str) -> bool:
    parts = code.split()
    return len(parts) == CODE_WORDS and all(3 <= len(normalise_for_search(p)) <= 12 for p in parts)
