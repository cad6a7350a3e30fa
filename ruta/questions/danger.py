"""Words that signal danger in a young person's question: the one list (Spanish and Quechua).

A question that matches is shown Línea 100, 105, Chat 100 and the SAU at once, goes first in
the counsellors' queue and is due in 24 hours instead of 48. Matching ignores case and
accents. A word list cannot understand a question: counsellors read every question; the list
only decides what is shown at once and the order of the queue.

The Quechua (Southern Quechua, Cusco–Collao) stems are a first list to be reviewed with
speakers, like the Quechua pages.
"""

from __future__ import annotations

import re
import unicodedata

SPANISH = (
    r"suicid\w*", r"matarme", r"me quiero morir", r"quiero morir\w*", r"no quiero vivir", r"quitarme la vida",
    r"cortarme", r"me corto", r"me mata\w*", r"matar\w*", r"me pega\w*", r"me golpea\w*", r"golpe\w*",
    r"me viol\w*", r"viola\w*", r"abus\w*", r"me obliga\w*", r"me forz\w*", r"amenaz\w*", r"peligro",
    r"me toca\w*", r"tocamient\w*", r"encerrad\w*", r"me encierra\w*", r"cuchillo", r"arma", r"sangr\w*",
    r"chantaj\w*", r"extorsi\w*", r"mis fotos", r"fotos intimas", r"embarazad\w*", r"tengo miedo",
    r"me sigue\w*", r"escap\w*", r"me hace dano", r"me hizo dano", r"me lastim\w*", r"padrastro",
)
QUECHUA = (
    r"wanu\w*",       # wañuy: to die (wañuchiy: to kill)
    r"sipi\w*",       # sipiy: to kill, to strangle
    r"maqa\w*",       # maqay: to hit (maqawan: hits me)
    r"manchaku\w*",   # manchakuy: to be afraid
    r"yawar\w*",      # yawar: blood
    r"yanapaway\w*",  # yanapaway: help me
    r"kallpawan",     # by force
    r"abusa\w*",      # abusay (loanword)
)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("ñ", "n").replace("Ñ", "N"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


PATTERN = re.compile(r"\b(?:" + "|".join(SPANISH + QUECHUA) + r")\b")


def signals_danger(text: str) -> bool:
    return bool(PATTERN.search(_plain(text)))
