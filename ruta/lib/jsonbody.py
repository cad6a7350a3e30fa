"""JSON request bodies, refused when they nest too deeply.

Python's ``json`` recurses once per ``[`` or ``{``: 100,000 of them raise ``RecursionError``
(a 500, and a stack walk on the way). No body Ruta accepts nests more than a few levels, so
the nesting is measured first (in C: regular expressions and ``itertools.accumulate``, no
Python loop over the body), and a deeper body is refused before parsing.
"""

from __future__ import annotations

import json
import re
from array import array
from itertools import accumulate
from typing import Any

MAX_DEPTH = 32

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")
_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")  # as signed bytes: +1 +1 -1 -1


class TooDeep(ValueError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"JSON nests deeper than {limit} levels")
        self.limit = limit


def nests_deeper_than(body: bytes, limit: int) -> bool:
    """True when arrays and objects in ``body`` nest more than ``limit`` levels (brackets in
    strings do not count). Opening brackets become +1, closing ones -1; the deepest level is
    the largest running sum (computed in C: ``accumulate`` over a signed byte array)."""
    brackets = _NOT_BRACKET.sub(b"", _STRING.sub(b'""', body))
    steps = array("b", brackets.translate(_STEPS))
    return max(accumulate(steps), default=0) > limit


def loads(body: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` that raises :class:`TooDeep` (a ValueError) for a body nested too deeply."""
    raw = body.encode() if isinstance(body, str) else body
    if nests_deeper_than(raw, max_depth):
        raise TooDeep(max_depth)
    return json.loads(raw)
