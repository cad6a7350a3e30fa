"""Public forms without cookies (docs/security.md, "Public forms").

A public form (an anonymous question, reading an answer, a live test) must not set Django's
CSRF cookie: the public site sets no cookie at all. Such a view is exempt from the cookie
check and takes a POST only when the browser says it comes from this very site:
``Sec-Fetch-Site: same-origin`` (set by the browser, a page cannot forge it), or, from a
browser that does not send that header, an ``Origin`` equal to this site's. Anything else,
including a POST with neither header, is refused with 403 before the view runs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from ruta.lib.errors import csrf_failure

V = TypeVar("V", bound=Callable[..., HttpResponse])
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def comes_from_this_site(request: HttpRequest) -> bool:
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.META.get("HTTP_ORIGIN")
    if not origin or origin == "null":
        return False
    own = f"{request.scheme}://{request.get_host()}"
    return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS


def same_origin_post(view: V) -> V:
    """Exempt ``view`` from the CSRF cookie; refuse (403) an unsafe method from elsewhere."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in SAFE_METHODS and not comes_from_this_site(request):
            return csrf_failure(request, reason="not same origin")
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)  # type: ignore[return-value]
