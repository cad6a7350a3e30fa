"""Run benchmarks: ``python -m bench`` runs them all, ``python -m bench NAME [args]`` one.

Each module ``bench/NAME.py`` has ``main(argv)`` that prints its figures. Benchmarks set up
their own data in temporary instances and never touch the instance in RUTA_HOME.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def available() -> list[str]:
    here = Path(__file__).parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_")
                  and m.name not in ("common", "compare") and not m.name.startswith("test"))


def main(argv: list[str]) -> None:
    names = available()
    if argv and argv[0] in ("-h", "--help"):
        sys.stdout.write("usage: python -m bench [NAME [ARGS...]]\navailable: " + ", ".join(names) + "\n")
        return
    if argv:
        importlib.import_module(f"bench.{argv[0]}").main(argv[1:])
        return
    for name in names:
        sys.stdout.write(f"\n=== {name}\n")
        sys.stdout.flush()
        importlib.import_module(f"bench.{name}").main([])


if __name__ == "__main__":
    main(sys.argv[1:])
