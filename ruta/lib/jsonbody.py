"""JSON request bodies, refused when they nest too deeply.

Python's ``json`` recurses once per ``[`` or ``{``: 100,000 of them raise ``RecursionError``
(a 500, and a stack walk on the way). No body Ruta accepts nests more than a few levels, so
the depth is counted first with a flat scan and a deeper body is refused before parsing.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 32

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")


class TooDeep(ValueError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"JSON nests deeper than {limit} levels")
        self.limit = limit


def depth(body: bytes) -> int:
    """The deepest nesting of arrays and objects in ``body`` (brackets in strings skipped)."""
    brackets = _NOT_BRACKET.sub(b"", _STRING.sub(b'""', body))
    deepest = level = 0
    for byte in brackets:
        level += 1 if byte in b"[{" else -1
        deepest = max(deepest, level)
    return deepest


def loads(body: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` that raises :class:`TooDeep` (a ValueError) for a body nested too deeply."""
    raw = body.encode() if isinstance(body, str) else body
    if depth(raw) > max_depth:
        raise TooDeep(max_depth)
    return json.loads(raw)
