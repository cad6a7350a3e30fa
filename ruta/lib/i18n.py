"""Compile every ``.po`` catalogue under ``ruta/`` into its ``.mo`` with polib, so running
Ruta needs no GNU gettext (developers still use it for ``makemessages``).

    python -m ruta.lib.i18n
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def compile_all(root: Path = ROOT) -> list[Path]:
    written = []
    for po_path in sorted(root.glob("**/locale/*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_all():
        sys.stderr.write(f"compiled {path.relative_to(ROOT.parent)}\n")
