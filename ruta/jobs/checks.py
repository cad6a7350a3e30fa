"""What a worker checks before it takes work (the same as the web process at start)."""

from __future__ import annotations


def startup_check() -> None:
    """Stop the process with a clear message when the instance is not fit to run."""
