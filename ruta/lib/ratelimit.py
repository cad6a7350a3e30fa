"""One rate limiter for Ruta's public, anonymous endpoints.

A fixed-window counter per client address, kept in the memory of each process:

- The window is aligned to the clock (``now // per_seconds``); when it ends, every count is
  dropped at the next access, so no address is kept beyond its window.
- Addresses are kept only as an HMAC with a key drawn at process start: a memory dump does
  not list who visited.
- **The ceiling is per process.** With N gunicorn workers a client may get up to
  N × ``limit`` requests in a window (the requests spread over the workers). A client can
  also make up to 2 × ``limit`` requests across the edge of two windows.

Use ``limiter.hit(request)`` in a view, :func:`rate_limited` for a Django view (answers
429 with a translated page), or ``ruta.api.api.RateThrottle`` for a django-ninja route.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import threading
import time
import weakref
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ruta.lib.clientip import client_address

V = TypeVar("V", bound=Callable[..., HttpResponse])

_PROCESS_KEY = secrets.token_bytes(32)
_LIMITERS: weakref.WeakSet[RateLimit] = weakref.WeakSet()


class RateLimit:
    clock: Callable[[], float] = staticmethod(time.monotonic)  # type: ignore[assignment]

    def __init__(self, name: str, limit: int, *, per_seconds: float,
                 clock: Callable[[], float] | None = None) -> None:
        if limit < 1 or per_seconds <= 0:
            raise ValueError("a rate limit needs limit >= 1 and per_seconds > 0")
        self.name, self.limit, self.per_seconds = name, limit, per_seconds
        if clock is not None:
            self.clock = clock
        self._window = -1
        self._counts: dict[bytes, int] = {}
        self._lock = threading.Lock()
        _LIMITERS.add(self)

    def _key(self, request: HttpRequest) -> bytes:
        message = f"{self.name}\0{client_address(request)}".encode()
        return hmac.new(_PROCESS_KEY, message, hashlib.sha256).digest()[:16]

    def _roll(self) -> None:
        window = int(self.clock() // self.per_seconds)
        if window != self._window:
            self._window = window
            self._counts.clear()

    def hit(self, request: HttpRequest) -> bool:
        """Count one request from the client; False once it is over the limit."""
        key = self._key(request)
        with self._lock:
            self._roll()
            count = self._counts.get(key, 0) + 1
            self._counts[key] = count
        return count <= self.limit

    def retry_after(self) -> int:
        """Whole seconds until the current window ends."""
        left = self.per_seconds - self.clock() % self.per_seconds
        return max(1, math.ceil(left))

    def tracked(self) -> int:
        """How many clients are being counted now (after dropping ended windows)."""
        with self._lock:
            self._roll()
            return len(self._counts)

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()


def reset_all() -> None:
    """Forget every count (tests start each from zero)."""
    for limiter in list(_LIMITERS):
        limiter.reset()


def rate_limited(limiter: RateLimit) -> Callable[[V], V]:
    """Answer 429 (``429.html``, with Retry-After) to a client over ``limiter``'s limit."""

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not limiter.hit(request):
                response = render(request, "429.html", status=429)
                response["Retry-After"] = str(limiter.retry_after())
                return response
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
