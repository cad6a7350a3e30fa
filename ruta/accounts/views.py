from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from ruta.accounts import actions
from ruta.accounts.forms import TokenForm
from ruta.accounts.http import AuthenticatedHttpRequest
from ruta.accounts.models import User
from ruta.accounts.policy import any_staff, is_verified, may_lift_lockouts, staff_view, visible_lockouts
from ruta.accounts.roles import Role


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        # Why the person is here: their session ended (?sesion=), and whether what they were
        # writing was kept (?guardado=, ruta/accounts/keep.py). Nothing else is read from the URL.
        context = super().get_context_data(**kwargs)
        reason = self.request.GET.get("sesion", "")
        context["session_ended"] = reason if reason in ("inactividad", "limite") else ""
        kept = self.request.GET.get("guardado", "")
        context["form_kept"] = kept if kept in ("si", "no") else ""
        context["kept_minutes"] = settings.RUTA_KEPT_FORM_MINUTES
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:home")

    def form_valid(self, form: Any) -> HttpResponse:
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)


password_change = staff_view()(PasswordChangeView.as_view())  # type: ignore[type-var]


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    return render(request, "accounts/locked_out.html", status=429)


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return str(reverse_lazy("accounts:home"))


@sensitive_post_parameters("token")
@never_cache
def two_factor(request: HttpRequest) -> HttpResponse:
    """Second step of login: check the TOTP code, or enrol a device the first time."""
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if not user.needs_two_factor or is_verified(user):
        return redirect(_next_url(request))

    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if confirmed is None:
        return _enrol(request)

    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _detail = confirmed.verify_is_allowed()
        if allowed and confirmed.verify_token(form.cleaned_data["token"]):
            _otp_login(request, confirmed)
            return redirect(_next_url(request))
        form.add_error("token", _("That code is not valid. Wait for a new one and try again."))
    return render(request, "accounts/two_factor.html", {"form": form, "next": _next_url(request)})


def _otp_login(request: HttpRequest, device: TOTPDevice) -> None:
    otp_login(request, device)
    # A session id seen before the second factor (on a shared phone, in a proxy log) must not
    # become a verified session.
    request.session.cycle_key()


def _enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Ruta", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            _otp_login(request, device)
            messages.success(request, _("Two-step login is set up."))
            return redirect(_next_url(request))
        form.add_error("token", _("That code is not valid. Check your phone's clock and try again."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")
    secret = _b32(device.bin_key)
    return render(
        request,
        "accounts/enrol.html",
        {"form": form, "qr_svg": qr_svg, "secret": secret, "next": _next_url(request)},
    )


def _b32(key: bytes) -> str:
    import base64

    return base64.b32encode(key).decode().rstrip("=")


ROLE_HELP: dict[str, Any] = {
    Role.ADMIN: _l(
        "Keep users, organisations, the service directory and the pathway rules current. "
        "You never see case content."
    ),
    Role.COORDINATOR: _l("Watch the programme's reach against its targets and prepare donor reports."),
    Role.FACILITATOR: _l("Record workshops, participants, attendance and pre/post tests."),
    Role.CASEWORKER: _l("Follow your cases confidentially: consent, referrals, deadlines, follow-up and closure."),
    Role.CASE_SUPERVISOR: _l("Oversee every case of your organisation, approve closures and read access logs."),
    Role.ME_OFFICER: _l("Check the data, the indicators and the de-identified statistics."),
    Role.DONOR: _l("See dashboards and reports. Ruta never shows you a person."),
}


@staff_view(any_staff)
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "accounts/home.html", {"role_help": ROLE_HELP.get(request.user.role, "")})


@require_POST
@staff_view(any_staff)
def session_ping(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Someone is typing: push the idle expiry forward (the page calls it at most every few
    minutes, ruta/static/ruta/ruta.js). The 12-hour limit from login stays where it is."""
    import time

    from ruta.accounts.context_processors import session_times

    request.session["_refreshed_at"] = int(time.time())  # saved now, with a new expiry
    return JsonResponse(session_times(request, saved=True))


def csrf_failure(request: HttpRequest, reason: str = "", **kwargs: Any) -> HttpResponse:
    """A form refused by the CSRF check is kept, never applied, when it carries a keep token of the
    user logged in now: they logged in again in another tab while this one waited, which
    renewed the CSRF token. It comes back into the same form at once (ruta/accounts/keep.py).
    Everything else gets the usual page."""
    from ruta.accounts import keep
    from ruta.accounts.middleware import KEPT_PENDING
    from ruta.accounts.policy import two_factor_pending
    from ruta.lib import errors

    user = request.user
    if request.method == "POST" and keep.FIELD in request.POST and any_staff(user) and not two_factor_pending(user):
        try:
            token = keep.read_token(request.POST[keep.FIELD], request.path)
            fields = keep.form_fields(request.POST)
        except (keep.InvalidKeepToken, ValueError):
            token = None
        if token is not None and token.user_id == user.pk:
            assert isinstance(user, User)
            actions.keep_form(user, request.path, fields)
            request.session[KEPT_PENDING] = True
            return redirect(request.path)
    return errors.csrf_failure(request, reason, **kwargs)


@staff_view(may_lift_lockouts)
def lockouts(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "accounts/lockouts.html", {
        "attempts": visible_lockouts(request.user),
        "cooloff_minutes": round(settings.AXES_COOLOFF_TIME * 60),
    })


@require_POST
@staff_view(may_lift_lockouts)
def lift_lockout(request: AuthenticatedHttpRequest, attempt_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # staff_view let only a logged-in user through
    lockout = next((x for x in visible_lockouts(user) if x.pk == attempt_id), None)
    if lockout is None:
        raise Http404
    actions.lift_lockout(user, lockout)
    messages.success(request, _("%(username)s can log in again.") % {"username": lockout.username})
    return redirect("accounts:lockouts")
