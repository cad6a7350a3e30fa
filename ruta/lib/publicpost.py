"""POST on public pages without a cookie.

Django's CSRF check needs a cookie; Ruta's public pages never set one (a cookie is a trace on
a shared phone). :func:`same_origin_post` exempts a view from the cookie check and instead
accepts a POST only when the browser says it came from this site: ``Sec-Fetch-Site:
same-origin`` (set by the browser, a page cannot forge it), or, for browsers that do not
send it, an ``Origin`` equal to this site's. Anything else answers 403. GET and HEAD pass.

A page that uses it must not call ``{% csrf_token %}`` (that would set the cookie).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

V = TypeVar("V", bound=Callable[..., HttpResponse])


def is_same_origin(request: HttpRequest) -> bool:
    site = request.META.get("HTTP_SEC_FETCH_SITE")
    if site is not None:
        return site == "same-origin"
    origin = request.META.get("HTTP_ORIGIN")
    return origin is not None and origin == f"{request.scheme}://{request.get_host()}"


def same_origin_post(view: V) -> V:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD", "OPTIONS") and not is_same_origin(request):
            return HttpResponseForbidden(_("This form can only be sent from this site's own pages."))
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)  # type: ignore[return-value]
