"""A minimal SPSS .sav writer (uncompressed) for tests: the importer's pyreadstat path runs
without pandas or polars (which pyreadstat needs to write). Numeric and string variables, long
names, UTF-8; enough for readstat to read it back."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from pathlib import Path

SYSMIS = -1.7976931348623157e308  # SPSS's missing number


def _extension(subtype: int, data: bytes) -> bytes:
    return struct.pack("<iiii", 7, subtype, 1, len(data)) + data


def write_sav(path: Path, columns: Sequence[str], kinds: Sequence[int], rows: Sequence[Sequence[object]]) -> None:
    """``kinds``: 0 for a numeric variable, else the string's width (up to 255)."""
    segments = sum(1 if k == 0 else (k + 7) // 8 for k in kinds)
    out = bytearray(b"$FL2" + b"@(#) SPSS DATA FILE Ruta tests".ljust(60))
    out += struct.pack("<iiiii", 2, segments, 0, 0, len(rows))
    out += struct.pack("<d", 100.0) + b"01 Jan 26" + b"00:00:00" + b" " * 64 + b"\0" * 3
    short = [f"V{i:07d}" for i in range(len(columns))]
    for name, kind in zip(short, kinds, strict=True):
        fmt = (5 << 16) | (8 << 8) if kind == 0 else (1 << 16) | (kind << 8)
        out += struct.pack("<iiiiii", 2, kind, 0, 0, fmt, fmt) + name.encode().ljust(8)
        for _segment in range((kind + 7) // 8 - 1 if kind else 0):
            out += struct.pack("<iiiiii", 2, -1, 0, 0, 0, 0) + b" " * 8
    out += _extension(13, "\t".join(f"{s}={c}" for s, c in zip(short, columns, strict=True)).encode())
    out += _extension(20, b"UTF-8")
    out += struct.pack("<ii", 999, 0)
    for row in rows:
        for value, kind in zip(row, kinds, strict=True):
            if kind == 0:
                out += struct.pack("<d", SYSMIS if value in (None, "") else float(str(value)))
            else:
                out += str(value or "").encode("utf-8")[:kind].ljust(((kind + 7) // 8) * 8)
    Path(path).write_bytes(bytes(out))
