from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class StaffCacheControlMiddleware:
    """Pages seen by a logged-in user are never stored by the browser or a proxy:
    a shared phone's back button must not bring a case back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            add_never_cache_headers(response)
        return response


class SameOriginNullOriginMiddleware:
    """Let same-origin form posts through Django's CSRF origin check.

    Ruta sends ``Referrer-Policy: no-referrer`` so no page address ever leaks; browsers
    then post forms with ``Origin: null``, which Django's check refuses. ``Sec-Fetch-Site``
    is set by the browser itself and cannot be forged by a page: when it says the post came
    from this very origin, the null origin is replaced by ours. The CSRF token is still
    checked as always.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        if meta.get("HTTP_ORIGIN") == "null" and meta.get("HTTP_SEC_FETCH_SITE") == "same-origin":
            meta["HTTP_ORIGIN"] = f"{request.scheme}://{request.get_host()}"
        return self.get_response(request)


class SessionRefreshMiddleware:
    """Push a staff session's idle expiry forward, writing it at most once a minute.

    Saving the session on every request (``SESSION_SAVE_EVERY_REQUEST``) would make every page
    a database write, and on SQLite every write queues for the one write lock. Visitors
    without a session (the public site) are never given one here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.session_key or session.modified:
            return response
        now = int(time.time())
        if now - int(session.get("_refreshed_at", 0)) >= settings.SESSION_REFRESH_SECONDS:
            session["_refreshed_at"] = now  # marks it modified: saved with a new expiry
        return response
