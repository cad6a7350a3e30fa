from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers

from ruta.accounts import keep

logger = logging.getLogger(__name__)


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


LOGIN_AT = "_ruta_login_at"  # unix seconds of the (password) login, set by signals.on_logged_in
KEPT_PENDING = "_ruta_kept_pending"  # set at login when kept forms wait for this user


def session_ended_reason(request: HttpRequest) -> str:
    """Why a request without a logged-in user came: ``limite`` (12 hours since login),
    ``inactividad`` (a session cookie the server no longer knows) or ``""``."""
    reason = getattr(request, "ruta_session_ended", "")
    if reason:
        return str(reason)
    return "inactividad" if settings.SESSION_COOKIE_NAME in request.COOKIES else ""


class SessionLimitMiddleware:
    """End a session ``RUTA_SESSION_ABSOLUTE_HOURS`` after its login, whatever the activity."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get("_auth_user_id"):
            now = int(time.time())
            login_at = session.get(LOGIN_AT)
            if not isinstance(login_at, int):
                session[LOGIN_AT] = now  # a session from before this rule: counted from now
            elif now - login_at >= settings.RUTA_SESSION_ABSOLUTE_HOURS * 3600:
                from django.contrib.auth import logout

                logout(request)
                request.ruta_session_ended = "limite"  # type: ignore[attr-defined]
        return self.get_response(request)


class KeepFormMiddleware:
    """No lost work (ruta/accounts/keep.py).

    A POST carrying a keep token from someone no longer logged in is kept for the token's user
    and answered with the login page; the CSRF check never runs for it, because the signed token
    is what authorises keeping and keeping changes no other data. A POST whose token names
    another user than the one logged in is refused. A GET of a form the logged-in (and verified)
    user has a kept post of fills it back in (``request.ruta_kept_form``, read by base.html).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Only plain forms: reading a multipart body here would read its files before a view sets
        # its upload limits (ruta/program/views_io.py), and other bodies are not forms.
        if (request.method == "POST" and request.content_type == "application/x-www-form-urlencoded"
                and keep.FIELD in request.POST):
            refused = self._post(request)
            if refused is not None:
                return refused
        elif request.method == "GET" and getattr(request, "session", None) and request.session.get(KEPT_PENDING):
            return self._restore(request)
        return self.get_response(request)

    def _post(self, request: HttpRequest) -> HttpResponse | None:
        from ruta.accounts import actions
        from ruta.accounts.models import User

        user = request.user
        try:
            token = keep.read_token(request.POST[keep.FIELD], request.path)
        except keep.InvalidKeepToken as e:
            if user.is_authenticated:
                return None  # a live session: the view and its CSRF check decide as always
            # Not written to the access log: anyone can post a broken token, and the log must
            # not be filled by strangers. The log file says only why.
            logger.warning("form not kept: %s", e)
            return _to_login(request, kept=False)
        if user.is_authenticated:
            if token.user_id == user.pk:
                return None
            actions.refuse_to_keep(user, request.path, "another user")  # type: ignore[arg-type]
            return render(request, "accounts/form_not_kept.html", status=403)
        owner = User.objects.filter(pk=token.user_id, is_active=True).first()
        if owner is None:
            logger.warning("form not kept: the token's user is gone or inactive")
            return _to_login(request, kept=False)
        try:
            fields = keep.form_fields(request.POST)
        except ValueError:
            actions.refuse_to_keep(owner, request.path, "too big")
            return _to_login(request, kept=False)
        actions.keep_form(owner, request.path, fields)
        return _to_login(request, kept=True)

    def _restore(self, request: HttpRequest) -> HttpResponse:
        from django.contrib import messages
        from django.utils.translation import gettext as _

        from ruta.accounts import actions
        from ruta.accounts.policy import two_factor_pending

        user = request.user
        if not user.is_authenticated or two_factor_pending(user):
            return self.get_response(request)
        kept = actions.kept_form_for(user, request.path)  # type: ignore[arg-type]
        if kept is None:
            if not actions.has_kept_forms(user):  # type: ignore[arg-type]
                request.session.pop(KEPT_PENDING, None)
            return self.get_response(request)
        request.ruta_kept_form = keep.decode(kept.data)  # type: ignore[attr-defined]
        messages.info(request, _(
            "What you wrote before your session ended is back in this form. Nothing was saved yet: "
            "check it and send the form. Attached files were not kept; attach them again."))
        response = self.get_response(request)
        if response.status_code == 200:
            actions.mark_restored(user, kept)  # type: ignore[arg-type]
        return response


def _to_login(request: HttpRequest, *, kept: bool) -> HttpResponse:
    from django.urls import reverse
    from django.utils.http import urlencode

    query = {"next": request.path, "sesion": session_ended_reason(request) or "inactividad",
             "guardado": "si" if kept else "no"}
    return redirect(f"{reverse('accounts:login')}?{urlencode(query)}")
