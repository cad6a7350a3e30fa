"""What a worker checks before it takes work: the same key check as the web process."""

from __future__ import annotations

import sys

from ruta.keys.checks import KeyCheckError, check_keys


def startup_check() -> None:
    """Stop the process with a clear message when the instance's keys are missing, malformed or
    not the ones its database was set up with (``ruta.keys.checks``)."""
    try:
        check_keys()
    except KeyCheckError as exc:
        sys.stderr.write(f"Ruta cannot start:\n{exc}\n")
        raise SystemExit(4) from None
