from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any

from django.contrib import messages
from django.contrib.admin import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from ruta.accounts.policy import is_admin, is_verified, two_factor_pending

# Apps register what the admin home must warn about (retention: periods left off). Each returns
# a message for the administrator, or None.
IndexWarning = Callable[[], "str | None"]
_index_warnings: list[IndexWarning] = []


def register_index_warning(warning: IndexWarning) -> None:
    if warning not in _index_warnings:
        _index_warnings.append(warning)


class RutaAdminSite(AdminSite):
    """Django's admin, for administrators who passed the second factor. It never
    registers case models: administrators see no case content."""

    site_header = _("Ruta administration")
    site_title = _("Ruta")
    index_title = _("Users, organisations, directory and pathway rules")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_authenticated and is_admin(user) and is_verified(user))

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        def gate(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            # Logged-in users who may not enter get a plain refusal, not a login loop.
            if request.user.is_authenticated and not self.has_permission(request):
                if two_factor_pending(request.user):
                    return redirect("accounts:two_factor")
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return update_wrapper(gate, inner)

    def login(self, request: HttpRequest, extra_context: object = None) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.GET.get("next") or request.get_full_path())
        if two_factor_pending(user):
            return redirect("accounts:two_factor")
        raise PermissionDenied

    def index(self, request: HttpRequest, extra_context: Any = None) -> Any:
        for warning in _index_warnings:
            if message := warning():
                messages.warning(request, message)
        return super().index(request, extra_context)
