"""Typed readers for environment variables that fail loudly on bad values.

Each reader also accepts ``NAME_FILE`` (a path whose content is the value), so secrets
can come from files mounted by the operator instead of the process environment.
"""

from __future__ import annotations

import os
from pathlib import Path


class ConfigError(ValueError):
    """A setting has a value Ruta cannot use; the message names it."""


def _raw(name: str) -> str | None:
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as e:
            raise ConfigError(f"{name}_FILE={path!r} cannot be read: {e}") from e
    return os.environ.get(name)


def envstr(name: str, default: str) -> str:
    v = _raw(name)
    return default if v is None or v == "" else v


def envbool(name: str, default: bool) -> bool:
    v = _raw(name)
    if v is None or v == "":
        return default
    low = v.strip().lower()
    if low in ("1", "true", "yes", "on"):
        return True
    if low in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}={v!r} is not a boolean (use true or false)")


def envint(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    v = _raw(name)
    if v is None or v == "":
        return default
    try:
        n = int(v)
    except ValueError:
        raise ConfigError(f"{name}={v!r} is not a whole number") from None
    if minimum is not None and n < minimum or maximum is not None and n > maximum:
        raise ConfigError(f"{name}={n} is outside {minimum}..{maximum}")
    return n


def envlist(name: str, default: list[str]) -> list[str]:
    v = _raw(name)
    if v is None or v.strip() == "":
        return default
    return [part.strip() for part in v.split(",") if part.strip()]
