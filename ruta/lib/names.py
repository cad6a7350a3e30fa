"""Similar names without reading them: keyed hashes of the normalised parts of a full name.

Names are encrypted at rest, so the database cannot compare them. :func:`name_part_hashes`
turns a full name into a list of keyed hashes (HMAC with the instance's search key, as
``ruta.lib.fields.search_hash``), three for each word of the name:

- the word itself, without accents or case (``Pérez`` = ``perez``);
- how it sounds in Spanish (``Quispe`` = ``Kispe``, ``Yésica`` = ``Jessica``…: qu/c/k, z/s/c,
  v/b, y/ll/i, silent h, doubled letters);
- its letters in order (``Quipse`` = ``Quispe``: two letters swapped).

Particles (de, del, la, los, y…) are dropped. Two names *share a part* when one of the three
hashes of a word matches: :func:`shared_parts` counts such words, whatever their order, so
swapped surnames and a missing second surname still share two parts.

Each hash is cut to 16 hex digits (64 bits): enough to tell apart the few hundred names of
a block, and no readable trace of the name. ``purpose`` keeps the hashes of different
tables apart (a programme's participants cannot be linked to case files by their hashes).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from itertools import filterfalse

from ruta.lib.crypto import normalised_hasher

PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "e", "da", "do", "dos", "van", "von", "san"})
HASH_DIGITS = 16
DEFAULT_PURPOSE = "name.part"
MEMO_WORDS = 20_000  # words whose hashes an import keeps (about 3 MB at most)

_LETTERS = re.compile(r"[a-z]+")
_SOUNDS = [  # applied in order, on lower-case text without accents (ñ kept)
    (re.compile(r"qu(?=[ei])"), "k"), (re.compile(r"q"), "k"),
    (re.compile(r"c(?=[ei])"), "s"), (re.compile(r"ch"), "x"), (re.compile(r"c"), "k"),
    (re.compile(r"z"), "s"), (re.compile(r"v"), "b"), (re.compile(r"w"), "u"),
    (re.compile(r"ll"), "i"), (re.compile(r"y"), "i"), (re.compile(r"g(?=[ei])"), "j"),
    (re.compile(r"h"), ""), (re.compile(r"ph"), "f"), (re.compile(r"th"), "t"),
    (re.compile(r"(.)\1+"), r"\1"),
]


def without_accents(text: str) -> str:
    """NFKD without its combining marks (``Ñuñez`` → ``Nunez``), the first step of every
    normalisation of a name here and in ``ruta.program.models.normalise_name``. ASCII text is
    returned as it is (NFKD and dropping combining marks change nothing there), which spares
    most names the decomposition."""
    if text.isascii():
        return text
    return "".join(filterfalse(unicodedata.combining, unicodedata.normalize("NFKD", text)))


def name_words(full_name: str) -> list[str]:
    """The words of a name, lower case, without accents (ñ kept as n) or particles."""
    words = _LETTERS.findall(without_accents(full_name or "").casefold())
    return [w for w in words if w not in PARTICLES and len(w) > 1]


def sound_of(word: str) -> str:
    for pattern, replacement in _SOUNDS:
        word = pattern.sub(replacement, word)
    return word


def word_keys(word: str) -> tuple[str, str, str]:
    return (f"w:{word}", f"s:{sound_of(word)}", f"a:{''.join(sorted(word))}")


def search_forms(word: str) -> tuple[str, str, str]:
    """``normalise_for_search`` of each of :func:`word_keys` (the text actually hashed), built
    directly: a word of :func:`name_words` is ``[a-z]+``, and so are its sound and its sorted
    letters, so normalising ``"w:" + word`` only drops the colon and upper-cases."""
    return (f"W{word.upper()}", f"S{sound_of(word).upper()}", f"A{''.join(sorted(word)).upper()}")


def name_part_hashes(full_name: str, purpose: str = DEFAULT_PURPOSE) -> list[str]:
    """Three keyed hashes per word of the name (word, sound, letters), in word order; [] for no name."""
    return name_part_hasher(purpose)(full_name)


def name_part_hasher(purpose: str = DEFAULT_PURPOSE, *, memo_size: int = MEMO_WORDS) -> Callable[[str], list[str]]:
    """:func:`name_part_hashes` with the key derived once (an import hashes many names), and
    each word's three hashes kept for the words seen last (names share few surnames: an import
    of 50,000 people hashes a few thousand words, not 150,000). The memo is bounded, so memory
    stays flat, and lives as long as the hasher (one import)."""
    hasher = normalised_hasher(purpose)
    memo: dict[str, tuple[str, ...]] = {}

    def word_hashes(word: str) -> tuple[str, ...]:
        found = memo.get(word)
        if found is None:
            if len(memo) >= memo_size:
                memo.clear()
            found = memo[word] = tuple(hasher(form)[:HASH_DIGITS] for form in search_forms(word))
        return found

    def hashes(full_name: str) -> list[str]:
        return [h for word in name_words(full_name) for h in word_hashes(word)]

    return hashes


def shared_parts(query: list[str], stored: Iterable[str]) -> int:
    """How many words of ``query`` (hashes by :func:`name_part_hashes`) match a word of ``stored``."""
    have = set(stored)
    return sum(1 for i in range(0, len(query) - 2, 3) if have.intersection(query[i:i + 3]))
